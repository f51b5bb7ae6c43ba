import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  appRouter,
  createApiContext,
  createCallerFactory,
  createMemorySecretStore,
} from '@consent-mailer/api';
import { startSmtpTestServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import { createList, openStore } from '@consent-mailer/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/shared/app-database.js';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { seedMailingData } from './support/mailings-seed.js';

const TEXT = {
  nl: {
    edit: 'Wijzigen',
    duplicate: 'Kopiëren',
    editTitle: 'Mailing Kerstactie wijzigen',
    subject: 'Onderwerp',
    html: 'Inhoud (HTML)',
    list: 'Lijst',
    saveChanges: 'Wijzigingen opslaan',
    copyName: 'Kerstactie (kopie)',
    copied: 'Kopie gemaakt: Kerstactie (kopie)',
  },
  en: {
    edit: 'Edit',
    duplicate: 'Duplicate',
    editTitle: 'Edit mailing Kerstactie',
    subject: 'Subject',
    html: 'Content (HTML)',
    list: 'List',
    saveChanges: 'Save changes',
    copyName: 'Kerstactie (copy)',
    copied: 'Copy made: Kerstactie (copy)',
  },
} as const;

describe.each(['nl', 'en'] as const)('editing and duplicating a mailing (%s)', (language) => {
  const text = TEXT[language];
  let app: E2eApp;
  let smtp: SmtpTestServer;
  let dataDir: string;
  let mailingId: string;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    dataDir = await seedMailingData({ smtpPort: smtp.port });
    const store = await openStore({ path: join(dataDir, DATABASE_FILE) });
    try {
      await createList(store.db, {
        id: 'klanten',
        name: 'Klanten',
        senderEntityId: 'bakkerij',
        at: new Date().toISOString(),
      });
      const caller = createCallerFactory(appRouter)(
        createApiContext({ store, dataDir, secrets: createMemorySecretStore() }),
      );
      const mailing = await caller.mailings.create({
        name: 'Kerstactie',
        subject: 'Kerstbrood in de aanbieding',
        html: '<p>Beste {{firstName}}, ons kerstbrood is er weer.</p>',
        senderEntityId: 'bakkerij',
        listId: 'nieuwsbrief',
        smtpProfile: 'hoofd',
        lang: 'nl',
      });
      mailingId = mailing.id;
    } finally {
      await store.close();
    }
    app = await startE2eApp({ language, dataDir });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('edits the draft subject, body and list, then duplicates it into a new draft', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/mailings/${mailingId}`);
    await page.getByRole('link', { name: text.edit }).click();
    await page.getByRole('heading', { name: text.editTitle, level: 1 }).waitFor();
    const subject = page.getByRole('textbox', { name: text.subject });
    expect(await subject.inputValue()).toBe('Kerstbrood in de aanbieding');
    await subject.fill('Kerststol en kerstbrood');
    await page
      .getByRole('textbox', { name: text.html })
      .fill('<p>Beste {{firstName}}, de kerststol is er.</p>');
    await page.getByRole('combobox', { name: text.list }).click();
    await page.getByRole('option', { name: /^Klanten/ }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`mailing-edit-${language}`);
    await page.getByRole('button', { name: text.saveChanges }).click();

    // Back on the mailing: the new subject and list, and nothing of the old subject.
    await page.getByRole('button', { name: text.duplicate }).waitFor();
    await page.getByText('Kerststol en kerstbrood').first().waitFor();
    await expect.poll(() => page.getByText('Kerstbrood in de aanbieding').count()).toBe(0);
    await page.getByText('Klanten', { exact: true }).waitFor();

    await page.getByRole('button', { name: text.duplicate }).click();
    await page.getByText(text.copied).first().waitFor();
    await page.getByRole('heading', { name: text.copyName, level: 1 }).waitFor();
    expect(page.url()).not.toContain(mailingId);
    await page.getByText('Kerststol en kerstbrood').first().waitFor();
    // The copy is a draft of its own: it can be edited.
    await page.getByRole('link', { name: text.edit }).waitFor();
    // Off the button just clicked: axe judges the hover colour of the pointer's button otherwise.
    await page.mouse.move(0, 0);
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`mailing-duplicated-${language}`);

    await page.goto(`${app.host.url}#/mailings`);
    await page.getByText(text.copyName).first().waitFor();
    expect(await page.getByText('Kerstactie', { exact: true }).count()).toBe(1);
  });
});
