import { rmSync } from 'node:fs';
import { createMemorySecretStore } from '@consent-mailer/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { seedMailingData, withDataDirCaller } from './support/mailings-seed.js';
import { rawCodesOnScreen } from './support/raw-codes.js';
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
  { route: '#/suppressions', name: 'suppressions' },
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
  let mailingId: string;
  let acknowledgementId: string;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    dataDir = await seedMailingData({ smtpPort: smtp.port });
    // A draft mailing with a signed acknowledgement, an address on the suppression list and a complaint, so
    // their detail screens are judged too; signed with the key the app then runs with.
    const secrets = createMemorySecretStore();
    ({ mailingId, acknowledgementId } = await withDataDirCaller(
      dataDir,
      async (caller) => {
        const mailing = await caller.mailings.create({
          name: 'Kerstactie',
          senderEntityId: 'bakkerij',
          listId: 'nieuwsbrief',
          smtpProfile: 'hoofd',
          subject: 'Kerstbrood voor {{firstName|u}}',
          html: '<p>Ons kerstbrood is er weer.</p>',
          lang: 'nl',
        });
        const signer = { mailingId: mailing.id, name: 'Anna de Vries', role: 'directeur', lang: language };
        const preview = await caller.acknowledgements.prepare(signer);
        const signed = await caller.acknowledgements.sign({
          ...signer,
          confirmedStatementIds: preview.statements.map((statement) => statement.id as never),
          expectedRecipientSetHash: preview.recipientSetHash,
        });
        await caller.suppressions.add({ email: 'nooit@example.nl' });
        // A complaint about the covered phone contact: the acknowledgement lists it, with its suppression.
        await caller.suppressions.complaint({ email: 'telefoon@example.nl', source: 'SPAMKLACHT' });
        return { mailingId: mailing.id, acknowledgementId: signed.id };
      },
      secrets,
    ));
    app = await startE2eApp({ language, dataDir, host: { secrets } });
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
    expect(await rawCodesOnScreen(page)).toEqual([]);
  });

  it.each([
    { route: () => `#/mailings/${mailingId}`, name: 'mailing-detail' },
    { route: () => `#/acknowledgements/${acknowledgementId}`, name: 'acknowledgement-detail' },
  ])('$name has no serious axe violation and no raw code', async ({ route, name }) => {
    const { page } = app;
    await page.goto(`${app.host.url}${route()}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await app.screenshot(`a11y-${name}-${language}`);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await rawCodesOnScreen(page)).toEqual([]);
  });

  it('filters the acknowledgements by a period typed as the language writes a day', async () => {
    const { page } = app;
    const words = {
      nl: {
        from: 'Vanaf datum',
        to: 'Tot en met datum',
        table: 'Verklaringen',
        none: 'Geen verklaringen gevonden.',
      },
      en: {
        from: 'From date',
        to: 'Up to and including',
        table: 'Acknowledgements',
        none: 'No acknowledgements found.',
      },
    }[language];
    // Days as an owner types them: 3-11-2026 in Dutch, 11/3/2026 in English.
    const typed = (date: Date) =>
      language === 'nl'
        ? `${date.getDate()}-${date.getMonth() + 1}-${date.getFullYear()}`
        : `${date.getMonth() + 1}/${date.getDate()}/${date.getFullYear()}`;
    const today = new Date();
    const yesterday = new Date(today.getTime() - 24 * 3600 * 1000);
    await page.goto(`${app.host.url}#/acknowledgements`);
    const table = page.getByRole('table', { name: words.table });
    await expect.poll(() => table.textContent()).toContain('Anna de Vries');
    // Up to yesterday: signed today, so not in the period.
    const to = page.getByLabel(words.to, { exact: true });
    await to.fill(typed(yesterday));
    await to.press('Tab');
    await page.getByText(words.none).waitFor();
    // Up to and including today: in it again.
    await to.fill(typed(today));
    await to.press('Tab');
    await expect.poll(() => table.textContent()).toContain('Anna de Vries');
    // From tomorrow: none.
    const from = page.getByLabel(words.from, { exact: true });
    await from.fill(typed(new Date(today.getTime() + 24 * 3600 * 1000)));
    await from.press('Tab');
    await page.getByText(words.none).waitFor();
    // The chosen day reads as the language writes it (a month in words), not as 2026-11-03.
    expect(await from.inputValue()).not.toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await app.screenshot(`acknowledgements-period-${language}`);
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
    expect(await rawCodesOnScreen(page)).toEqual([]);
  });
});
