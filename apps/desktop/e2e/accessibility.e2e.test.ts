import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { seedMailingData } from './support/mailings-seed.js';
import { startSmtpTestServer } from '@consent-mailer/mailer/testing';

/** Every screen a user reaches from the navigation, by its hash route. */
const SCREENS = [
  { route: '#/dashboard', name: 'overview' },
  { route: '#/contacts', name: 'contacts' },
  { route: '#/import', name: 'import' },
  { route: '#/mailings', name: 'mailings' },
  { route: '#/mailings/new', name: 'mailing-compose' },
  { route: '#/acknowledgements', name: 'acknowledgements' },
  { route: '#/arrivals', name: 'arrivals' },
  { route: '#/settings', name: 'settings' },
  { route: '#/settings/smtp', name: 'settings-smtp-deliverability' },
  { route: '#/settings/intake', name: 'settings-mailbox' },
] as const;

/**
 * WCAG 2.2 AA in real Chromium: axe-core on every screen, in Dutch and in English, on a database with a
 * sender, an SMTP server, a list and contacts, so tables, badges and forms are filled as a user sees them.
 */
describe.each(['nl', 'en'] as const)('accessibility of every screen (%s)', (language) => {
  let app: E2eApp;
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
  let dataDir: string;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    dataDir = await seedMailingData({ smtpPort: smtp.port });
    app = await startE2eApp({ language, dataDir });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(SCREENS)('$name has no serious or critical axe violation', async ({ route, name }) => {
    const { page } = app;
    await page.goto(`${app.host.url}${route}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await app.screenshot(`a11y-${name}-${language}`);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the contact detail page has no serious or critical axe violation', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/contacts`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.getByText('jan@example.nl').first().click();
    await page.getByRole('heading', { level: 1, name: /jan@example\.nl/ }).waitFor();
    await app.screenshot(`a11y-contact-detail-${language}`);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
