import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { BAKERY, withDataDirCaller } from './support/mailings-seed.js';

const TEXT = {
  nl: {
    import: 'Importeren',
    next: 'Verder',
    entity: 'Afzender (rechtspersoon)',
    method: 'Hoe kregen deze contacten je toestemming?',
    paper: 'Toestemming op papier',
    start: 'Import starten',
    done: 'Import voltooid',
    typos: 'Mogelijke typefouten in het domein',
    fixTo: (to: string) => `Verbeteren naar ${to}`,
    keep: (email: string) => `${email} zo laten`,
    fixed: (to: string) => `Verbeterd naar ${to}`,
    kept: 'Gelaten zoals het was',
    contacts: 'Contacten',
    corrected: 'Typefout in het domein van het adres verbeterd',
  },
  en: {
    import: 'Import',
    next: 'Next',
    entity: 'Sender (legal entity)',
    method: 'How did these contacts give you consent?',
    paper: 'Consent on paper',
    start: 'Start import',
    done: 'Import complete',
    typos: 'Possible typos in the domain',
    fixTo: (to: string) => `Fix to ${to}`,
    keep: (email: string) => `Keep ${email}`,
    fixed: (to: string) => `Fixed to ${to}`,
    kept: 'Kept as it was',
    contacts: 'Contacts',
    corrected: 'Typo in the address’s domain fixed',
  },
} as const;

describe.each(['nl', 'en'] as const)('fixing mistyped domains after an import (%s)', (language) => {
  const text = TEXT[language];
  let app: E2eApp;
  let dataDir: string;
  let files: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cm-e2e-typos-'));
    files = mkdtempSync(join(tmpdir(), 'cm-e2e-typo-files-'));
    await withDataDirCaller(dataDir, async (caller) => {
      await caller.entities.add(BAKERY);
    });
    app = await startE2eApp({ language, dataDir });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  it('offers each fix per row; the accepted one moves the contact, the kept one stays as imported', async () => {
    const { page } = app;
    const path = join(files, 'inschrijflijst.csv');
    writeFileSync(
      path,
      'E-mailadres;Voornaam\r\njan@gmial.com;Jan\r\npiet@hotmail.con;Piet\r\nanna@example.nl;Anna\r\n',
    );
    await page.getByRole('link', { name: text.import, exact: true }).click();
    await page.locator('input[type=file]').setInputFiles(path);
    await page.getByRole('button', { name: text.next }).click();
    await page.getByRole('combobox', { name: text.entity }).click();
    await page.getByRole('option', { name: 'Bakkerij de Vries' }).click();
    await page.getByRole('combobox', { name: text.method }).click();
    await page.getByRole('option', { name: text.paper }).click();
    await page.getByRole('button', { name: text.start }).click();
    await page.getByRole('status').filter({ hasText: text.done }).waitFor({ timeout: 30_000 });

    const typos = page.getByRole('table', { name: text.typos });
    await typos.waitFor();
    expect(await typos.getByRole('row').count()).toBe(3); // the header and the two typos, not anna
    // hotmail.con -> hotmail.com, never hotmail.co (issue 14)
    await typos.getByRole('cell', { name: 'piet@hotmail.com', exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`import-typos-${language}`);

    await typos.getByRole('button', { name: text.fixTo('jan@gmail.com') }).click();
    await typos.getByText(text.fixed('jan@gmail.com')).waitFor();
    await typos.getByRole('button', { name: text.keep('piet@hotmail.con') }).click();
    await typos.getByText(text.kept).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`import-typos-decided-${language}`);

    // What the owner sees in the contacts afterwards: the corrected address, the kept one, and no gmial.
    await page.getByRole('link', { name: text.contacts, exact: true }).click();
    await page.getByText('jan@gmail.com').first().waitFor();
    await page.getByText('piet@hotmail.con').first().waitFor();
    expect(await page.getByText('jan@gmial.com').count()).toBe(0);
    // The correction is in Jan's history, in words.
    await page.getByText('jan@gmail.com').first().click();
    await page.getByText(text.corrected).waitFor();
    await app.screenshot(`contact-address-corrected-${language}`);
  });
});
