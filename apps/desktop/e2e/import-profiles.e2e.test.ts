import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';

const PROFILES = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'packages',
  'importer',
  'test',
  'fixtures',
  'profiles',
);

/**
 * The import preview of a tool export, in Dutch, in Chromium: the recognised tool, the columns left out,
 * what the first rows become, the per-row method to confirm, and the encoding choice a mixed file needs.
 */
describe('the import preview of tool exports', () => {
  let app: E2eApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cm-e2e-profiles-'));
    app = await startE2eApp({ language: 'nl' });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the Mailchimp profile, the dropped columns and the per-row method to confirm', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Importeren' }).click();
    await page.getByRole('heading', { name: 'Contacten importeren' }).waitFor();
    await page
      .locator('input[type=file]')
      .setInputFiles(join(PROFILES, 'mailchimp-subscribed_members_export.csv'));
    await expect.poll(() => page.getByText('Herkend als').locator('..').textContent()).toContain('Mailchimp');
    await expect.poll(() => page.getByText('Niet geïmporteerd').textContent()).toContain('MEMBER_RATING');
    const perRow = page.getByRole('checkbox', { name: 'Methode per rij uit het bewijs van Mailchimp halen' });
    expect(await perRow.isChecked()).toBe(false);
    await perRow.check();
    expect(await perRow.isChecked()).toBe(true);
    await app.screenshot('import-profile-mailchimp-nl');
    await page.getByRole('button', { name: 'Terug' }).click();
  });

  it('says which Shopify rows will never be mailed', async () => {
    const { page } = app;
    await page.locator('input[type=file]').setInputFiles(join(PROFILES, 'shopify-customers_export.csv'));
    await expect.poll(() => page.getByText('Herkend als').locator('..').textContent()).toContain('Shopify');
    await expect
      .poll(() => page.getByText(/wil geen marketing/).textContent())
      .toContain('1 wil geen marketing');
    await page.getByRole('button', { name: 'Terug' }).click();
  });

  it('asks how to read a file that mixes UTF-8 and Windows-1252 rows before it goes on', async () => {
    const { page } = app;
    const path = join(dir, 'samengevoegd.csv');
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from('E-mailadres;Voornaam\r\n', 'latin1'),
        Buffer.from('zoe@example.nl;Zoë\r\n', 'utf8'),
        Buffer.from('chloe@example.nl;Chloë\r\n', 'latin1'),
      ]),
    );
    await page.locator('input[type=file]').setInputFiles(path);
    await page.getByText('Dit bestand mengt twee tekstcoderingen').waitFor();
    const next = page.getByRole('button', { name: 'Verder' });
    expect(await next.isDisabled()).toBe(true);
    // Each line as it is valid: no "ZoÃ«".
    expect(await page.getByRole('table').textContent()).toContain('Zoë');
    expect(await page.getByRole('table').textContent()).not.toContain('Ã');
    await page.getByRole('combobox', { name: 'Lezen als' }).click();
    await page.getByRole('option', { name: 'per regel (aanbevolen)' }).click();
    await expect.poll(() => next.isDisabled()).toBe(false);
    await app.screenshot('import-encoding-choice-nl');
  });
});
