import { rmSync } from 'node:fs';
import { createMemorySecretStore } from '@consent-mailer/api';
import { startSmtpTestServer as startMailServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import { TEST_BROWSER, TEST_FEED_TOKEN, type OptinTestService } from '@consent-mailer/optin/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { startShopOptinService } from './support/optin-service.js';
import { SEEDED_CONTACTS, seedMailingData, withDataDirCaller } from './support/mailings-seed.js';
import { startSmtpTestServer } from '@consent-mailer/mailer/testing';

const TEXT = {
  nl: {
    ask: 'Vraag 1 mensen om te bevestigen',
    region: 'Opnieuw om toestemming vragen',
    done: '1 verzoek(en) verstuurd; 0 niet',
    progress: 'Verzoeken verstuurd: 1 van 1',
    none: '0 van 1 gevraagde mensen hebben bevestigd.',
    one: '1 van 1 gevraagde mensen hebben bevestigd.',
    pull: 'Nu ophalen',
    pulled: /nieuw: 1 bevestigd/,
    tab: 'Opt-in-service',
    subject: 'Wil je onze mail blijven ontvangen?',
  },
  en: {
    ask: 'Ask 1 people to confirm',
    region: 'Ask for permission again',
    done: '1 request(s) sent; 0 not',
    progress: 'Requests sent: 1 of 1',
    none: '0 of 1 people asked have confirmed.',
    one: '1 of 1 people asked have confirmed.',
    pull: 'Pull now',
    pulled: /new: 1 confirmed/,
    tab: 'Opt-in service',
    subject: 'Do you want to keep getting our mail?',
  },
} as const;

/**
 * Re-permission from the mailing's assessment: the phone contact (the only one the rules let us ask: the
 * double opt-ins are fresh, the bought address may get nothing) is asked through the paired service, confirms
 * from the mail, and after a pull the card counts the confirmation.
 */
describe.each(['nl', 'en'] as const)('Mailing › ask for permission again (%s)', (language) => {
  const text = TEXT[language];
  let app: E2eApp;
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
  let serviceSmtp: SmtpTestServer;
  let service: OptinTestService;
  let dataDir: string;
  let mailingId: string;
  const secrets = createMemorySecretStore();

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    serviceSmtp = await startMailServer();
    service = await startShopOptinService(serviceSmtp);
    dataDir = await seedMailingData({ smtpPort: smtp.port });
    await withDataDirCaller(
      dataDir,
      async (caller) => {
        await caller.optin.pair({ url: service.base, token: TEST_FEED_TOKEN, senderEntityId: 'bakkerij' });
        const mailing = await caller.mailings.create({
          name: 'Nieuwjaar',
          senderEntityId: 'bakkerij',
          listId: 'nieuwsbrief',
          smtpProfile: 'hoofd',
          subject: 'Nieuws',
          html: '<p>Hallo {{firstName}}</p>',
          content: 'MARKETING',
          promotesThirdParty: false,
          lang: language,
        });
        mailingId = mailing.id;
      },
      secrets,
    );
    app = await startE2eApp({ language, dataDir, host: { secrets } });
  });
  afterAll(async () => {
    await app.close();
    await service.close();
    await serviceSmtp.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks the phone contact to confirm, shows the progress, and counts the confirmation after a pull', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/mailings/${mailingId}`);
    const card = page.getByRole('region', { name: text.region });
    await card.getByRole('button', { name: text.ask }).click();
    await card.getByRole('status').filter({ hasText: text.done }).waitFor();
    await card.getByText(text.progress).waitFor();
    expect(await card.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await card.getByText(text.none).waitFor();
    // The request went through the service's SMTP, to the phone contact only, in the owner's language.
    await serviceSmtp.waitFor(1);
    expect(serviceSmtp.messages).toHaveLength(1);
    const mail = serviceSmtp.receivedBy(SEEDED_CONTACTS.phone)[0];
    expect(mail?.parsed.subject).toBe(text.subject);
    expect(await card.getByRole('button', { name: text.ask }).count()).toBe(0);
    await page.mouse.move(0, 0);
    await card.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`mailing-reconfirm-asked-${language}`);

    // The person confirms from the mail a minute later: GET shows the button, the POST with its nonce confirms.
    const link =
      /http:\/\/127\.0\.0\.1:\d+\/confirm\/[A-Za-z0-9_-]+/.exec(mail?.parsed.text ?? '')?.[0] ?? '';
    service.advance(60_000);
    const confirmPage = await (await fetch(link, { headers: { 'user-agent': TEST_BROWSER } })).text();
    const nonce = /name="nonce" value="([^"]+)"/.exec(confirmPage)?.[1] ?? '';
    const confirmed = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': TEST_BROWSER },
      body: new URLSearchParams({ nonce }).toString(),
    });
    expect(confirmed.status).toBe(200);

    await page.goto(`${app.host.url}#/settings/optin`);
    await page.getByRole('tab', { name: text.tab }).waitFor();
    await page.getByRole('button', { name: text.pull }).click();
    await page.getByRole('status').filter({ hasText: text.pulled }).waitFor();
    await page.goto(`${app.host.url}#/mailings/${mailingId}`);
    await page.reload();
    const after = page.getByRole('region', { name: text.region });
    await after.getByText(text.one).waitFor();
    // Confirmed, the phone contact no longer needs the risk acknowledgement (P1 became the double opt-in D2).
    await expect.poll(() => page.locator('[data-count="needsAck"]').textContent()).toBe('0');
    await after.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await page.mouse.move(0, 0);
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`mailing-reconfirm-confirmed-${language}`);
  });
});
