import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { seedMailingData, withDataDirCaller } from './support/mailings-seed.js';
import { startSmtpTestServer } from '@consent-mailer/mailer/testing';

/**
 * A mailing that one of its own rules blocks (M7: neither SPF nor DKIM for the sending domain) must say what
 * to fix, and must not offer what cannot help: no signing dialog, no send button that only fails later.
 */
describe('a mailing blocked by a mailing rule', () => {
  let app: E2eApp;
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
  let dataDir: string;
  let mailingId: string;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    dataDir = await seedMailingData({ smtpPort: smtp.port });
    await withDataDirCaller(dataDir, async (caller) => {
      await caller.smtp.add({
        name: 'zonder-spf',
        senderEntityId: 'bakkerij',
        host: '127.0.0.1',
        port: smtp.port,
        security: 'NONE',
        fromName: 'Bakkerij de Vries',
        fromAddress: 'nieuws@bakkerijdevries.nl',
        spfDeclared: false,
        dmarcDeclared: false,
      });
      const mailing = await caller.mailings.create({
        name: 'Zonder SPF',
        senderEntityId: 'bakkerij',
        listId: 'nieuwsbrief',
        smtpProfile: 'zonder-spf',
        subject: 'Nieuws',
        html: '<p>Hallo {{firstName}}</p>',
        content: 'MARKETING',
        promotesThirdParty: false,
        lang: 'nl',
      });
      mailingId = mailing.id;
    });
    app = await startE2eApp({ language: 'nl', dataDir });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says why and what to fix, offers no signing and no sending', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/mailings/${mailingId}`);
    const alert = page.getByRole('alert').filter({ hasText: 'Deze mailing kan zo niet verstuurd worden' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/SPF/);
    // The phone contact needs an acknowledgement, but signing cannot unblock the mailing: not offered.
    expect(await page.getByRole('button', { name: 'Verklaring lezen en tekenen' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Nu versturen' }).isDisabled()).toBe(true);
    await app.screenshot('mailing-blocked-nl');
    expect(smtp.messages.length).toBe(0);
  });
});
