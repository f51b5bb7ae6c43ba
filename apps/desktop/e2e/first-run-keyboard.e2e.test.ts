import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { chooseWithKeys, tabTo } from './support/keyboard.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

const TEXT = {
  nl: {
    settings: 'Instellingen',
    entitiesTable: 'Afzenders (rechtspersonen)',
    legalName: 'Statutaire naam',
    tradeName: 'Handelsnaam',
    postalAddress: 'Postadres',
    contactEmail: 'E-mailadres voor contact',
    kvk: 'KvK-nummer',
    saveEntity: 'Afzender opslaan',
    import: 'Importeren',
    importTitle: 'Contacten importeren',
    choose: 'Bestand kiezen…',
    next: 'Verder',
    entity: 'Afzender (rechtspersoon)',
    method: 'Hoe kregen deze contacten je toestemming?',
    soi: 'Aanmelding via website zonder bevestiging (enkele opt-in)',
    start: 'Import starten',
    done: 'Import voltooid',
    mailings: 'Mailings',
    newMailing: 'Nieuwe mailing',
    compose: 'Mailing schrijven',
    name: 'Naam (alleen voor jezelf)',
    subject: 'Onderwerp',
    contacts: 'Contacten',
    addContact: 'Contact toevoegen',
    email: 'E-mailadres',
    close: 'Annuleren',
  },
  en: {
    settings: 'Settings',
    entitiesTable: 'Senders (legal entities)',
    legalName: 'Legal name',
    tradeName: 'Trade name',
    postalAddress: 'Postal address',
    contactEmail: 'Contact e-mail address',
    kvk: 'KvK number',
    saveEntity: 'Save sender',
    import: 'Import',
    importTitle: 'Import contacts',
    choose: 'Choose file…',
    next: 'Next',
    entity: 'Sender (legal entity)',
    method: 'How did these contacts give you consent?',
    soi: 'Web sign-up without confirmation (single opt-in)',
    start: 'Start import',
    done: 'Import complete',
    mailings: 'Mailings',
    newMailing: 'New mailing',
    compose: 'Write a mailing',
    name: 'Name (only for you)',
    subject: 'Subject',
    contacts: 'Contacts',
    addContact: 'Add contact',
    email: 'E-mail address',
    close: 'Cancel',
  },
} as const;

/**
 * The first run with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrow keys; no click): every
 * control on the way can be reached, shows where the focus is, and works.
 */
describe.each(['nl', 'en'] as const)('the first run with the keyboard only (%s)', (language) => {
  const text = TEXT[language];
  let app: E2eApp;

  beforeAll(async () => {
    app = await startE2eApp({ language });
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates the sender entity', async () => {
    const { page } = app;
    await tabTo(page, text.settings);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: text.entitiesTable }).waitFor();
    for (const [label, value] of [
      [text.legalName, 'Bakkerij de Vries B.V.'],
      [text.tradeName, 'Bakkerij de Vries'],
      [text.postalAddress, 'Dorpsstraat 1, 1234 AB Ergens'],
      [text.contactEmail, 'info@bakkerijdevries.nl'],
      [text.kvk, '12345678'],
    ] as const) {
      await tabTo(page, label);
      await page.keyboard.type(value);
    }
    await tabTo(page, text.saveEntity);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('table', { name: text.entitiesTable }).textContent())
      .toContain('Bakkerij de Vries B.V.');
    await app.screenshot(`keyboard-entity-${language}`);
  });

  it('imports a small CSV', async () => {
    const { page } = app;
    // Back up to the navigation with Shift+Tab, as a keyboard user would.
    await tabTo(page, text.import, { back: true, max: 80 });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: text.importTitle }).waitFor();
    // Listening before the key is pressed: Playwright intercepts the file chooser only once it listens.
    const chooser = page.waitForEvent('filechooser');
    await tabTo(page, text.choose);
    // Enter on the button opens the file chooser; the drop area beside it is for the mouse.
    await page.keyboard.press('Enter');
    await (await chooser).setFiles(join(FIXTURES, 'klanten.csv'));
    await page.getByRole('button', { name: text.next }).waitFor();
    await tabTo(page, text.next, { max: 120 });
    await page.keyboard.press('Enter');
    await tabTo(page, text.entity);
    await chooseWithKeys(page, 'Bakkerij de Vries');
    await tabTo(page, text.method);
    await chooseWithKeys(page, text.soi);
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`keyboard-import-${language}`);
    await tabTo(page, text.start);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: text.done }).waitFor({ timeout: 30_000 });
  });

  it('keeps the focus inside a dialog and gives it back when the dialog closes', async () => {
    const { page } = app;
    await tabTo(page, text.contacts, { back: true, max: 80 });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: text.contacts }).waitFor();
    await tabTo(page, text.addContact);
    await page.keyboard.press('Space');
    const dialog = page.getByRole('dialog', { name: text.addContact });
    await dialog.waitFor();
    // The dialog starts at its first field, and Tab never leaves it (60 presses: round it more than once).
    await expect.poll(() => dialog.evaluate((node) => node.contains(document.activeElement))).toBe(true);
    for (let press = 0; press < 60; press += 1) {
      await page.keyboard.press('Tab');
      expect(await dialog.evaluate((node) => node.contains(document.activeElement))).toBe(true);
    }
    await tabTo(page, text.close);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent?.trim()))
      .toBe(text.addContact);
  });

  it('opens a new mailing', async () => {
    const { page } = app;
    await tabTo(page, text.mailings, { back: true, max: 80 });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: text.mailings }).waitFor();
    await tabTo(page, text.newMailing);
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: text.compose });
    await form.waitFor();
    await tabTo(page, text.name);
    await page.keyboard.type('Kerstactie');
    await tabTo(page, text.subject);
    await page.keyboard.type('Kerstbrood voor {{firstName}}');
    expect(await form.getByLabel(text.name).inputValue()).toBe('Kerstactie');
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`keyboard-mailing-${language}`);
  });
});
