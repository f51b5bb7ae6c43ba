import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { doubleOptInConsent, seedList } from '@consent-mailer/store/testing';
import { seedMailingData, SIGNUP, withDataDirCaller } from './support/mailings-seed.js';
import { startSmtpTestServer } from '@consent-mailer/mailer/testing';

const TEXT = {
  nl: {
    previewFor: 'Bekijken zoals dit contact het krijgt',
    show: 'Tonen',
    sendTest: 'Test sturen',
    sent: 'Test verstuurd naar info@bakkerijdevries.nl',
    frame: 'Voorbeeld van de mailing',
    notFound: 'Er is geen contact',
    role: '1 ontvanger(s) op een algemeen adres',
  },
  en: {
    previewFor: 'View as this contact gets it',
    show: 'Show',
    sendTest: 'Send test',
    sent: 'Test sent to info@bakkerijdevries.nl',
    frame: 'Preview of the mailing',
    notFound: 'There is no contact',
    role: '1 recipient(s) at a general address',
  },
} as const;

describe.each(['nl', 'en'] as const)('checking a mailing before sending (%s)', (language) => {
  const text = TEXT[language];
  let app: E2eApp;
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
  let dataDir: string;
  let mailingId: string;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    dataDir = await seedMailingData({ smtpPort: smtp.port });
    await withDataDirCaller(dataDir, async (caller, store) => {
      // A shop that signed up with its general address: mailed, but flagged before sending.
      await seedList(
        store.db,
        'nieuwsbrief',
        [
          {
            email: 'info@winkel.example',
            recipientKind: 'LEGAL_PERSON',
            consent: doubleOptInConsent('bakkerij', { ...SIGNUP, confirmTokenId: 'token-winkel' }),
          },
        ],
        { at: new Date().toISOString() },
      );
      const mailing = await caller.mailings.create({
        name: 'Kerst',
        senderEntityId: 'bakkerij',
        listId: 'nieuwsbrief',
        smtpProfile: 'hoofd',
        subject: 'Kerstbrood voor {{firstName|u}}',
        html: '<p>Beste {{firstName|klant}}, ons kerstbrood is er weer.</p>',
        content: 'MARKETING',
        promotesThirdParty: false,
        lang: 'nl',
      });
      mailingId = mailing.id;
    });
    app = await startE2eApp({ language, dataDir });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('flags the recipient at a general address (info@) before sending', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/mailings/${mailingId}`);
    const role = page.getByTestId('role-addresses');
    await role.getByText(text.role).waitFor();
    expect(await role.textContent()).toContain('info@winkel.example');
    expect(await role.textContent()).not.toContain('jan@example.nl');
    await role.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await app.screenshot(`mailing-role-addresses-${language}`);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows the message as Jan gets it, with the footer, and sends a test only to the business', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/mailings/${mailingId}`);
    await page.getByRole('textbox', { name: text.previewFor }).fill('jan@example.nl');
    await page.getByRole('button', { name: text.show, exact: true }).click();
    await page.getByTestId('preview-subject').filter({ hasText: 'Kerstbrood voor Jan' }).waitFor();
    const frame = page.frameLocator(`iframe[title="${text.frame}"]`);
    await frame.getByText('Beste Jan, ons kerstbrood is er weer.').waitFor();
    await frame
      .getByText(/Bakkerij de Vries/)
      .first()
      .waitFor();
    await app.screenshot(`mailing-check-${language}`);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('textbox', { name: text.previewFor }).fill('niemand@example.nl');
    await page.getByRole('button', { name: text.show, exact: true }).click();
    await page.getByRole('alert').filter({ hasText: text.notFound }).waitFor();

    await page.getByRole('button', { name: text.sendTest }).click();
    await page.getByText(text.sent).waitFor();
    await expect.poll(() => smtp.messages.length).toBe(1);
    expect(smtp.messages.at(-1)?.to).toEqual(['info@bakkerijdevries.nl']);
    expect(smtp.messages.at(-1)?.raw.toString('utf8')).toContain('[TEST] Kerstbrood voor u');
  });
});
