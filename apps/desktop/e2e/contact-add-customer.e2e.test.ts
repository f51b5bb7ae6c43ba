import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createList } from '@consent-mailer/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { coveredByNotice } from './support/notice-overlap.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';
import { BAKERY, withDataDirCaller } from './support/mailings-seed.js';

const TEXT = {
  nl: {
    add: 'Contact toevoegen',
    email: 'E-mailadres',
    way: 'Hoe gaf deze persoon toestemming?',
    customer: 'Als bestaande klant (kocht iets bij je)',
    relationship: 'Hoe zijn ze klant geworden?',
    paid: 'Ze hebben een bestelling gedaan en betaald',
    optOut: 'Konden ze bij het bestellen zeggen dat ze geen nieuwsbrief wilden?',
    optOutYes: 'Ja, op het moment dat ze hun adres gaven',
    collectionText: 'Tekst die ze toen zagen',
    orderRef: 'Bestelnummer',
    orderDate: 'Datum van de laatste bestelling',
    save: 'Contact opslaan',
    grey: 'Klasse voor een nieuwsbrief: Toegestaan, bewijs onvolledig',
    ownRisk: 'Klasse voor een nieuwsbrief: Alleen op eigen risico',
    correct: 'Bewijs corrigeren',
    saveCorrection: 'Correctie opslaan',
    corrected: 'Bewijs gecorrigeerd',
    correctedGrey: 'Bewijs gecorrigeerd. Klasse voor een nieuwsbrief: Toegestaan, bewijs onvolledig.',
    correctedOwnRisk: 'Bewijs gecorrigeerd. Klasse voor een nieuwsbrief: Alleen op eigen risico.',
    categories: 'Wat kochten ze?',
    clearAnswer: 'Antwoord wissen: ',
    cancel: 'Annuleren',
    unsubscribe: 'Afmelding vastleggen',
    saveUnsubscribe: 'Afmelding opslaan',
    unsubscribed: 'Afmelding vastgelegd',
    suppressed: 'staat op de blokkeerlijst',
  },
  en: {
    add: 'Add contact',
    email: 'E-mail address',
    way: 'How did this person consent?',
    customer: 'As an existing customer (bought from you)',
    relationship: 'How did they become customers?',
    paid: 'They placed an order and paid for it',
    optOut: 'When they ordered, could they say they did not want a newsletter?',
    optOutYes: 'Yes, at the moment they gave their address',
    collectionText: 'The text they saw then',
    orderRef: 'Order number',
    orderDate: 'Date of the last order',
    save: 'Save contact',
    grey: 'Class for a newsletter: Allowed, proof incomplete',
    ownRisk: 'Class for a newsletter: Only at your own risk',
    correct: 'Correct evidence',
    saveCorrection: 'Save correction',
    corrected: 'Evidence corrected',
    correctedGrey: 'Evidence corrected. Class for a newsletter: Allowed, proof incomplete.',
    correctedOwnRisk: 'Evidence corrected. Class for a newsletter: Only at your own risk.',
    categories: 'What did they buy?',
    clearAnswer: 'Clear the answer: ',
    cancel: 'Cancel',
    unsubscribe: 'Record unsubscribe',
    saveUnsubscribe: 'Save unsubscribe',
    unsubscribed: 'Unsubscribe recorded',
    suppressed: 'is on the suppression list',
  },
} as const;

/** A day a month ago as the date input takes it: well within the policy's window for a last purchase. */
function aMonthAgo(): string {
  return new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

async function seed(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'consent-mailer-e2e-contact-customer-'));
  await withDataDirCaller(dataDir, async (caller, store) => {
    await caller.entities.add(BAKERY);
    await caller.settings.consentTexts.add({
      kind: 'COLLECTION',
      language: 'nl',
      label: 'Afrekenpagina 2026',
      body: 'We mailen je over vergelijkbare producten. Geen mail? Vink het hier uit.',
    });
    await createList(store.db, {
      id: 'nieuwsbrief',
      name: 'Nieuwsbrief',
      senderEntityId: 'bakkerij',
      at: new Date().toISOString(),
    });
  });
  return dataDir;
}

describe.each(['nl', 'en'] as const)('adding an existing customer (%s)', (language) => {
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

  async function openCustomerForm(email: string) {
    const { page } = app;
    await page.goto(`${app.host.url}#/contacts`);
    await page.getByRole('button', { name: text.add }).click();
    const form = page.getByRole('form', { name: text.add });
    await form.getByRole('textbox', { name: text.email }).fill(email);
    await form.getByRole('combobox', { name: text.way }).click();
    await page.getByRole('option', { name: text.customer }).click();
    return form;
  }

  it('shows a customer with a paid order in the grey area, in words', async () => {
    const { page } = app;
    const form = await openCustomerForm('klant@example.nl');
    await form.getByRole('combobox', { name: text.relationship }).click();
    await page.getByRole('option', { name: text.paid }).click();
    await form.getByRole('combobox', { name: text.optOut }).click();
    await page.getByRole('option', { name: text.optOutYes }).click();
    await form.getByRole('combobox', { name: text.collectionText }).click();
    await page.getByRole('option', { name: 'Afrekenpagina 2026 (nl)' }).click();
    await form.getByLabel(text.orderRef).fill('B-1001');
    await form.getByLabel(text.orderDate).fill(aMonthAgo());
    // The phone script and form text belong to the other ways: not asked of a customer.
    expect(await form.getByRole('combobox', { name: /belscript|phone script/i }).count()).toBe(0);
    await expect
      .poll(() => form.evaluate((node) => getComputedStyle(node.closest('section') ?? node).opacity))
      .toBe('1');
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`contact-add-customer-${language}`);
    await form.getByRole('button', { name: text.save }).click();

    await page.getByRole('heading', { name: 'klant@example.nl', level: 1 }).waitFor();
    await page.getByText(text.grey, { exact: true }).waitFor();
    const evidence = page.getByRole('table').filter({ hasText: 'B-1001' });
    const shown = (await evidence.textContent()) ?? '';
    expect(shown).toContain(text.paid);
    expect(shown).toContain('Afrekenpagina 2026');
    expect(shown).not.toMatch(/PAID_ORDER|CUSTOMER|T12:00|[0-9a-f]{64}/);
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`contact-customer-grey-${language}`);
  });

  it('shows a customer without a paid order at the sender’s own risk', async () => {
    const { page } = app;
    const form = await openCustomerForm('bezoeker@example.nl');
    await form.getByRole('combobox', { name: text.optOut }).click();
    await page.getByRole('option', { name: text.optOutYes }).click();
    await form.getByRole('button', { name: text.save }).click();

    await page.getByRole('heading', { name: 'bezoeker@example.nl', level: 1 }).waitFor();
    await page.getByText(text.ownRisk, { exact: true }).waitFor();
    expect(await page.getByText(text.grey, { exact: true }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`contact-customer-own-risk-${language}`);
  });

  it('corrects a customer’s order to paid, with the checkout’s opt-out text: own risk becomes the grey area', async () => {
    const { page } = app;
    const added = await openCustomerForm('vaste.klant@example.nl');
    await added.getByLabel(text.orderRef).fill('B-2002');
    await added.getByRole('combobox', { name: text.optOut }).click();
    await page.getByRole('option', { name: text.optOutYes }).click();
    await added.getByRole('button', { name: text.save }).click();
    await page.getByRole('heading', { name: 'vaste.klant@example.nl', level: 1 }).waitFor();
    await page.getByText(text.ownRisk, { exact: true }).waitFor();

    await page.getByRole('button', { name: text.correct }).click();
    const form = page.getByRole('form', { name: text.correct });
    // What is stored, in the add form's words; a call's or a form's details are not asked of a customer.
    expect(await form.getByLabel(text.orderRef).inputValue()).toBe('B-2002');
    expect(await form.getByRole('combobox', { name: text.optOut }).inputValue()).toBe(text.optOutYes);
    expect(await form.getByRole('combobox', { name: text.collectionText }).inputValue()).toBe('');
    expect(await form.getByRole('combobox', { name: text.relationship }).inputValue()).toBe('');
    expect(
      await form.getByRole('combobox', { name: /belscript|phone script|formulier|form text/i }).count(),
    ).toBe(0);
    await form.getByRole('combobox', { name: text.relationship }).click();
    await page.getByRole('option', { name: text.paid }).click();
    await form.getByRole('combobox', { name: text.collectionText }).click();
    await page.getByRole('option', { name: 'Afrekenpagina 2026 (nl)' }).click();
    await form.getByLabel(text.orderDate).fill(aMonthAgo());
    // Judge the colours once the dialog has faded in (mid-transition it is blended with the overlay).
    await expect
      .poll(() => form.evaluate((node) => getComputedStyle(node.closest('section') ?? node).opacity))
      .toBe('1');
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`contact-correct-customer-${language}`);
    await form.getByRole('button', { name: text.saveCorrection }).click();

    // The new class, in words, in the notice and on the contact; the history names the correction.
    await page.getByText(text.correctedGrey, { exact: true }).waitFor();
    // The notice leaves the contact's address (the h1) and the page's actions readable and clickable.
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await coveredByNotice(page, text.correctedGrey)).toEqual([]);
    await app.screenshot(`contact-customer-corrected-notice-${language}`);
    await page.getByText(text.grey, { exact: true }).waitFor();
    expect(await page.getByText(text.ownRisk, { exact: true }).count()).toBe(0);
    // The dialog has closed (judged by axe once it has faded out: mid-fade its title is pale).
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const evidence = page.getByRole('table').filter({ hasText: 'B-2002' });
    const shown = (await evidence.textContent()) ?? '';
    expect(shown).toContain(text.paid);
    expect(shown).toContain(text.optOutYes);
    expect(shown).toContain('Afrekenpagina 2026');
    expect(shown).not.toMatch(/PAID_ORDER|CUSTOMER|YES|T12:00|[0-9a-f]{64}/);
    await page.getByText(text.corrected, { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`contact-customer-corrected-${language}`);
  });

  it('clears the answers the owner empties: the opt-out, its text, the relationship and the categories', async () => {
    const { page } = app;
    const added = await openCustomerForm('wist.klant@example.nl');
    await added.getByRole('combobox', { name: text.relationship }).click();
    await page.getByRole('option', { name: text.paid }).click();
    await added.getByRole('combobox', { name: text.optOut }).click();
    await page.getByRole('option', { name: text.optOutYes }).click();
    await added.getByRole('combobox', { name: text.collectionText }).click();
    await page.getByRole('option', { name: 'Afrekenpagina 2026 (nl)' }).click();
    await added.getByLabel(text.orderRef).fill('B-4004');
    await added.getByLabel(text.orderDate).fill(aMonthAgo());
    await added.getByLabel(text.categories, { exact: true }).fill('Taarten');
    await added.getByLabel(text.categories, { exact: true }).press('Enter');
    await added.getByRole('button', { name: text.save }).click();
    await page.getByRole('heading', { name: 'wist.klant@example.nl', level: 1 }).waitFor();
    await page.getByText(text.grey, { exact: true }).waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: text.correct }).click();
    const form = page.getByRole('form', { name: text.correct });
    expect(await form.getByRole('combobox', { name: text.optOut }).inputValue()).toBe(text.optOutYes);
    // Each answer has its own clear button, named after its question.
    await form.getByRole('button', { name: `${text.clearAnswer}${text.categories}` }).click();
    await form.getByRole('button', { name: `${text.clearAnswer}${text.relationship}` }).click();
    await form.getByRole('button', { name: `${text.clearAnswer}${text.optOut}` }).click();
    // Without an opt-out offered there is no checkout text to ask for.
    expect(await form.getByRole('combobox', { name: text.collectionText }).count()).toBe(0);
    await form.getByRole('button', { name: text.saveCorrection }).click();

    // Not known any more: the class falls back to the sender's own risk, in the notice and on the contact.
    await page.getByText(text.correctedOwnRisk, { exact: true }).waitFor();
    await page.getByText(text.ownRisk, { exact: true }).waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const evidence = page.getByRole('table').filter({ hasText: 'B-4004' });
    const shown = (await evidence.textContent()) ?? '';
    expect(shown).not.toContain(text.paid);
    expect(shown).not.toContain(text.optOutYes);
    expect(shown).not.toContain('Afrekenpagina 2026');
    expect(shown).not.toContain('Taarten');

    // Opened again, the form shows the answers emptied, not the old ones.
    await page.getByRole('button', { name: text.correct }).click();
    const again = page.getByRole('form', { name: text.correct });
    expect(await again.getByRole('combobox', { name: text.optOut }).inputValue()).toBe('');
    expect(await again.getByRole('combobox', { name: text.relationship }).inputValue()).toBe('');
    expect(await again.getByLabel(text.orderRef).inputValue()).toBe('B-4004');
    await again.getByRole('button', { name: text.cancel }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`contact-customer-cleared-${language}`);
  });

  it('refuses to correct a customer who has since unsubscribed, in the user language', async () => {
    const { page } = app;
    const added = await openCustomerForm('afgemeld.klant@example.nl');
    await added.getByLabel(text.orderRef).fill('B-3003');
    await added.getByRole('button', { name: text.save }).click();
    await page.getByRole('heading', { name: 'afgemeld.klant@example.nl', level: 1 }).waitFor();
    await page.getByRole('button', { name: text.unsubscribe }).click();
    await page.getByRole('dialog').getByRole('button', { name: text.saveUnsubscribe }).click();
    await page.getByText(text.unsubscribed, { exact: true }).waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: text.correct }).click();
    const form = page.getByRole('form', { name: text.correct });
    await form.getByLabel(text.orderRef).fill('B-3004');
    await form.getByRole('button', { name: text.saveCorrection }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    const said = (await alert.textContent()) ?? '';
    expect(said).toContain(text.suppressed);
    // No field code (the support code the notice adds under the message is by design).
    expect(said).not.toMatch(/orderRef|order_ref|customer\./);
    await expect
      .poll(() => form.evaluate((node) => getComputedStyle(node.closest('section') ?? node).opacity))
      .toBe('1');
    expect(await seriousViolations(page)).toEqual([]);
    await app.screenshot(`contact-correct-customer-refused-${language}`);
  });
});
