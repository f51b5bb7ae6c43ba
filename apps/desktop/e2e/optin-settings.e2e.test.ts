import { createPublicKey, hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemorySecretStore } from '@consent-mailer/api';
import { startSmtpTestServer as startMailServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import { createOptinServer, parseConfig, type OptinServer } from '@consent-mailer/optin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { seedMailingData } from './support/mailings-seed.js';
import { startSmtpTestServer } from './support/smtp-test-server.js';

const FEED_TOKEN = 'desktop-e2e-feed-token-0123456789';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0';

const TEXT = {
  nl: {
    tab: 'Opt-in-service',
    url: 'Adres van de service',
    token: 'Feedtoken',
    pair: 'Koppelen',
    pull: 'Nu ophalen',
    consented: 'Contact met dubbele opt-in',
    pulled: '3 nieuw: 1 bevestigd, 0 afgemeld, 0 wachten op bevestiging',
  },
  en: {
    tab: 'Opt-in service',
    url: 'Service address',
    token: 'Feed token',
    pair: 'Pair',
    pull: 'Pull now',
    consented: 'Contact with double opt-in',
    pulled: '3 new: 1 confirmed, 0 unsubscribed, 0 awaiting confirmation',
  },
} as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe.each(['nl', 'en'] as const)('Settings › Opt-in service (%s)', (language) => {
  const text = TEXT[language];
  let app: E2eApp;
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
  let serviceSmtp: SmtpTestServer;
  let service: OptinServer;
  let base: string;
  let dir: string;
  let dataDir: string;
  let offset = 0;
  const secrets = createMemorySecretStore();

  /** Signs up with the service's form and confirms from the mail a minute later. */
  async function signUp(email: string): Promise<void> {
    const before = serviceSmtp.messages.length;
    const form = new URLSearchParams({
      form_id: 'newsletter',
      form_version: '1',
      consent_text_version: 'v1',
      email,
      lists: 'nieuwsbrief',
      website: '',
    });
    await fetch(`${base}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': BROWSER },
      body: form.toString(),
    });
    await serviceSmtp.waitFor(before + 1);
    const link = /http:\/\/127\.0\.0\.1:\d+\/confirm\/[\w-]+/.exec(
      serviceSmtp.messages.at(-1)?.parsed.text ?? '',
    )?.[0];
    if (!link) throw new Error('no confirmation link');
    offset += 60_000;
    const page = await (await fetch(link, { headers: { 'user-agent': BROWSER } })).text();
    const nonce = /name="nonce" value="([^"]+)"/.exec(page)?.[1] ?? '';
    await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': BROWSER },
      body: new URLSearchParams({ nonce }).toString(),
    });
    await serviceSmtp.waitFor(before + 2);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'optin-e2e-'));
    smtp = await startSmtpTestServer();
    serviceSmtp = await startMailServer();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = await createOptinServer({
      config: parseConfig({
        publicUrl: base,
        listen: { host: '127.0.0.1', port },
        database: { kind: 'sqlite', file: join(dir, 'optin.sqlite') },
        signingKeyFile: join(dir, 'key.pem'),
        feedToken: FEED_TOKEN,
        smtp: { host: serviceSmtp.host, port: serviceSmtp.port, security: 'NONE', connections: 1 },
        mailFrom: 'nieuwsbrief@bakkerijdevries.nl',
        controller: {
          legalName: 'Bakkerij de Vries B.V.',
          postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
          contactEmail: 'info@bakkerijdevries.nl',
          kvkNumber: '12345678',
        },
        forms: [
          {
            id: 'newsletter',
            version: '1',
            lists: [{ id: 'nieuwsbrief', name: { nl: 'Nieuwsbrief', en: 'Newsletter' } }],
            consentTexts: [
              {
                version: 'v1',
                text: { nl: 'Ja, stuur mij de nieuwsbrief.', en: 'Yes, send me the newsletter.' },
              },
            ],
          },
        ],
      }),
      now: () => new Date(Date.now() + offset),
      logLevel: 'silent',
    });
    await service.listen();
    dataDir = await seedMailingData({ smtpPort: smtp.port });
    app = await startE2eApp({ language, dataDir, host: { secrets } });
  });
  afterAll(async () => {
    await app.close();
    await service.close();
    await serviceSmtp.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('pairs with the URL and feed token, shows the pinned key and the confirmed sign-up, and pulls new ones', async () => {
    await signUp('anna.optin@example.nl');
    const { page } = app;
    await page.goto(`${app.host.url}#/settings/optin`);
    await page.getByRole('tab', { name: text.tab }).waitFor();
    await page.getByLabel(text.url).fill(base);
    await page.getByLabel(text.token).fill(FEED_TOKEN);
    await page.getByRole('button', { name: text.pair }).click();

    const fingerprint = hash(
      'sha256',
      createPublicKey(service.publicKey).export({ format: 'der', type: 'spki' }),
      'hex',
    );
    await page.getByText(fingerprint).waitFor();
    const table = page.getByRole('table');
    await table.getByText('anna.optin@example.nl').first().waitFor();
    await table.getByText(text.consented).waitFor();
    // The token went to the keychain (here the host's secret store), not into the page or the database.
    expect(await secrets.get('optin:feed-token')).toBe(FEED_TOKEN);

    await signUp('bram.optin@example.nl');
    await page.getByRole('button', { name: text.pull }).click();
    await page.getByRole('status').filter({ hasText: text.pulled }).waitFor();
    await table.getByText('bram.optin@example.nl').first().waitFor();
    await expect.poll(() => table.getByText(text.consented).count()).toBe(2);

    await page.mouse.move(0, 0);
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`optin-settings-${language}`);
  });
});
