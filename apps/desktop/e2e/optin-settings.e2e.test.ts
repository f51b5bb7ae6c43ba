import { createPublicKey, hash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createMemorySecretStore } from '@consent-mailer/api';
import { startSmtpTestServer as startMailServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import { TEST_FEED_TOKEN as FEED_TOKEN, type OptinTestService } from '@consent-mailer/optin/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { startShopOptinService } from './support/optin-service.js';
import { seedMailingData } from './support/mailings-seed.js';
import { startSmtpTestServer } from '@consent-mailer/mailer/testing';

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

describe.each(['nl', 'en'] as const)('Settings › Opt-in service (%s)', (language) => {
  const text = TEXT[language];
  let app: E2eApp;
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
  let serviceSmtp: SmtpTestServer;
  let service: OptinTestService;
  let dataDir: string;
  const secrets = createMemorySecretStore();

  /** Signs up with the service's form and confirms from the mail a minute later. */
  const signUp = (email: string) => service.signUp(email, { lists: ['nieuwsbrief'] });

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    serviceSmtp = await startMailServer();
    service = await startShopOptinService(serviceSmtp);
    dataDir = await seedMailingData({ smtpPort: smtp.port });
    app = await startE2eApp({ language, dataDir, host: { secrets } });
  });
  afterAll(async () => {
    await app.close();
    await service.close();
    await serviceSmtp.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('pairs with the URL and feed token, shows the pinned key and the confirmed sign-up, and pulls new ones', async () => {
    await signUp('anna.optin@example.nl');
    const { page } = app;
    await page.goto(`${app.host.url}#/settings/optin`);
    await page.getByRole('tab', { name: text.tab }).waitFor();
    await page.getByLabel(text.url).fill(service.base);
    await page.getByLabel(text.token).fill(FEED_TOKEN);
    await page.getByRole('button', { name: text.pair }).click();

    const fingerprint = hash(
      'sha256',
      createPublicKey(service.server.publicKey).export({ format: 'der', type: 'spki' }),
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
