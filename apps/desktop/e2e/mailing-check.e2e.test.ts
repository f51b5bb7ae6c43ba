import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { seedMailingData, withDataDirCaller } from './support/mailings-seed.js';
import { startSmtpTestServer } from './support/smtp-test-server.js';

const TEXT = {
  nl: {
    previewFor: 'Bekijken zoals dit contact het krijgt',
    show: 'Tonen',
    sendTest: 'Test sturen',
    sent: 'Test verstuurd naar info@bakkerijdevries.nl',
    frame: 'Voorbeeld van de mailing',
    notFound: 'Er is geen contact',
  },
  en: {
    previewFor: 'View as this contact gets it',
    show: 'Show',
    sendTest: 'Send test',
    sent: 'Test sent to info@bakkerijdevries.nl',
    frame: 'Preview of the mailing',
    notFound: 'There is no contact',
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
    await withDataDirCaller(dataDir, async (caller) => {
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
    expect(smtp.messages.at(-1)?.raw).toContain('[TEST] Kerstbrood voor u');
  });
});
