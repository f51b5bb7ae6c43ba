import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addSuppression, createList } from '@consent-mailer/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { BAKERY, withDataDirCaller } from './support/mailings-seed.js';

const TEXT = {
  nl: {
    add: 'Contact toevoegen',
    email: 'E-mailadres',
    firstName: 'Voornaam (optioneel)',
    way: 'Hoe gaf deze persoon toestemming?',
    paper: 'Op een papieren formulier',
    callDate: 'Datum van het gesprek',
    formDate: 'Datum op het formulier',
    caller: 'Wie belde (medewerker)',
    scan: 'Verwijzing naar de scan',
    script: 'Voorgelezen belscript',
    formText: 'Tekst van het formulier',
    lists: 'Lijsten',
    save: 'Contact opslaan',
    added: 'jan@example.nl toegevoegd. Klasse voor een nieuwsbrief: Alleen op eigen risico.',
    updated: 'jan@example.nl bijgewerkt.',
    extend: 'Toestemming aanvullen',
    shownDate: '3 nov 2026',
    inForm: '3 november 2026',
    consentRecorded: 'Toestemming vastgelegd',
    correct: 'Bewijs corrigeren',
    saveCorrection: 'Correctie opslaan',
    suppressed: 'staat op de blokkeerlijst',
    staffMissing: 'Vul de medewerker in',
  },
  en: {
    add: 'Add contact',
    email: 'E-mail address',
    firstName: 'First name (optional)',
    way: 'How did this person consent?',
    paper: 'On a paper form',
    callDate: 'Date of the call',
    formDate: 'Date on the form',
    caller: 'Who called (staff member)',
    scan: 'Reference to the scan',
    script: 'Phone script read out',
    formText: 'Text of the form',
    lists: 'Lists',
    save: 'Save contact',
    added: 'jan@example.nl added. Class for a newsletter: Only at your own risk.',
    updated: 'jan@example.nl updated.',
    extend: 'Add to consent',
    shownDate: 'Nov 3, 2026',
    inForm: 'November 3, 2026',
    consentRecorded: 'Consent recorded',
    correct: 'Correct evidence',
    saveCorrection: 'Save correction',
    suppressed: 'is on the suppression list',
    staffMissing: 'Fill in the staff member',
  },
} as const;

async function seed(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'consent-mailer-e2e-contact-add-'));
  await withDataDirCaller(dataDir, async (caller, store) => {
    await caller.entities.add(BAKERY);
    await caller.settings.consentTexts.add({
      kind: 'PHONE_SCRIPT',
      language: 'nl',
      label: 'Belscript 2026',
      body: 'Mogen wij u onze nieuwsbrief mailen? Afmelden kan altijd, met de link onderaan elke mail.',
    });
    const at = new Date().toISOString();
    await createList(store.db, { id: 'nieuwsbrief', name: 'Nieuwsbrief', senderEntityId: 'bakkerij', at });
    await addSuppression(store.db, {
      email: 'weg@example.nl',
      reason: 'UNSUBSCRIBED',
      source: 'UNSUBSCRIBE_LINK',
      at,
    });
  });
  return dataDir;
}

describe.each(['nl', 'en'] as const)('adding a single contact (%s)', (language) => {
  const text = TEXT[language];
  let app: E2eApp;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await seed();
    app = await startE2eApp({ language, dataDir });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds someone who subscribed by phone, then the signed form to the same person', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/contacts`);
    await page.getByRole('button', { name: text.add }).click();
    const form = page.getByRole('form', { name: text.add });
    await form.getByRole('textbox', { name: text.email }).fill('Jan@Example.nl');
    await form.getByLabel(text.firstName).fill('Jan');
    await form.getByLabel(text.callDate).fill('2026-11-03');
    await form.getByRole('combobox', { name: text.script }).click();
    await page.getByRole('option', { name: 'Belscript 2026' }).click();
    await form.getByLabel(text.lists).click();
    await page.getByRole('option', { name: 'Nieuwsbrief' }).click();
    await page.keyboard.press('Escape');
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`contact-add-phone-${language}`);
    await form.getByLabel(text.caller).fill('Kees');
    await form.getByRole('button', { name: text.save }).click();
    await page.getByText(text.added).first().waitFor();

    // The contact's page: the address as the identity, the date as entered, the caller, the script by name.
    await page.getByRole('heading', { name: 'jan@example.nl', level: 1 }).waitFor();
    const evidence = page.getByRole('table').filter({ hasText: 'Kees' });
    await evidence.waitFor();
    const shown = (await evidence.textContent()) ?? '';
    expect(shown).toContain(text.shownDate);
    expect(shown).toContain('Belscript 2026');
    expect(await page.getByText(text.consentRecorded).count()).toBe(1);
    expect(shown).not.toMatch(/[0-9a-f]{64}|PHONE|T12:00/);
    expect(await page.getByText('Nieuwsbrief').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`contact-added-${language}`);

    // A second way, by the same address spelled differently: the same contact gains the scan.
    await page.getByRole('button', { name: text.extend }).click();
    const extend = page.getByRole('form');
    await extend.getByRole('combobox', { name: text.way }).click();
    await page.getByRole('option', { name: text.paper }).click();
    await extend.getByLabel(text.formDate).fill('2026-11-10');
    await extend.getByLabel(text.scan).fill('scan-0042.pdf');
    await extend.getByRole('combobox', { name: text.formText }).click();
    await page.getByRole('option', { name: 'Belscript 2026' }).click();
    await extend.getByRole('button', { name: text.save }).click();
    await page.getByText(text.updated).first().waitFor();
    await page.getByText('scan-0042.pdf').waitFor();

    // A mistyped caller is corrected in place; the scan stays.
    await page.getByRole('button', { name: text.correct }).click();
    const correct = page.getByRole('form', { name: text.correct });
    expect(await correct.getByLabel(text.callDate).inputValue()).toBe(text.inForm);
    await correct.getByLabel(text.caller).fill('Kees Jansen');
    // Judge the colours once the dialog has faded in (mid-transition it is blended with the overlay).
    await expect
      .poll(() => correct.evaluate((node) => getComputedStyle(node.closest('section') ?? node).opacity))
      .toBe('1');
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`contact-correct-${language}`);
    await correct.getByRole('button', { name: text.saveCorrection }).click();
    await page.getByRole('cell', { name: 'Kees Jansen' }).waitFor();
    await page.getByText('scan-0042.pdf').waitFor();

    await page.goto(`${app.host.url}#/contacts`);
    await page.getByRole('searchbox', { name: language === 'nl' ? 'Zoeken' : 'Search' }).fill('jan@');
    await expect.poll(() => page.getByText('jan@example.nl').count()).toBe(1);
  });

  it('refuses an address that unsubscribed, in the user language', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/contacts`);
    await page.getByRole('button', { name: text.add }).click();
    const form = page.getByRole('form', { name: text.add });
    await form.getByRole('textbox', { name: text.email }).fill('Weg@Example.nl');
    await form.getByLabel(text.callDate).fill('2026-11-03');
    await form.getByLabel(text.caller).fill('Kees');
    await form.getByRole('combobox', { name: text.script }).click();
    await page.getByRole('option', { name: 'Belscript 2026' }).click();
    await form.getByRole('button', { name: text.save }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(text.suppressed);
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`contact-add-suppressed-${language}`);
  });
});
