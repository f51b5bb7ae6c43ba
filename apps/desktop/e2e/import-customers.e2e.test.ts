import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyContact } from '@consent-mailer/policy';
import { getContactByEmail } from '@consent-mailer/store';
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
    customers: 'Bestaande klant (soft opt-in)',
    relationship: 'Hoe zijn ze klant geworden?',
    paid: 'Ze hebben een bestelling gedaan en betaald',
    optOut: 'Konden ze bij het bestellen zeggen dat ze geen nieuwsbrief wilden?',
    optOutYes: 'Ja, op het moment dat ze hun adres gaven',
    text: 'Tekst die ze toen zagen',
    categories: 'Wat kochten ze?',
    start: 'Import starten',
    done: 'Import voltooid',
    missing: 'Bewijs dat nog ontbreekt',
    missingFields: ['Bestelling betaald', 'Afmelding aangeboden bij verzamelen', 'Productcategorieën'],
    another: 'Nog een bestand importeren',
    contacts: 'Contacten',
    evidence: 'Bewijs',
  },
  en: {
    import: 'Import',
    next: 'Next',
    entity: 'Sender (legal entity)',
    method: 'How did these contacts give you consent?',
    customers: 'Existing customer (soft opt-in)',
    relationship: 'How did they become customers?',
    paid: 'They placed an order and paid for it',
    optOut: 'When they ordered, could they say they did not want a newsletter?',
    optOutYes: 'Yes, at the moment they gave their address',
    text: 'The text they saw then',
    categories: 'What did they buy?',
    start: 'Start import',
    done: 'Import complete',
    missing: 'Evidence still missing',
    missingFields: ['Order paid', 'Opt-out offered at collection', 'Product categories'],
    another: 'Import another file',
    contacts: 'Contacts',
    evidence: 'Evidence',
  },
} as const;

/** A shop export: order number and last order per row; what holds for all customers is asked in the wizard. */
const recent = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);

function shopExport(dir: string, name: string, people: string[]): string {
  const rows = people.map((person, index) => `${person}@example.nl;${person};${1000 + index};${recent}`);
  const path = join(dir, name);
  writeFileSync(path, `E-mailadres;Voornaam;Bestelnummer;Laatste bestelling\r\n${rows.join('\r\n')}\r\n`);
  return path;
}

describe.each(['nl', 'en'] as const)('importing existing customers with their evidence (%s)', (language) => {
  const text = TEXT[language];
  let app: E2eApp | undefined;
  let dataDir: string;
  let files: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cm-e2e-customers-'));
    files = mkdtempSync(join(tmpdir(), 'cm-e2e-customer-files-'));
    await withDataDirCaller(dataDir, async (caller) => {
      await caller.entities.add(BAKERY);
      await caller.settings.consentTexts.add({
        kind: 'COLLECTION',
        language: 'nl',
        label: 'Afrekenpagina 2025',
        body: 'Je ontvangt af en toe aanbiedingen van ons. [ ] Nee, liever geen nieuwsbrief.',
      });
    });
    app = await startE2eApp({ language, dataDir });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  // The last test closes the app to read the file; every other test needs it open.
  const running = (): E2eApp => {
    if (app === undefined) throw new Error('the app is already closed');
    return app;
  };

  const importFile = async (path: string, withEvidence: boolean) => {
    const page = running().page;
    await page.getByRole('link', { name: text.import, exact: true }).click();
    await page.locator('input[type=file]').setInputFiles(path);
    await page.getByRole('button', { name: text.next }).click();
    await page.getByRole('combobox', { name: text.entity }).click();
    await page.getByRole('option', { name: 'Bakkerij de Vries' }).click();
    await page.getByRole('combobox', { name: text.method }).click();
    await page.getByRole('option', { name: text.customers }).click();
    if (withEvidence) {
      await page.getByRole('combobox', { name: text.relationship }).click();
      await page.getByRole('option', { name: text.paid }).click();
      await page.getByRole('combobox', { name: text.optOut }).click();
      await page.getByRole('option', { name: text.optOutYes }).click();
      await page.getByRole('combobox', { name: text.text }).click();
      await page.getByRole('option', { name: 'Afrekenpagina 2025 (nl)' }).click();
      // TagsInput labels its typing field and its hidden form value alike: the typing field comes first.
      const categories = page.getByLabel(text.categories, { exact: true }).first();
      await categories.fill('brood, gebak,');
      await categories.press('Enter');
      expect(await seriousViolations(page)).toEqual([]);
      await running().screenshot(`import-customer-evidence-${language}`);
    }
    await page.getByRole('button', { name: text.start }).click();
    await page.getByRole('status').filter({ hasText: text.done }).waitFor({ timeout: 30_000 });
  };

  it('asks what holds for all customers in plain words, and then misses nothing', async () => {
    await importFile(shopExport(files, 'klanten-met-bewijs.csv', ['anna', 'bert']), true);
    expect(await running().page.getByText(text.missing).count()).toBe(0);
    await running().page.getByRole('button', { name: text.another }).click();
  });

  it('names the evidence still missing in words when the questions are left open', async () => {
    await importFile(shopExport(files, 'klanten-zonder-bewijs.csv', ['carla']), false);
    const alert = running().page.getByRole('alert').filter({ hasText: text.missing });
    await alert.waitFor();
    const said = (await alert.textContent()) ?? '';
    for (const field of text.missingFields) expect(said).toContain(field);
    // Never the stored field names.
    expect(said).not.toMatch(/orderPaid|optOutOfferedAtCollection|purchaseCategories|CUSTOMER/);
    await running().screenshot(`import-customer-missing-${language}`);
  });

  it("shows the customer's answers on the contact in words, not codes", async () => {
    const page = running().page;
    await page.getByRole('link', { name: text.contacts, exact: true }).click();
    await page
      .getByRole('table', { name: text.contacts })
      .getByRole('row')
      .filter({ hasText: 'anna@example.nl' })
      .click();
    const evidence = page.getByRole('table', { name: text.evidence });
    await expect.poll(() => evidence.textContent()).toContain(text.paid);
    const shown = (await evidence.textContent()) ?? '';
    expect(shown).toContain(text.optOutYes);
    expect(shown).toContain('Afrekenpagina 2025');
    // The last order on the day the file says, whatever the zone of this machine.
    const day = new Date(`${recent}T12:00:00Z`).toLocaleDateString(language === 'nl' ? 'nl-NL' : 'en-US', {
      dateStyle: 'medium',
      timeZone: 'UTC',
    });
    expect(shown).toContain(day);
    expect(shown).not.toMatch(/PAID_ORDER|YES\b/);
    expect(await seriousViolations(page)).toEqual([]);
    await running().screenshot(`import-customer-contact-${language}`);
  });

  it('gives the customers with evidence the proven class for a mailing about what they bought', async () => {
    await app?.close();
    app = undefined;
    await withDataDirCaller(dataDir, async (_caller, store) => {
      const mailing = {
        id: 'aanbieding',
        senderEntityId: 'bakkerij',
        listId: 'any-list',
        content: 'MARKETING' as const,
        productCategories: ['brood'],
      };
      const verdict = async (email: string) => {
        const detail = await getContactByEmail(store.db, email);
        const record = detail?.records.find((candidate) => candidate.senderEntityId === 'bakkerij');
        if (record === undefined) throw new Error(`${email} was not imported`);
        const result = classifyContact(record, mailing, { now: new Date().toISOString() });
        return result.classification;
      };
      expect(await verdict('anna@example.nl')).toBe('ALLOWED_PROVEN');
      expect(await verdict('bert@example.nl')).toBe('ALLOWED_PROVEN');
      // The same shop export without the answers: the owner's own risk.
      expect(await verdict('carla@example.nl')).toBe('TRANSFER_RISK');
    });
  });
});
