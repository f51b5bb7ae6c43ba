import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { seedMailingData } from './support/mailings-seed.js';
import { startSmtpTestServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';

const TEXT = {
  nl: {
    newMailing: 'Nieuwe mailing',
    form: 'Mailing schrijven',
    name: 'Naam (alleen voor jezelf)',
    subject: 'Onderwerp',
    body: 'Tekst van de mailing',
    bold: 'Vet',
    heading: 'Kop',
    bullets: 'Opsomming',
    insertField: 'Veld invoegen',
    firstName: 'voornaam',
    announcement: 'Aankondiging',
    save: 'Opslaan en beoordelen',
    edit: 'Wijzigen',
    saveChanges: 'Wijzigingen opslaan',
    frame: 'Voorbeeld van de mailing',
    previewFor: 'Bekijken zoals dit contact het krijgt',
    show: 'Tonen',
    sendTest: 'Test sturen',
    sent: 'Test verstuurd naar info@bakkerijdevries.nl',
    missing: 'Schrijf eerst de tekst van de mailing.',
  },
  en: {
    newMailing: 'New mailing',
    form: 'Write a mailing',
    name: 'Name (only for you)',
    subject: 'Subject',
    body: 'Text of the mailing',
    bold: 'Bold',
    heading: 'Heading',
    bullets: 'Bulleted list',
    insertField: 'Insert field',
    firstName: 'first name',
    announcement: 'Announcement',
    save: 'Save and assess',
    edit: 'Edit',
    saveChanges: 'Save changes',
    frame: 'Preview of the mailing',
    previewFor: 'View as this contact gets it',
    show: 'Show',
    sendTest: 'Send test',
    sent: 'Test sent to info@bakkerijdevries.nl',
    missing: 'Write the text of the mailing first.',
  },
} as const;

describe.each(['nl', 'en'] as const)('writing a mailing in the editor (%s)', (language) => {
  const text = TEXT[language];
  let app: E2eApp;
  let smtp: SmtpTestServer;
  let dataDir: string;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    dataDir = await seedMailingData({ smtpPort: smtp.port });
    app = await startE2eApp({ language, dataDir });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes with headings, bold, a list and a merge field in a layout, and the test mail arrives in it', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/mailings`);
    await page.getByRole('link', { name: text.newMailing }).click();
    const form = page.getByRole('form', { name: text.form });
    await form.getByLabel(text.name).fill('Voorjaar');
    await form.getByLabel(text.subject).fill('Voorjaarsbrood voor {{firstName|u}}');

    // Saving without a text says what is missing, and saves nothing.
    await form.getByRole('button', { name: text.save }).click();
    await form.getByRole('alert').filter({ hasText: text.missing }).waitFor();

    // Typed as in a word processor: a heading, a greeting with the first name from the menu, bold, a list.
    const editor = form.getByRole('textbox', { name: text.body });
    await editor.click();
    await form.getByRole('button', { name: text.heading, exact: true }).click();
    await page.keyboard.type('Het voorjaarsbrood is er');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Beste ');
    await form.getByRole('button', { name: text.insertField }).click();
    await page.getByRole('menuitem', { name: text.firstName, exact: true }).click();
    await page.keyboard.type(', proef ');
    await page.keyboard.press('ControlOrMeta+b');
    await page.keyboard.type('deze week');
    await page.keyboard.press('ControlOrMeta+b');
    await page.keyboard.type(' gratis.');
    await page.keyboard.press('Enter');
    await form.getByRole('button', { name: text.bullets }).click();
    await page.keyboard.type('Spelt');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Rogge');

    // The live preview is the layout around the text: the sender's name on top, the 600 px column.
    const frame = page.locator(`iframe[title="${text.frame}"]`);
    await expect.poll(async () => (await frame.getAttribute('srcdoc')) ?? '').toContain('Rogge');
    const srcdoc = (await frame.getAttribute('srcdoc')) ?? '';
    expect(srcdoc).toContain('<h2>Het voorjaarsbrood is er</h2>');
    expect(srcdoc).toContain('Beste {{firstName}}, proef <strong>deze week</strong> gratis.');
    expect(srcdoc).toMatch(/<ul><li><p>Spelt<\/p><\/li><li><p>Rogge<\/p><\/li><\/ul>/);
    expect(srcdoc).toContain('max-width:600px');
    const preview = page.frameLocator(`iframe[title="${text.frame}"]`);
    await preview.getByText('Bakkerij de Vries', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`mailing-composer-${language}`);

    // Another layout changes the look, not the text.
    await form.locator('label', { hasText: text.announcement }).click();
    await expect
      .poll(async () => (await frame.getAttribute('srcdoc')) ?? '')
      // The announcement's orange band (the preview's sanitiser drops the layout's marker comment).
      .toContain('border-top:6px solid #b86e00');
    expect((await frame.getAttribute('srcdoc')) ?? '').toContain('<h2>Het voorjaarsbrood is er</h2>');
    await app.screenshot(`mailing-composer-announcement-${language}`);

    await form.getByRole('button', { name: text.save }).click();
    // On the mailing: shown as Jan gets it (his name filled in, the footer under it), and a test mail.
    await page.getByRole('textbox', { name: text.previewFor }).fill('jan@example.nl');
    await page.getByRole('button', { name: text.show, exact: true }).click();
    await page.getByTestId('preview-subject').filter({ hasText: 'Voorjaarsbrood voor Jan' }).waitFor();
    await preview.getByText(/Beste Jan, proef/).waitFor();
    await page.getByRole('button', { name: text.sendTest }).click();
    await page.getByText(text.sent).waitFor();
    await expect.poll(() => smtp.messages.length).toBe(1);
    const html = smtp.messages[0]?.parsed.html;
    expect(typeof html === 'string' ? html : '').toContain('<h2>Het voorjaarsbrood is er</h2>');
    expect(typeof html === 'string' ? html : '').toContain('max-width:600px');
    // The plain-text part is made from it, with the list readable.
    expect(smtp.messages[0]?.parsed.text).toMatch(/Spelt[\s\S]*Rogge/);

    // Editing the draft opens the text in the editor again, not its HTML.
    await page.getByRole('link', { name: text.edit }).click();
    const editForm = page.getByRole('form', { name: text.form });
    const again = editForm.getByRole('textbox', { name: text.body });
    await again.getByText('Rogge').waitFor();
    expect(await editForm.getByRole('radio', { name: text.announcement }).isChecked()).toBe(true);
    await again.getByText('Rogge').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' en haver');
    await editForm.getByRole('button', { name: text.saveChanges }).click();
    await page.getByRole('link', { name: text.edit }).waitFor();
    await page.getByRole('link', { name: text.edit }).click();
    await page
      .getByRole('form', { name: text.form })
      .getByRole('textbox', { name: text.body })
      .getByText('Rogge en haver')
      .waitFor();
  });

  it('reads on a phone: the layout fits a 375 px screen without sideways scrolling', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/mailings`);
    await page.getByRole('link', { name: text.newMailing }).click();
    const form = page.getByRole('form', { name: text.form });
    await form.getByRole('textbox', { name: text.body }).click();
    await page.keyboard.type('Een lange zin over brood '.repeat(8));
    const frame = page.locator(`iframe[title="${text.frame}"]`);
    await expect.poll(async () => (await frame.getAttribute('srcdoc')) ?? '').toContain('brood');
    const mail = (await frame.getAttribute('srcdoc')) ?? '';
    const phone = await app.context.newPage();
    try {
      await phone.setViewportSize({ width: 375, height: 700 });
      await phone.setContent(mail);
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(375);
    } finally {
      await phone.close();
    }
  });
});
