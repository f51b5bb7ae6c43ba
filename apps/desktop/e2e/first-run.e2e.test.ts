import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { startSmtpTestServer } from '@consent-mailer/mailer/testing';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/**
 * A newcomer's first run, in Dutch, through the real UI in Chromium: set up the business and its SMTP
 * server, import a CSV. Each step is checked by what the user sees, and screenshotted.
 */
describe('a newcomer’s first run', () => {
  let app: E2eApp;
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    app = await startE2eApp({ language: 'nl' });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  it('sets up the sender entity', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Instellingen' }).click();
    await page.getByRole('heading', { name: 'Afzenders (rechtspersonen)' }).waitFor();
    const form = page.getByRole('form', { name: 'Afzender toevoegen' });
    await form.getByLabel('Statutaire naam').fill('Bakkerij de Vries B.V.');
    await form.getByLabel('Handelsnaam').fill('Bakkerij de Vries');
    await form.getByLabel('Postadres').fill('Dorpsstraat 1, 1234 AB Ergens');
    await form.getByLabel('E-mailadres voor contact').fill('info@bakkerijdevries.nl');
    await form.getByLabel('KvK-nummer').fill('1234567');
    await form.getByRole('button', { name: 'Afzender opslaan' }).click();
    // A wrong KvK number is refused with the field named; nothing is saved.
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('KvK-nummer: een KvK-nummer heeft 8 cijfers');
    await form.getByLabel('KvK-nummer').fill('12345678');
    await form.getByRole('button', { name: 'Afzender opslaan' }).click();
    const table = page.getByRole('table', { name: 'Afzenders (rechtspersonen)' });
    await expect.poll(() => table.textContent()).toContain('Bakkerij de Vries B.V.');
    await app.screenshot('settings-entities-nl');
  });

  it('adds an SMTP profile and its connection test reaches the test server', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'SMTP-servers' }).click();
    const form = page.getByRole('form', { name: 'SMTP-server toevoegen' });
    await form.getByLabel('Naam van dit profiel').fill('hoofd');
    await form.getByRole('textbox', { name: 'Server', exact: true }).fill('127.0.0.1');
    await form.getByRole('combobox', { name: 'Beveiliging' }).click();
    await page.getByRole('option', { name: 'Geen (alleen voor een server op deze computer)' }).click();
    await form.getByLabel('Poort').fill(String(smtp.port));
    await form.getByRole('textbox', { name: 'Afzenderadres', exact: true }).fill('nieuws@bakkerijdevries.nl');
    await form.getByLabel('Naam afzender').fill('Bakkerij de Vries');
    await form.getByRole('button', { name: 'SMTP-server opslaan' }).click();
    const table = page.getByRole('table', { name: 'SMTP-servers' });
    await expect.poll(() => table.textContent()).toContain(`127.0.0.1:${smtp.port}`);
    await page.getByRole('button', { name: 'Verbinding testen: hoofd' }).click();
    await expect.poll(() => table.getByRole('status').textContent()).toBe('Verbinding gelukt');
    await app.screenshot('settings-smtp-nl');
  });

  it('adds a list and records the consent text of the sign-up form', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Lijsten' }).click();
    const listForm = page.getByRole('form', { name: 'Lijst toevoegen' });
    await listForm.getByRole('textbox', { name: 'Naam', exact: true }).fill('Nieuwsbrief');
    await listForm.getByRole('button', { name: 'Lijst opslaan' }).click();
    await expect
      .poll(() => page.getByRole('table', { name: 'Lijsten' }).textContent())
      .toContain('Nieuwsbrief');
    await page.getByRole('tab', { name: 'Teksten' }).click();
    const textForm = page.getByRole('form', { name: 'Tekstversie vastleggen' });
    await textForm.getByRole('textbox', { name: 'Naam van deze versie' }).fill('Aanmeldformulier 2024');
    await textForm
      .getByRole('textbox', { name: 'Tekst' })
      .fill('Ja, ik wil de nieuwsbrief van Bakkerij de Vries ontvangen. Afmelden kan altijd.');
    await textForm.getByRole('button', { name: 'Versie vastleggen' }).click();
    await expect
      .poll(() => page.getByRole('table', { name: 'Toestemmingsteksten' }).textContent())
      .toContain('Aanmeldformulier 2024');
    await app.screenshot('settings-texts-nl');
  });

  it('imports a CSV: detected format, mapping, consent method, progress, result with the rejected row', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Importeren' }).click();
    await page.getByRole('heading', { name: 'Contacten importeren' }).waitFor();
    await page.locator('input[type=file]').setInputFiles(join(FIXTURES, 'klanten.csv'));
    await expect
      .poll(() => page.getByText('Scheidingsteken').locator('..').textContent())
      .toContain('puntkomma');
    expect(await page.getByRole('combobox', { name: 'Veld voor kolom E-mailadres' }).inputValue()).toBe(
      'E-mailadres',
    );
    await app.screenshot('import-preview-nl');
    await page.getByRole('button', { name: 'Verder' }).click();
    await page.getByRole('combobox', { name: 'Afzender (rechtspersoon)' }).click();
    await page.getByRole('option', { name: 'Bakkerij de Vries' }).click();
    await page.getByRole('combobox', { name: 'Hoe kregen deze contacten je toestemming?' }).click();
    await page
      .getByRole('option', { name: 'Aanmelding via website zonder bevestiging (enkele opt-in)' })
      .click();
    await page
      .getByLabel('Bron (bijvoorbeeld het aanmeldformulier op je website)')
      .fill('Aanmeldformulier op bakkerijdevries.nl');
    await page.getByRole('combobox', { name: 'Lijst (optioneel)' }).click();
    await page.getByRole('option', { name: 'Nieuwsbrief' }).click();
    await page.getByRole('combobox', { name: 'Toestemmingstekst die de mensen zagen' }).click();
    await page.getByRole('option', { name: 'Aanmeldformulier 2024 (nl)' }).click();
    await app.screenshot('import-consent-nl');
    await page.getByRole('button', { name: 'Import starten' }).click();
    await page.getByRole('status').filter({ hasText: 'Import voltooid' }).waitFor({ timeout: 30_000 });
    const counts = page.getByLabel('Aantallen per uitkomst');
    await expect.poll(() => counts.textContent()).toContain('Nieuw3');
    expect(await counts.textContent()).toContain('Afgewezen1');
    // Method, source, sign-up date and consent text together are the full evidence of a single opt-in.
    expect(await page.getByText('Bewijs dat nog ontbreekt').count()).toBe(0);
    await page.getByRole('button', { name: 'Afgewezen rijen tonen' }).click();
    await expect.poll(() => page.getByLabel('Afgewezen rijen').textContent()).toContain('geen-adres');
    await app.screenshot('import-result-nl');
  });

  it('finds the imported contacts in the list, opens one with its evidence, and records an unsubscribe', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Contacten' }).click();
    const table = page.getByRole('table', { name: 'Contacten' });
    await expect.poll(() => table.getByRole('row').count()).toBe(4);
    await page.getByRole('searchbox', { name: 'Zoeken' }).fill('bram');
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await app.screenshot('contacts-nl');
    await table.getByRole('row').filter({ hasText: 'bram@example.nl' }).click();
    await page.getByRole('heading', { level: 1, name: 'bram@example.nl' }).waitFor();
    expect(await page.getByRole('table', { name: 'Bewijs' }).textContent()).toContain(
      'Aanmeldformulier op bakkerijdevries.nl',
    );
    await page.getByRole('button', { name: 'Afmelding vastleggen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Afmelding vastleggen' });
    await dialog.getByRole('combobox', { name: 'Hoe meldde deze persoon zich af?' }).click();
    await page.getByRole('option', { name: 'Telefonisch' }).click();
    await dialog.getByRole('button', { name: 'Afmelding opslaan' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByText('Staat niet op de lijst ‘Nooit meer mailen’.').count()).toBe(0);
    expect(await page.getByText('Afgemeld', { exact: true }).count()).toBeGreaterThan(0);
    expect(await page.getByText('UNSUBSCRIBED').count()).toBe(0);
    // The history names what happened in the user's words.
    const history = await page.getByRole('heading', { name: 'Geschiedenis' }).locator('..').textContent();
    expect(history).toContain('Import gestart');
    expect(history).toContain('Geïmporteerd');
    expect(await page.getByRole('heading', { name: 'Lijsten' }).locator('..').textContent()).toContain(
      'Nieuwsbrief',
    );
    await app.screenshot('contact-detail-nl');
  });

  it('shows the counts on the overview and the healthy database in the status bar', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Overzicht' }).click();
    const counts = page.getByRole('group', { name: 'Je gegevens in cijfers' });
    await expect.poll(() => counts.textContent()).toContain('Contacten3');
    expect(await counts.textContent()).toContain('Nooit meer mailen1');
    // Nothing has been assessed yet: every imported contact is in the "not assessed" class, and the chart says why.
    const classes = page.getByRole('list', { name: 'Contacten per klasse' });
    await expect
      .poll(() => classes.getByRole('listitem', { name: 'Nog niet beoordeeld: 3' }).count())
      .toBe(1);
    expect(await classes.getByRole('listitem', { name: 'Toegestaan, met bewijs: 0' }).count()).toBe(1);
    expect(await page.getByText('Nog geen contact is beoordeeld').count()).toBe(1);
    await expect
      .poll(() => page.getByRole('status', { name: 'Database' }).textContent())
      .toContain('logboek onveranderd');
    // The unsubscribe's notification would cover the header in the screenshot: let it close first.
    await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached', timeout: 15_000 });
    await app.screenshot('dashboard-nl');
  });

  it('shows every screen in English too', async () => {
    const { page } = app;
    // Notifications keep the language they were shown in: let the Dutch ones close first.
    await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByRole('radio', { name: 'EN' }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page
      .getByRole('list', { name: 'Contacts per class' })
      .getByRole('listitem', { name: 'Not assessed yet: 3' })
      .waitFor();
    await app.screenshot('dashboard-en');
    for (const [link, heading, shot] of [
      ['Contacts', 'Contacts', 'contacts-en'],
      ['Import', 'Import contacts', 'import-en'],
      ['Settings', 'Settings', 'settings-en'],
    ] as const) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await app.screenshot(shot);
    }
  });
});
