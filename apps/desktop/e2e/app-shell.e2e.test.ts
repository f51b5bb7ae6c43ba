import { afterEach, describe, expect, it } from 'vitest';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';

describe('the app shell in a browser', () => {
  let app: E2eApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('shows the navigation and the healthy database status, in Dutch on a Dutch system', async () => {
    app = await startE2eApp({ language: 'nl' });
    const { page } = app;
    await expect
      .poll(() => page.getByRole('status', { name: 'Database' }).textContent())
      .toContain('Database in orde');
    await expect
      .poll(() => page.getByRole('status', { name: 'Database' }).textContent())
      .toContain(app.dataDir);
    expect(await page.getByRole('navigation', { name: 'Hoofdmenu' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Overzicht');
    await app.screenshot('shell-nl');
  });

  it('switches to English with the keyboard and remembers it', async () => {
    app = await startE2eApp({ language: 'nl' });
    const { page } = app;
    await page.getByRole('radio', { name: 'EN' }).waitFor({ state: 'attached' });
    await page.getByRole('radio', { name: 'EN' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Overview');
    await page.reload();
    await expect
      .poll(() => page.getByRole('status', { name: 'Database' }).textContent())
      .toContain('Database healthy');
    await app.screenshot('shell-en');
  });

  it('refuses the api without the token', async () => {
    app = await startE2eApp({ language: 'en' });
    const response = await fetch(`${app.host.origin}/trpc/host.info`);
    expect(response.status).toBe(401);
    const withToken = await fetch(`${app.host.origin}/trpc/host.info`, {
      headers: { Authorization: `Bearer ${app.host.token}` },
    });
    expect(withToken.status).toBe(200);
  });
});
