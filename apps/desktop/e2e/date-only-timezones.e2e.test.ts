import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { BAKERY, withDataDirCaller } from './support/mailings-seed.js';

// Date-only fields (a call's date, a sign-up date for a whole file) are the day the owner typed, in a
// browser far west and far east of Amsterdam alike (issue 14: "Date-only fields shift a day").
const TEXT = {
  nl: {
    add: 'Contact toevoegen',
    email: 'E-mailadres',
    callDate: 'Datum van het gesprek',
    caller: 'Wie belde (medewerker)',
    script: 'Voorgelezen belscript',
    save: 'Contact opslaan',
    // The owner types the day as a Dutch person writes it; it is shown and kept as that day.
    typed: '3-11-2026',
    inForm: '3 november 2026',
    shown: '3 nov 2026',
    correct: 'Bewijs corrigeren',
    import: 'Importeren',
    next: 'Verder',
    entity: 'Afzender (rechtspersoon)',
    method: 'Hoe kregen deze contacten je toestemming?',
    paper: 'Toestemming op papier',
    signupAt: 'Datum van aanmelding (voor alle rijen)',
    signupTyped: '1-1-2026',
    signupShown: '1 jan 2026',
    start: 'Import starten',
    done: 'Import voltooid',
    contacts: 'Contacten',
    evidence: 'Bewijs',
  },
  en: {
    add: 'Add contact',
    email: 'E-mail address',
    callDate: 'Date of the call',
    caller: 'Who called (staff member)',
    script: 'Phone script read out',
    save: 'Save contact',
    typed: '11/3/2026',
    inForm: 'November 3, 2026',
    shown: 'Nov 3, 2026',
    correct: 'Correct evidence',
    import: 'Import',
    next: 'Next',
    entity: 'Sender (legal entity)',
    method: 'How did these contacts give you consent?',
    paper: 'Consent on paper',
    signupAt: 'Date of sign-up (for all rows)',
    signupTyped: '1/1/2026',
    signupShown: 'Jan 1, 2026',
    start: 'Start import',
    done: 'Import complete',
    contacts: 'Contacts',
    evidence: 'Evidence',
  },
} as const;

const ZONES = [
  { timezoneId: 'America/Los_Angeles', language: 'en' },
  { timezoneId: 'Pacific/Auckland', language: 'nl' },
  { timezoneId: 'Pacific/Auckland', language: 'en' },
  { timezoneId: 'America/Los_Angeles', language: 'nl' },
] as const;

describe.each(ZONES)('date-only fields in $timezoneId ($language)', ({ timezoneId, language }) => {
  const text = TEXT[language];
  let app: E2eApp;
  let dataDir: string;
  let files: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cm-e2e-date-only-'));
    files = mkdtempSync(join(tmpdir(), 'cm-e2e-date-only-files-'));
    await withDataDirCaller(dataDir, async (caller) => {
      await caller.entities.add(BAKERY);
      await caller.settings.consentTexts.add({
        kind: 'PHONE_SCRIPT',
        language: 'nl',
        label: 'Belscript 2026',
        body: 'Mogen wij u onze nieuwsbrief mailen? Afmelden kan altijd, met de link onderaan elke mail.',
      });
    });
    app = await startE2eApp({ language, dataDir, timezoneId });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  it('runs in that zone', async () => {
    expect(await app.page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(timezoneId);
  });

  it('keeps the day of a call as typed, in the form, on the contact and when correcting', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/contacts`);
    await page.getByRole('button', { name: text.add }).click();
    const form = page.getByRole('form', { name: text.add });
    await form.getByRole('textbox', { name: text.email }).fill('jan@example.nl');
    const date = form.getByRole('textbox', { name: text.callDate });
    // The calendar opens when asked for; Escape closes it and leaves the form open.
    await date.click();
    const calendar = page.locator('[data-dates-dropdown]');
    await calendar.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await date.press('Escape');
    await calendar.waitFor({ state: 'hidden' });
    expect(await form.isVisible()).toBe(true);
    await date.fill(text.typed);
    await form.getByLabel(text.caller).fill('Kees');
    // Once left, the field reads the typed day in words.
    expect(await date.inputValue()).toBe(text.inForm);
    await form.getByRole('combobox', { name: text.script }).click();
    await page.getByRole('option', { name: 'Belscript 2026' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`date-only-add-${language}-${timezoneId.replace('/', '-')}`);
    await form.getByRole('button', { name: text.save }).click();

    await page.getByRole('heading', { name: 'jan@example.nl', level: 1 }).waitFor();
    const evidence = page.getByRole('table').filter({ hasText: 'Kees' });
    await evidence.waitFor();
    expect(await evidence.textContent()).toContain(text.shown);
    await page.getByRole('button', { name: text.correct }).click();
    const correct = page.getByRole('form', { name: text.correct });
    expect(await correct.getByRole('textbox', { name: text.callDate }).inputValue()).toBe(text.inForm);
  });

  it('keeps the sign-up day of a whole file as typed', async () => {
    const { page } = app;
    const csv = join(files, 'papier.csv');
    writeFileSync(csv, 'E-mailadres;Voornaam\r\npiet@example.nl;Piet\r\n');
    await page.goto(`${app.host.url}#/`);
    await page.getByRole('link', { name: text.import, exact: true }).click();
    await page.locator('input[type=file]').setInputFiles(csv);
    await page.getByRole('button', { name: text.next }).click();
    await page.getByRole('combobox', { name: text.entity }).click();
    await page.getByRole('option', { name: 'Bakkerij de Vries' }).click();
    await page.getByRole('combobox', { name: text.method }).click();
    await page.getByRole('option', { name: text.paper }).click();
    await page.getByRole('textbox', { name: text.signupAt }).fill(text.signupTyped);
    await page.getByRole('textbox', { name: text.signupAt }).blur();
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`date-only-import-${language}-${timezoneId.replace('/', '-')}`);
    await page.getByRole('button', { name: text.start }).click();
    await page.getByRole('status').filter({ hasText: text.done }).waitFor({ timeout: 30_000 });

    await page.goto(`${app.host.url}#/contacts/${encodeURIComponent('piet@example.nl')}`);
    const evidence = page.getByRole('table', { name: text.evidence });
    await expect.poll(() => evidence.textContent()).toContain(text.signupShown);
    expect(await evidence.textContent()).not.toMatch(/\(Amsterdam\)/);
  });
});
