import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { isSuppressed, openStore } from '@consent-mailer/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/shared/app-database.js';
import { seriousViolations } from './support/axe.js';
import { DESKTOP_DIR, startE2eApp, type E2eApp } from './support/e2e-app.js';
import { seedMailingData, withDataDirCaller } from './support/mailings-seed.js';
import { startSmtpTestServer } from '@consent-mailer/mailer/testing';

// Real bounce and complaint messages, the same the mailer's parser is tested on.
const FEEDBACK = join(DESKTOP_DIR, '..', '..', 'packages', 'mailer', 'test', 'fixtures');

const TEXT = {
  nl: {
    nav: 'Nooit meer mailen',
    feedbackTitle: 'Onbestelbaar- en klachtmeldingen inlezen',
    search: 'Zoek op e-mailadres',
    unsubscribedByPhone: ['Afgemeld', 'Telefoon'],
    addEmail: 'E-mailadres',
    addButton: 'Op de lijst zetten',
    added: 'boos@voorbeeld.nl staat op de lijst',
    notKept: 'Adres niet bewaard (geen contact)',
    byYou: 'Zelf toegevoegd',
    hard: 'piet.nietbestaand@example.org: adres bestaat niet, staat nu op de lijst',
    delayed: 'Geen onbestelbare mail of klacht gevonden',
    complaint: 'klager@example.net: klacht vastgelegd, staat nu op de lijst',
    rejected: 'Alleen .eml-bestanden',
    hardReason: 'Adres bestaat niet (meer)',
    complaintReason: 'Klacht (spam)',
  },
  en: {
    nav: 'Never mail again',
    feedbackTitle: 'Read undeliverable and complaint notices',
    search: 'Search by e-mail address',
    unsubscribedByPhone: ['Unsubscribed', 'Phone'],
    addEmail: 'E-mail address',
    addButton: 'Put on the list',
    added: 'boos@voorbeeld.nl is on the list',
    notKept: 'Address not kept (not a contact)',
    byYou: 'Added by you',
    hard: 'piet.nietbestaand@example.org: address does not exist, now on the list',
    delayed: 'No undeliverable mail or complaint found',
    complaint: 'klager@example.net: complaint recorded, now on the list',
    rejected: 'Only .eml files',
    hardReason: 'Address does not exist (any more)',
    complaintReason: 'Complaint (spam)',
  },
} as const;

/** Raw reasons and sources the store keeps; none may reach the screen. */
const RAW = /\b(UNSUBSCRIBED|HARD_BOUNCE|COMPLAINT|MANUAL|PHONE|APP|DSN|ARF)\b/;

describe.each(['nl', 'en'] as const)('the suppression screen (%s)', (language) => {
  const text = TEXT[language];
  let app: E2eApp;
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
  let dataDir: string;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    dataDir = await seedMailingData({ smtpPort: smtp.port });
    await withDataDirCaller(dataDir, async (caller) => {
      await caller.suppressions.unsubscribe({ email: 'jan@example.nl', channel: 'PHONE' });
    });
    app = await startE2eApp({ language, dataDir });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists, searches and adds an address in plain words', async () => {
    const { page } = app;
    await page.getByRole('navigation').getByRole('link', { name: text.nav }).click();
    await page.getByRole('heading', { level: 1, name: text.nav }).waitFor();
    const table = page.getByRole('table', { name: text.nav });
    const jan = table.getByRole('row').filter({ hasText: 'jan@example.nl' });
    for (const cell of text.unsubscribedByPhone) await jan.getByRole('cell', { name: cell }).waitFor();

    await page.getByRole('textbox', { name: text.addEmail, exact: true }).fill('Boos@Voorbeeld.nl');
    await page.getByRole('button', { name: text.addButton }).click();
    await page.getByText(text.added).waitFor();
    // Not a contact: the list keeps only the address's fingerprint, and says so instead of showing it.
    const notKept = table.getByRole('row').filter({ hasText: text.notKept });
    await notKept.getByRole('cell', { name: text.byYou }).waitFor();

    // A whole address finds it anyway; a part of an address finds contacts only.
    await page.getByRole('searchbox', { name: text.search }).fill('boos@voorbeeld.nl');
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await notKept.waitFor();
    await page.getByRole('searchbox', { name: text.search }).fill('jan');
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await jan.waitFor();
    await page.getByRole('searchbox', { name: text.search }).fill('');
    await expect.poll(() => table.getByRole('row').count()).toBe(3);

    expect(await page.locator('#main').innerText()).not.toMatch(RAW);
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`suppressions-list-${language}`);
  });

  it('reads dropped bounce and complaint files and shows what each did', async () => {
    const { page } = app;
    await page
      .locator('input[name="feedback-files"]')
      .setInputFiles(
        ['dsn-hard-bounce.eml', 'dsn-delayed.eml', 'arf-complaint.eml'].map((f) => join(FEEDBACK, f)),
      );
    const main = page.locator('#main');
    await main.getByText(text.complaint).waitFor();
    await main.getByText(text.hard).waitFor();
    await main.getByText(text.delayed).waitFor();
    // The list shows the new entries at once, in words.
    const list = page.getByRole('table', { name: text.nav });
    await list.getByRole('cell', { name: text.hardReason }).first().waitFor();
    await list.getByRole('cell', { name: text.complaintReason }).first().waitFor();

    await page
      .locator('input[name="feedback-files"]')
      .setInputFiles(join(FEEDBACK, '..', '..', 'package.json'));
    await page.getByRole('alert').filter({ hasText: text.rejected }).waitFor();

    expect(await main.innerText()).not.toMatch(RAW);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('table', { name: text.feedbackTitle }).evaluate((table) => table.scrollIntoView());
    await app.screenshot(`suppressions-feedback-${language}`);

    // Beside the running host, as another process would: the database holds what the screen said.
    const store = await openStore({ path: join(dataDir, DATABASE_FILE) });
    try {
      expect(await isSuppressed(store.db, 'piet.nietbestaand@example.org')).toBe(true);
      expect(await isSuppressed(store.db, 'klager@example.net')).toBe(true);
      expect(await isSuppressed(store.db, 'traag@example.org')).toBe(false);
    } finally {
      await store.close();
    }
  });
});
