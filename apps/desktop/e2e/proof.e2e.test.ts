import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyProofBundle } from '@consent-mailer/api';
import { isSuppressed, openStore } from '@consent-mailer/store';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/shared/app-database.js';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { SEEDED_CONTACTS, seedMailingData } from './support/mailings-seed.js';
import { startSmtpTestServer } from '@consent-mailer/mailer/testing';

const TEXT = {
  nl: {
    download: 'Bewijs downloaden',
    downloaded: 'gedownload.',
    nav: 'Nooit meer mailen',
    source: 'Van wie komt de klacht?',
    hoster: 'Je hostingbedrijf',
    recorded: `${SEEDED_CONTACTS.proven[1]}: klacht vastgelegd (gevonden via het e-mailadres), staat nu op de lijst.`,
    save: 'Dossier downloaden',
    letter: 'letter-nl.pdf',
  },
  en: {
    download: 'Download proof',
    downloaded: 'downloaded.',
    nav: 'Never mail again',
    source: 'Who sent the complaint?',
    hoster: 'Your hosting company',
    recorded: `${SEEDED_CONTACTS.proven[1]}: complaint recorded (found by the e-mail address), now on the list.`,
    save: 'Download dossier',
    letter: 'letter-en.pdf',
  },
} as const;

/**
 * What a hosting company forwards: its own note, with the complained message attached as it arrived.
 * The message is one of the bakery's, to the seeded contact piet@; it carries no token of ours, so the
 * dossier finds the contact by the address.
 */
function forwardedComplaint(to: string): string {
  return [
    'From: Abuse desk <abuse@hoster.example>',
    'To: info@bakkerijdevries.nl',
    'Subject: Spam complaint about your mailing',
    'Date: Mon, 30 Nov 2026 09:00:00 +0100',
    'Message-ID: <case-8812@hoster.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="fwd"',
    '',
    '--fwd',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'One of our customers reported the attached message as spam. Please explain how you got this address.',
    '--fwd',
    'Content-Type: message/rfc822',
    'Content-Disposition: attachment; filename="complained.eml"',
    '',
    'From: Bakkerij de Vries <nieuws@bakkerijdevries.nl>',
    `To: ${to}`,
    'Subject: Nieuws uit de bakkerij',
    'Date: Fri, 27 Nov 2026 10:00:00 +0100',
    'Message-ID: <nieuws-2026-11@bakkerijdevries.nl>',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Deze week: kerststol.',
    '--fwd--',
    '',
  ].join('\r\n');
}

/** Clicks `name` and returns the bytes and name of the download it starts. */
async function download(page: Page, name: string): Promise<{ bytes: Buffer; fileName: string }> {
  const [started] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name }).click(),
  ]);
  const path = await started.path();
  return { bytes: readFileSync(path), fileName: started.suggestedFilename() };
}

describe.each(['nl', 'en'] as const)('proof on demand in the app (%s)', (language) => {
  const text = TEXT[language];
  let app: E2eApp;
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
  let dataDir: string;
  let fingerprint = '';

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    dataDir = await seedMailingData({ smtpPort: smtp.port });
    app = await startE2eApp({ language, dataDir });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("downloads a contact's proof bundle that verifies offline against the key the app names", async () => {
    const { page } = app;
    const email = SEEDED_CONTACTS.proven[0] ?? '';
    await page.goto(`${app.host.url}#/contacts`);
    await page.getByRole('link', { name: email }).click();
    await page.getByRole('heading', { level: 1, name: email }).waitFor();

    const bundle = await download(page, text.download);
    expect(bundle.fileName).toMatch(/\.zip$/);
    await page.getByText(text.downloaded).waitFor();
    // The page keeps the whole command with the key, for the owner to pass on to an accountant.
    const command = (await page.getByTestId('proof-check-command').textContent()) ?? '';
    expect(command).toContain(`consent-mailer verify ${bundle.fileName} --key sha256:`);
    fingerprint = /sha256:[0-9a-f]{64}/.exec(command)?.[0] ?? '';
    expect(fingerprint).not.toBe('');
    await expect.poll(() => page.getByRole('button', { name: text.download }).isEnabled()).toBe(true);
    await app.screenshot(`proof-contact-${language}`);

    const result = verifyProofBundle(bundle.bytes, { trustedFingerprints: [fingerprint] });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ valid: true, keyPinned: true });
    const files = unzipSync(bundle.bytes);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['consent-record.jsonld', `proof-${language}.pdf`, 'manifest.sig']),
    );
    // One byte of the ZIP changed (inside a compressed file): refused.
    const changed = Buffer.from(bundle.bytes);
    const middle = Math.floor(changed.length / 2);
    changed[middle] = (changed[middle] ?? 0) ^ 1;
    expect(verifyProofBundle(changed, { trustedFingerprints: [fingerprint] }).valid).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('turns a forwarded complaint into a dossier with the answer letter, and blocks the address', async () => {
    const { page } = app;
    const email = SEEDED_CONTACTS.proven[1] ?? '';
    await page.getByRole('navigation').getByRole('link', { name: text.nav }).click();
    await page.getByRole('heading', { level: 1, name: text.nav }).waitFor();
    await page.getByRole('combobox', { name: text.source }).click();
    await page.getByRole('option', { name: text.hoster }).click();

    const eml = join(dataDir, `klacht-${language}.eml`);
    writeFileSync(eml, forwardedComplaint(email));
    await page.locator('input[name="complaint-dossier-files"]').setInputFiles(eml);
    const outcome = page.getByText(text.recorded);
    await outcome.waitFor();
    // Centred: the shell's fixed status bar would cover it at the bottom edge.
    await outcome.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await app.screenshot(`proof-dossier-${language}`);

    const dossier = await download(page, text.save);
    const files = unzipSync(dossier.bytes);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([text.letter, 'letter-nl.txt', 'complaint/complained-message.eml']),
    );
    expect(
      Buffer.from(files[text.letter] ?? [])
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    const letter = Buffer.from(files['letter-nl.txt'] ?? []).toString('utf8');
    expect(letter).toContain('Aan de hostingprovider');
    expect(letter).toContain(email);
    expect(verifyProofBundle(dossier.bytes, { trustedFingerprints: [fingerprint] }).valid).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    // Recorded in the database the app uses: the address is never mailed again.
    await app.close();
    const store = await openStore({ path: join(dataDir, DATABASE_FILE) });
    try {
      expect(await isSuppressed(store.db, email)).toBe(true);
      expect(await isSuppressed(store.db, SEEDED_CONTACTS.proven[0] ?? '')).toBe(false);
    } finally {
      await store.close();
    }
    app = undefined as unknown as E2eApp;
  });
});
