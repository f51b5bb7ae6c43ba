import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { lapseNewestAcknowledgement, SEEDED_CONTACTS, seedMailingData } from './support/mailings-seed.js';
import { startSmtpTestServer } from '@consent-mailer/mailer/testing';

const HTML = [
  '<h1>Kerstbrood</h1>',
  '<p>Beste {{firstName|klant}}, ons kerstbrood is er weer.</p>',
  // What a careless template may carry: the preview must run none of it.
  '<script>document.title = "script ran"</script>',
  '<img src="x" onerror="document.title = \'handler ran\'">',
].join('\n');

/** The number shown on one of the assessment's count cards. */
async function countCard(page: Page, key: 'total' | 'included' | 'excluded' | 'needsAck'): Promise<string> {
  return (await page.locator(`[data-count="${key}"]`).textContent()) ?? '';
}

/**
 * The mailing flow through the real UI in Chromium, on a real database and a real SMTP server: compose with
 * a sandboxed preview, read the assessment, sign the acknowledgement (each statement on its own), send,
 * see the results; then, as the accountant, open the acknowledgement, verify it, download and re-verify its
 * JSON (and a tampered copy), and export the PDF.
 */
describe('mailings and acknowledgements', () => {
  let app: E2eApp;
  let smtp: Awaited<ReturnType<typeof startSmtpTestServer>>;
  let dataDir: string;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    dataDir = await seedMailingData({ smtpPort: smtp.port });
    app = await startE2eApp({ language: 'nl', dataDir });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('composes a mailing with a preview that runs no script', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Mailings', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Mailings' }).waitFor();
    expect(await page.getByText('Nog geen mailings').isVisible()).toBe(true);
    await app.screenshot('mailings-list-empty-nl');
    await page.getByRole('link', { name: 'Nieuwe mailing' }).click();
    const form = page.getByRole('form', { name: 'Mailing schrijven' });
    await form.getByLabel('Naam (alleen voor jezelf)').fill('Kerstactie');
    // One sender, one list, one server: chosen already, and shown.
    expect(await form.getByRole('combobox', { name: 'Afzender (rechtspersoon)' }).inputValue()).toBe(
      'Bakkerij de Vries',
    );
    expect(await form.getByRole('combobox', { name: 'Lijst' }).inputValue()).toBe(
      'Nieuwsbrief (4 contacten)',
    );
    expect(await form.getByRole('combobox', { name: 'SMTP-server' }).inputValue()).toContain('hoofd');
    await form.getByLabel('Productcategorieën').fill('brood');
    await page.keyboard.press('Enter');
    await form.getByLabel('Onderwerp').fill('Kerstbrood voor {{firstName}}');
    // HTML of the owner's own (the editor is the default; its own test is mailings-composer).
    await form.locator('label').getByText('HTML', { exact: true }).click();
    await form.getByLabel('Inhoud (HTML)').fill(HTML);

    const frame = page.locator('iframe[title="Voorbeeld van de mailing"]');
    expect(await frame.getAttribute('sandbox')).toBe('');
    const srcdoc = (await frame.getAttribute('srcdoc')) ?? '';
    expect(srcdoc).toContain('Kerstbrood');
    expect(srcdoc).not.toContain('<script');
    expect(srcdoc).not.toContain('onerror');
    await expect
      .poll(() =>
        page
          .frameLocator('iframe[title="Voorbeeld van de mailing"]')
          .getByRole('heading', { name: 'Kerstbrood' })
          .isVisible(),
      )
      .toBe(true);
    expect(await page.title()).not.toMatch(/ran/);
    await app.screenshot('mailings-compose-nl');
    await form.getByRole('button', { name: 'Opslaan en beoordelen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kerstactie' }).waitFor();
    // Where the mailing is named rather than edited, its merge field reads as words.
    await page.getByText('Kerstbrood voor [voornaam]', { exact: true }).waitFor();
  });

  it('shows who gets it and who does not, grouped by reason, with a chart', async () => {
    const { page } = app;
    await expect.poll(() => countCard(page, 'total')).toBe('4');
    expect(await countCard(page, 'included')).toBe('2');
    expect(await countCard(page, 'excluded')).toBe('1');
    expect(await countCard(page, 'needsAck')).toBe('1');
    const excluded = page.getByRole('region', { name: /Krijgen hem niet, en waarom/ });
    await excluded.getByRole('button', { name: /T1/ }).click();
    await expect.poll(() => excluded.getByRole('table').textContent()).toContain(SEEDED_CONTACTS.bought);
    const needsAck = page.getByRole('region', { name: /alleen als je de verklaring tekent/ });
    // The groups open from the keyboard too.
    await needsAck.getByRole('button', { name: /P1/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => needsAck.getByRole('table').textContent()).toContain(SEEDED_CONTACTS.phone);
    expect(
      await page
        .getByRole('figure', { name: /Staafdiagram/ })
        .locator('svg')
        .count(),
    ).toBeGreaterThan(0);
    await app.screenshot('mailings-assessment-nl');
  });

  it('signs the acknowledgement only once every statement is confirmed, and the phone contact is then included', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Verklaring lezen en tekenen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Verklaring risico-overdracht' });
    await dialog.getByLabel('Je naam').fill('Anna de Vries');
    await dialog.getByLabel('Je functie').fill('eigenaar');
    await expect
      .poll(() => dialog.getByTestId('acknowledgement-text').textContent(), { timeout: 20_000 })
      .toContain('Bakkerij de Vries B.V.');
    expect(await dialog.textContent()).toContain('EUR 900.000');
    const signedText = (await dialog.getByTestId('acknowledgement-text').textContent()) ?? '';
    expect(signedText).toContain('Kerstbrood voor [voornaam]');
    expect(signedText).not.toContain('{{');
    const statements = dialog.getByRole('checkbox');
    const count = await statements.count();
    expect(count).toBeGreaterThanOrEqual(4);
    const sign = dialog.getByRole('button', { name: 'Ondertekenen' });
    expect(await sign.isDisabled()).toBe(true);
    // Confirm every statement with the keyboard; the button stays disabled until the last one.
    for (let index = 0; index < count; index += 1) {
      expect(await sign.isDisabled()).toBe(true);
      await statements.nth(index).focus();
      await page.keyboard.press('Space');
    }
    expect(await sign.isDisabled()).toBe(false);
    const pad = dialog.getByRole('img', { name: 'Tekenvlak voor je handtekening' });
    const box = await pad.boundingBox();
    if (box) {
      await page.mouse.move(box.x + 20, box.y + 60);
      await page.mouse.down();
      await page.mouse.move(box.x + 120, box.y + 30, { steps: 5 });
      await page.mouse.move(box.x + 220, box.y + 90, { steps: 5 });
      await page.mouse.up();
    }
    await app.screenshot('mailings-acknowledgement-nl');
    await sign.click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => countCard(page, 'included')).toBe('3');
    expect(await countCard(page, 'needsAck')).toBe('0');
    await page.getByText(/Verklaring getekend: Anna de Vries/).waitFor();
  });

  it('sends with live progress and shows the results; only allowed recipients got mail', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Nu versturen' }).click();
    const confirm = page.getByRole('dialog', { name: 'Mailing versturen?' });
    expect(await confirm.textContent()).toContain('3 ontvangers');
    await confirm.getByRole('button', { name: 'Ja, versturen' }).click();
    await page.getByRole('status').filter({ hasText: 'Klaar met versturen' }).waitFor({ timeout: 60_000 });
    expect(
      await page
        .getByRole('progressbar', { name: 'Voortgang van het versturen' })
        .getAttribute('aria-valuenow'),
    ).toBe('100');
    expect(await page.getByTestId('send-progress').textContent()).toBe('3 van 3 afgehandeld');
    const results = page.getByRole('table', { name: 'Aantallen per afleverstatus' });
    expect(await results.textContent()).toContain('Afgeleverd bij de server3');
    const recipients = smtp.messages.flatMap((message) => message.to).sort();
    expect(recipients).toEqual([...SEEDED_CONTACTS.proven, SEEDED_CONTACTS.phone].sort());
    expect(smtp.messages.some((message) => message.raw.includes('Kerstbrood voor Jan'))).toBe(true);
    // Once sent there is nothing left to pause or cancel.
    await expect.poll(() => page.getByRole('button', { name: 'Pauzeren' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Annuleren' }).count()).toBe(0);
    await results.scrollIntoViewIfNeeded();
    await app.screenshot('mailings-results-nl');
    await page.getByRole('link', { name: 'Terug naar de mailings' }).click();
    await expect
      .poll(() => page.getByRole('table', { name: 'Mailings' }).textContent())
      .toContain('Verstuurd');
    const listed = (await page.getByRole('table', { name: 'Mailings' }).textContent()) ?? '';
    expect(listed).toContain('Kerstbrood voor [voornaam]');
    expect(listed).not.toContain('{{');
    await app.screenshot('mailings-list-nl');
  });

  it('lets the accountant find, verify and export the acknowledgement, and spots a tampered file', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Verklaringen', exact: true }).click();
    const table = page.getByRole('table', { name: 'Verklaringen' });
    await expect.poll(() => table.textContent()).toContain('Anna de Vries');
    expect(await table.textContent()).toContain('Bakkerij de Vries B.V.');
    // The signer filter narrows the list.
    await page.getByLabel('Ondertekenaar').fill('Bram');
    await page.getByText('Geen verklaringen gevonden.').waitFor();
    await page.getByLabel('Ondertekenaar').fill('anna');
    await expect.poll(() => table.textContent()).toContain('Anna de Vries');
    await app.screenshot('acknowledgements-list-nl');
    await table.getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Vingerafdrukken (voor controle)' }).waitFor();
    const recipients = page.getByRole('table', { name: 'Gedekte ontvangers' });
    expect(await recipients.textContent()).toContain(SEEDED_CONTACTS.phone);
    // The delivery in words, not the stored state SENT.
    expect(await recipients.textContent()).toContain('Afgeleverd bij de server');
    expect(await recipients.textContent()).not.toContain('SENT');
    expect(await page.getByRole('listitem', { name: 'Afgeleverd: 1' }).count()).toBe(1);
    await page.getByText('Kerstactie: Kerstbrood voor [voornaam]').waitFor();

    await page.getByRole('button', { name: 'Deze verklaring controleren' }).click();
    const verdict = page.locator('[data-verification]');
    await verdict.waitFor();
    expect(await verdict.textContent()).toContain('Geldig: de verklaring is ongewijzigd');
    expect(await verdict.getAttribute('data-verification')).toBe('valid');
    expect(await page.getByTestId('installation-key').textContent()).toBe(
      'Ondertekend met de sleutel van deze installatie.',
    );
    await app.screenshot('acknowledgements-detail-nl');
    await page.getByRole('heading', { name: 'Vingerafdrukken (voor controle)' }).scrollIntoViewIfNeeded();
    expect(await page.getByRole('table', { name: 'Vingerafdrukken (voor controle)' }).textContent()).toMatch(
      /SHA-256 van het document[0-9a-f]{64}/,
    );
    // The business's key fingerprint, as the owner would read it out to the accountant by phone.
    const keyFingerprint =
      /sha256:[0-9a-f]{64}/.exec(
        (await page.getByRole('table', { name: 'Vingerafdrukken (voor controle)' }).textContent()) ?? '',
      )?.[0] ?? '';
    expect(keyFingerprint).not.toBe('');
    await app.screenshot('acknowledgements-detail-hashes-nl');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'JSON downloaden' }).click(),
    ]);
    const jsonPath = join(dataDir, 'downloaded.json');
    await download.saveAs(jsonPath);
    expect(download.suggestedFilename()).toMatch(/^acknowledgement-\d{4}-\d{2}-\d{2}-.+\.json$/);

    // The browser host offers the PDF as a real download, named as the export names it.
    const [pdfDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'PDF downloaden' }).click(),
    ]);
    const downloadedPdfPath = join(dataDir, 'downloaded.pdf');
    await pdfDownload.saveAs(downloadedPdfPath);
    expect(pdfDownload.suggestedFilename()).toMatch(/^acknowledgement-\d{4}-\d{2}-\d{2}-.+\.pdf$/);
    expect(readFileSync(downloadedPdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await page.getByRole('button', { name: 'PDF en JSON opslaan in de exportmap' }).click();
    await expect.poll(() => page.getByTestId('exported-pdf').textContent()).toMatch(/\.pdf$/);
    const pdfPath = (await page.getByTestId('exported-pdf').textContent()) ?? '';
    expect(readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The download is byte for byte the PDF the export wrote.
    expect(readFileSync(downloadedPdfPath).equals(readFileSync(pdfPath))).toBe(true);
    // The downloaded JSON is byte for byte what the export wrote.
    expect(readFileSync(jsonPath, 'utf8')).toBe(readFileSync(pdfPath.replace(/\.pdf$/, '.json'), 'utf8'));

    // The accountant checks the downloaded file, then a copy with one changed count.
    await page.getByRole('link', { name: 'Terug naar de verklaringen' }).click();
    const fileInput = page.locator('input[type=file]');
    await fileInput.setInputFiles(jsonPath);
    // Without the business's key it says plainly that only the key inside the file was used.
    await expect.poll(() => verdict.getAttribute('data-verification')).toBe('unpinned');
    expect(await verdict.textContent()).toContain('Alleen gecontroleerd tegen de sleutel in het bestand');
    await page.getByLabel('Vingerafdruk van de sleutel van het bedrijf (sha256:…)').fill(keyFingerprint);
    await expect.poll(() => verdict.getAttribute('data-verification')).toBe('valid');
    const tamperedPath = join(dataDir, 'tampered.json');
    writeFileSync(tamperedPath, readFileSync(jsonPath, 'utf8').replace('"Anna de Vries"', '"Bram de Vries"'));
    await fileInput.setInputFiles(tamperedPath);
    await expect.poll(() => verdict.getAttribute('data-verification')).toBe('invalid');
    expect(await verdict.textContent()).toContain('Ongeldig');
    await app.screenshot('acknowledgements-verify-invalid-nl');
  });

  it('shows every screen in English', async () => {
    const { page } = app;
    await page.getByRole('radio', { name: 'EN' }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('link', { name: 'Acknowledgements', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Acknowledgements' }).waitFor();
    await expect
      .poll(() => page.getByRole('table', { name: 'Acknowledgements' }).textContent())
      .toContain('Anna de Vries');
    await app.screenshot('acknowledgements-list-en');
    await page.getByRole('table', { name: 'Acknowledgements' }).getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Fingerprints (for checking)' }).waitFor();
    await page.getByRole('button', { name: 'Verify this acknowledgement' }).click();
    await expect.poll(() => page.locator('[data-verification]').textContent()).toContain('Valid');
    await app.screenshot('acknowledgements-detail-en');

    await page.getByRole('link', { name: 'Mailings', exact: true }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Mailings' }).textContent()).toContain('Sent');
    expect(await page.getByRole('table', { name: 'Mailings' }).textContent()).toContain(
      'Kerstbrood voor [first name]',
    );
    await app.screenshot('mailings-list-en');
    await page.getByRole('link', { name: 'Open: Kerstactie' }).click();
    await page.getByRole('status').filter({ hasText: 'Finished sending' }).waitFor();
    // Sent: the stored assessment is shown, not a new one.
    expect(await page.getByRole('list', { name: 'Who gets it, and who does not?' }).textContent()).toContain(
      'Will get it: 3',
    );
    await page.getByRole('table', { name: 'Counts per delivery state' }).scrollIntoViewIfNeeded();
    await app.screenshot('mailings-results-en');

    await page.getByRole('link', { name: 'Back to the mailings' }).click();
    await page.getByRole('link', { name: 'New mailing' }).click();
    const form = page.getByRole('form', { name: 'Write a mailing' });
    await form.getByLabel('Name (only for you)').fill('New year');
    await form.getByLabel('Subject').fill('Happy new year, {{firstName}}');
    await form.locator('label').getByText('HTML', { exact: true }).click();
    await form.getByLabel('Content (HTML)').fill('<h1>Happy new year</h1><p>Our new-year bread is here.</p>');
    await page
      .frameLocator('iframe[title="Preview of the mailing"]')
      .getByRole('heading', { name: 'Happy new year' })
      .waitFor();
    await app.screenshot('mailings-compose-en');
    await form.getByRole('button', { name: 'Save and assess' }).click();
    await page.getByRole('heading', { level: 1, name: 'New year' }).waitFor();
    await expect.poll(() => countCard(page, 'needsAck')).toBe('1');
    await app.screenshot('mailings-assessment-en');
    await page.getByRole('button', { name: 'Read and sign the acknowledgement' }).click();
    const dialog = page.getByRole('dialog', { name: 'Risk-transfer acknowledgement' });
    await dialog.getByLabel('Your name').fill('Anna de Vries');
    await dialog.getByLabel('Your role').fill('owner');
    await expect
      .poll(() => dialog.getByTestId('acknowledgement-text').textContent(), { timeout: 20_000 })
      .toContain('Bakkerij de Vries B.V.');
    expect(await dialog.textContent()).toContain('EUR 900,000');
    await app.screenshot('mailings-acknowledgement-en');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // Switching the language assesses again, so the reasons come in the new language.
    await page.getByRole('radio', { name: 'NL' }).focus();
    await page.keyboard.press('Space');
    await page
      .getByRole('region', { name: /alleen als je de verklaring tekent/ })
      .getByText(/Toestemming telefonisch gegeven/)
      .waitFor();
  });

  it('shows contacts per class on the overview, and a lapsed acknowledgement as needing attention', async () => {
    const { page } = app;
    // Recorded as the send's coverage check records an abuse notice (M13) that came in after signing.
    const code = await lapseNewestAcknowledgement(dataDir);
    await page.getByRole('link', { name: 'Overzicht' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overzicht' }).waitFor();
    const classes = page.getByRole('list', { name: 'Contacten per klasse' });
    // The seed's four contacts, as the assessments classed them: two proven, the phone one, the bought one.
    await expect
      .poll(() => classes.getByRole('listitem', { name: 'Toegestaan, met bewijs: 2' }).count())
      .toBe(1);
    expect(await classes.getByRole('listitem', { name: 'Alleen op eigen risico: 1' }).count()).toBe(1);
    expect(await classes.getByRole('listitem', { name: 'Niet toegestaan: 1' }).count()).toBe(1);
    expect(await classes.getByRole('listitem', { name: 'Nog niet beoordeeld: 0' }).count()).toBe(1);
    const chart = page.getByRole('figure', { name: 'Contacten per klasse' });
    expect(await chart.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    const lapsed = page.getByRole('link', {
      name: new RegExp(`Verklaring ${code} .*is vervallen: er kwam een misbruikmelding binnen`),
    });
    await lapsed.waitFor();
    await app.screenshot('dashboard-classes-nl');
    await lapsed.click();
    await page.getByRole('heading', { name: 'Vingerafdrukken (voor controle)' }).waitFor();
    await expect.poll(() => page.getByText('Vervallen', { exact: true }).count()).toBeGreaterThan(0);
  });
});
