import { generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createMemorySecretStore, createSendingServices } from '@consent-mailer/api';
import { startDovecot, type DovecotServer } from '@consent-mailer/intake/testing';
import { createDnsResolver } from '@consent-mailer/mailer';
import { startDnsTestServer, txt, type DnsTestServer } from '@consent-mailer/mailer/testing';
import { ImapFlow } from 'imapflow';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { seedMailingData } from './support/mailings-seed.js';
import { startSmtpTestServer } from '@consent-mailer/mailer/testing';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const GOOD_KEY = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_KEY = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const DKIM_RECORD = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;

/** axe on the page at rest: the pointer off the button or link it pressed (a hover colour is no state). */
async function violationsAtRest(page: Page) {
  await page.mouse.move(0, 0);
  return seriousViolations(page);
}

/** jan's 5.1.1 and piet's full mailbox; the 5.7.26 is an alert, no bounce. */
const COUNTS_UNATTRIBUTED = ['0', '1', '1', '0'];

/** An RFC 3464 delivery status notification as a receiving server sends it back. */
function dsn(recipient: string, status: string, diagnostic: string): string {
  return [
    'From: MAILER-DAEMON@mx.example.nl',
    'To: nieuws@bakkerijdevries.nl',
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    '',
    '--B',
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered.',
    '--B',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.nl',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    'Action: failed',
    `Status: ${status}`,
    `Diagnostic-Code: smtp; ${diagnostic}`,
    '',
    '--B--',
    '',
  ].join('\r\n');
}

/**
 * Deliverability and mailbox intake through the real UI in Chromium: a real DNS server (Knot) with the
 * bakery's SPF and DKIM key but no DMARC, a real SMTP server, a real Dovecot mailbox read by the host's
 * schedule while the app is open.
 */
describe('deliverability settings and mailbox intake', () => {
  let app: E2eApp;
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
  let dns: DnsTestServer;
  let dovecot: DovecotServer;
  let dataDir: string;
  const secrets = createMemorySecretStore();
  const host = () => ({
    sending: createSendingServices({ resolver: createDnsResolver([dns.server]) }),
    secrets,
    intakeTickSeconds: 1,
  });

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    dns = await startDnsTestServer({
      'bakkerijdevries.nl': ['@ TXT "v=spf1 ip4:127.0.0.1 -all"', `s1._domainkey TXT ${txt(DKIM_RECORD)}`],
    });
    dovecot = await startDovecot({ users: { info: 'geheim' } });
    dataDir = await seedMailingData({ smtpPort: smtp.port });
    app = await startE2eApp({ language: 'nl', dataDir, host: host() });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    await dns.close();
    await dovecot.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a broken DKIM key, checks SPF/DKIM/DMARC in DNS and runs the self-test', async () => {
    const { page } = app;
    await page.goto(`${app.host.origin}/#/settings/smtp`);
    const section = page.getByRole('region', { name: 'Bezorgbaarheid' });
    await section.waitFor();
    // Before any DNS check: the owner's declarations, labelled as such.
    await expect
      .poll(() => section.getByText('opgegeven, niet gecontroleerd', { exact: true }).isVisible())
      .toBe(true);

    const dkim = section.getByRole('form', { name: 'DKIM-sleutel' });
    await dkim.getByLabel(/^Selector/).fill('s1');
    // The public key pasted by mistake: refused, nothing stored.
    await dkim.getByLabel('Privésleutel (PEM)').fill(PUBLIC_KEY);
    await dkim.getByRole('button', { name: 'Sleutel controleren en opslaan' }).click();
    await expect.poll(() => dkim.getByRole('alert').textContent()).toMatch(/sleutel/i);
    expect(await dkim.getByText('Nog geen DKIM-sleutel').isVisible()).toBe(true);
    // The key on one line: refused too.
    await dkim.getByLabel('Privésleutel (PEM)').fill(GOOD_KEY.replace(/\n/g, ' '));
    await dkim.getByRole('button', { name: 'Sleutel controleren en opslaan' }).click();
    await expect.poll(() => dkim.getByRole('alert').isVisible()).toBe(true);
    await app.screenshot('deliverability-broken-key-nl');

    await dkim.getByLabel('Privésleutel (PEM)').fill(GOOD_KEY);
    await dkim.getByRole('button', { name: 'Sleutel controleren en opslaan' }).click();
    await expect.poll(() => dkim.getByText('DKIM-sleutel opgeslagen').isVisible()).toBe(true);
    expect(await dkim.getByText('s1._domainkey.bakkerijdevries.nl').first().isVisible()).toBe(true);
    expect(await dkim.getByText('Nu: domein bakkerijdevries.nl, selector s1').isVisible()).toBe(true);

    await section.getByRole('button', { name: 'Nu controleren in de DNS' }).click();
    const table = section.getByRole('table', { name: 'SPF, DKIM en DMARC' });
    await table.waitFor();
    const verdict = (check: string) =>
      table
        .getByRole('row')
        .filter({ hasText: check })
        .getByText(/in orde/i);
    await expect.poll(() => verdict('SPF').textContent()).toBe('In orde');
    expect(await verdict('DKIM').textContent()).toBe('In orde');
    expect(await verdict('DMARC').textContent()).toBe('Niet in orde');
    // DMARC is missing: the exact record to publish, and when it was checked.
    const dmarcRow = table.getByRole('row').filter({ hasText: 'DMARC' });
    expect(await dmarcRow.getByText('_dmarc.bakkerijdevries.nl', { exact: true }).isVisible()).toBe(true);
    expect(await dmarcRow.getByText(/v=DMARC1/).isVisible()).toBe(true);
    expect(await section.getByText(/^gecontroleerd in de DNS/).isVisible()).toBe(true);
    expect(await section.getByText(/Gecontroleerd op/).isVisible()).toBe(true);

    await section.getByRole('button', { name: 'Zelftest uitvoeren' }).click();
    const results = section.getByRole('region', { name: 'Uitslag zoals een ontvanger die noteert' });
    await results.waitFor();
    expect(await results.getByText('SPF: geslaagd').isVisible()).toBe(true);
    expect(await results.getByText('DKIM: geslaagd').isVisible()).toBe(true);
    expect(await results.getByText('DMARC: niets gevonden').isVisible()).toBe(true);
    expect(await results.getByText(/Niet geslaagd/).isVisible()).toBe(true);
    expect(await results.getByText(/Authentication-Results: .*dkim=pass/s).isVisible()).toBe(true);
    await results.getByRole('button', { name: 'Ruw bericht tonen' }).click();
    expect(await results.getByText(/DKIM-Signature: .*d=bakkerijdevries\.nl/s).isVisible()).toBe(true);
    expect(await results.getByText(/List-Unsubscribe:/).isVisible()).toBe(true);

    const pacing = section.getByRole('form', { name: 'Tempo voor dit domein opslaan' });
    await pacing.getByLabel(/^Domein/).fill('ziggo.nl');
    await pacing.getByLabel('Per minuut').fill('7');
    await pacing.getByRole('button', { name: 'Tempo voor dit domein opslaan' }).click();
    const overrides = section.getByRole('table', { name: 'Jouw instellingen per domein' });
    await expect
      .poll(() => overrides.getByRole('row').filter({ hasText: 'ziggo.nl' }).textContent())
      .toContain('7');
    expect(await section.getByText('Geen opwarmlimiet vandaag.').isVisible()).toBe(true);
    await section.getByRole('heading', { name: 'SPF, DKIM en DMARC' }).scrollIntoViewIfNeeded();
    await app.screenshot('deliverability-checked-nl');
    await results.scrollIntoViewIfNeeded();
    await app.screenshot('deliverability-self-test-nl');
    expect(await violationsAtRest(page)).toEqual([]);
  });

  it('adds a mailbox after a connection test and shows what the schedule read', async () => {
    const { page } = app;
    await page.goto(`${app.host.origin}/#/settings/intake`);
    const form = page.getByRole('form', { name: 'Postvak toevoegen' });
    await form.waitFor();
    await form.getByLabel(/^Naam/).fill('info');
    await form.getByLabel('IMAP-server').fill(dovecot.host);
    await form.getByRole('combobox', { name: 'Beveiliging' }).click();
    await page.getByRole('option', { name: /^Geen/ }).click();
    await form.getByLabel(/^Poort/).fill(String(dovecot.port));
    await form.getByLabel('Gebruikersnaam').fill('info');
    await form.getByRole('textbox', { name: /^Wachtwoord/ }).fill('fout');
    await form.getByRole('button', { name: 'Verbinding testen en opslaan' }).click();
    // A wrong password: the connection test refuses it and nothing is saved.
    await expect.poll(() => form.getByRole('alert').isVisible()).toBe(true);
    expect(await page.getByText('Nog geen postvak ingesteld.').isVisible()).toBe(true);
    await app.screenshot('intake-wrong-password-nl');

    const imap = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      doSTARTTLS: false,
      auth: { user: 'info', pass: 'geheim' },
      logger: false,
    });
    await imap.connect();
    await imap.append('INBOX', dsn('jan@example.nl', '5.1.1', '550 5.1.1 User unknown'));
    await imap.append('INBOX', dsn('piet@example.nl', '4.2.2', '452 4.2.2 Mailbox full'));
    await imap.append(
      'INBOX',
      dsn(
        'telefoon@example.nl',
        '5.7.26',
        '550 5.7.26 This mail has been blocked because the sender is unauthenticated (DMARC)',
      ),
    );
    await imap.logout();

    await form.getByRole('textbox', { name: /^Wachtwoord/ }).fill('geheim');
    await form.getByRole('button', { name: 'Verbinding testen en opslaan' }).click();
    const mailboxes = page.getByRole('table', { name: 'Postvak voor bounces en afmeldingen' });
    await mailboxes.waitFor();
    // The host's schedule reads the new mailbox on its own (no button pressed).
    await expect
      .poll(async () => {
        await page.reload();
        return mailboxes.getByRole('row').filter({ hasText: 'info' }).textContent();
      })
      .not.toContain('nog nooit');
    await mailboxes.getByRole('button', { name: 'Verbinding testen: info' }).click();
    await expect.poll(() => mailboxes.getByRole('status').textContent()).toContain('Verbinding werkt');
    await app.screenshot('intake-mailbox-nl');
    expect(await violationsAtRest(page)).toEqual([]);

    await page.getByRole('link', { name: 'Binnengekomen', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Binnengekomen' }).waitFor();
    const alerts = page.getByRole('table', { name: 'Waarschuwingen over je afzender' });
    await expect.poll(() => alerts.textContent()).toContain('Je DKIM, SPF of DMARC wordt geweigerd');
    expect(await alerts.textContent()).toContain('5.7.26');
    // Nothing was sent from this database, so the bounces tie to no delivery: counted as not traceable to
    // a mailing (unsubscribes, hard, soft, complaints), and no contact is named.
    const perMailing = page.getByRole('table', { name: 'Per mailing' });
    const unattributed = perMailing.getByRole('row').filter({ hasText: 'Niet aan een mailing te koppelen' });
    await expect
      .poll(async () => (await unattributed.getByRole('cell').allTextContents()).slice(1))
      .toEqual(COUNTS_UNATTRIBUTED);
    expect(await page.getByRole('table', { name: 'Per contact' }).count()).toBe(0);
    await app.screenshot('arrivals-nl');
    expect(await violationsAtRest(page)).toEqual([]);
  });

  it('shows the same screens in English', async () => {
    await app.close();
    app = await startE2eApp({ language: 'en', dataDir, host: host() });
    const { page } = app;
    await page.goto(`${app.host.origin}/#/settings/smtp`);
    const section = page.getByRole('region', { name: 'Deliverability' });
    await section.waitFor();
    await expect.poll(() => section.getByText(/^Checked on /).isVisible()).toBe(true);
    expect(await section.getByText('Publish this record').first().isVisible()).toBe(true);
    await section.getByRole('button', { name: 'Run self-test' }).click();
    await section.getByText('SPF: passed').waitFor();
    await section.getByRole('heading', { name: 'SPF, DKIM and DMARC' }).scrollIntoViewIfNeeded();
    await app.screenshot('deliverability-checked-en');
    expect(await violationsAtRest(page)).toEqual([]);
    await page.goto(`${app.host.origin}/#/arrivals`);
    await page.getByRole('heading', { level: 1, name: 'Arrivals' }).waitFor();
    await expect
      .poll(() => page.getByRole('table', { name: 'Alerts about your sender' }).textContent())
      .toContain('Your DKIM, SPF or DMARC is being refused');
    await app.screenshot('arrivals-en');
    expect(await violationsAtRest(page)).toEqual([]);
    await page.goto(`${app.host.origin}/#/settings/intake`);
    await page.getByRole('table', { name: 'Mailbox for bounces and unsubscribes' }).waitFor();
    await app.screenshot('intake-mailbox-en');
  });
});
