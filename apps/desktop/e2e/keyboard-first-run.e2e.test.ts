import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** What the keyboard user reads on the way, in each language. */
const WORDS = {
  nl: {
    settings: 'Instellingen',
    entityForm: 'Afzender toevoegen',
    legalName: 'Statutaire naam',
    postalAddress: 'Postadres',
    contactEmail: 'E-mailadres voor contact',
    kvkNumber: 'KvK-nummer',
    saveEntity: 'Afzender opslaan',
    entities: 'Afzenders (rechtspersonen)',
    import: 'Importeren',
    drop: 'Contactbestand uploaden',
    next: 'Verder',
    entity: 'Afzender (rechtspersoon)',
    method: 'Hoe kregen deze contacten je toestemming?',
    source: 'Bron (bijvoorbeeld het aanmeldformulier op je website)',
    start: 'Import starten',
    done: 'Import voltooid',
    contacts: 'Contacten',
  },
  en: {
    settings: 'Settings',
    entityForm: 'Add sender',
    legalName: 'Legal name',
    postalAddress: 'Postal address',
    contactEmail: 'Contact e-mail address',
    kvkNumber: 'KvK number',
    saveEntity: 'Save sender',
    entities: 'Senders (legal entities)',
    import: 'Import',
    drop: 'Upload contact file',
    next: 'Next',
    entity: 'Sender (legal entity)',
    method: 'How did these contacts give you consent?',
    source: 'Source (for example the sign-up form on your website)',
    start: 'Start import',
    done: 'Import complete',
    contacts: 'Contacts',
  },
} as const;

/** Whether the element that has the focus is `target` or inside it. */
function holdsFocus(target: Locator): Promise<boolean> {
  return target.evaluate((element) => {
    const active = element.ownerDocument.activeElement;
    return active !== null && (element === active || element.contains(active));
  });
}

/**
 * Presses Tab (Shift+Tab with `back`) until `target` has the focus, as a keyboard user would, and checks
 * that the focus can be seen there: an outline or a ring, never nothing. Fails when it is out of reach.
 */
async function tabTo(page: Page, target: Locator, options: { back?: boolean } = {}): Promise<void> {
  await target.waitFor();
  for (let presses = 0; presses < 80; presses += 1) {
    if (await holdsFocus(target)) {
      const visible = await page.evaluate(() => {
        const active = document.activeElement;
        if (active === null) return false;
        const style = getComputedStyle(active);
        return (
          (style.outlineStyle !== 'none' && style.outlineWidth !== '0px') ||
          style.boxShadow !== 'none' ||
          active.matches(':focus-visible')
        );
      });
      expect(visible, 'the focus must be visible').toBe(true);
      return;
    }
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Not reachable with the keyboard: ${String(target)}`);
}

/** Opens the focused combobox with the arrow key and picks `option` with the arrow keys and Enter. */
async function chooseOption(page: Page, option: string): Promise<void> {
  await page.keyboard.press('ArrowDown');
  const active = page.locator('[data-combobox-selected]');
  for (let presses = 0; presses < 30; presses += 1) {
    if ((await active.count()) === 1 && (await active.textContent()) === option) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`No option "${option}" reachable with the arrow keys`);
}

describe.each(['nl', 'en'] as const)('the first run with the keyboard only (%s)', (language) => {
  const w = WORDS[language];
  let app: E2eApp;

  beforeAll(async () => {
    app = await startE2eApp({ language });
  });
  afterAll(async () => {
    await app.close();
  });

  it('sets up the sender entity without a mouse', async () => {
    const { page } = app;
    await tabTo(page, page.getByRole('link', { name: w.settings }));
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: w.entityForm });
    await tabTo(page, form.getByLabel(w.legalName));
    await page.keyboard.type('Bakkerij de Vries B.V.');
    await tabTo(page, form.getByLabel(w.postalAddress));
    await page.keyboard.type('Dorpsstraat 1, 1234 AB Ergens');
    await tabTo(page, form.getByLabel(w.contactEmail));
    await page.keyboard.type('info@bakkerijdevries.nl');
    await tabTo(page, form.getByLabel(w.kvkNumber));
    await page.keyboard.type('12345678');
    await tabTo(page, form.getByRole('button', { name: w.saveEntity }));
    await page.keyboard.press('Enter');
    const table = page.getByRole('table', { name: w.entities });
    await expect.poll(() => table.textContent()).toContain('Bakkerij de Vries B.V.');
    await app.screenshot(`keyboard-entity-${language}`);
  });

  it('imports a file: the drop zone opens the file chooser from the keyboard, every step reachable', async () => {
    const { page } = app;
    // Back up to the navigation: the user came from the form at the bottom of the settings.
    await tabTo(page, page.getByRole('link', { name: w.import, exact: true }), { back: true });
    await page.keyboard.press('Enter');
    // Listening before the focus moves: Playwright intercepts the chooser only once the browser confirmed it
    // listens, and a key press right after asking could open the real dialog instead.
    const chooser = page.waitForEvent('filechooser');
    await tabTo(page, page.getByRole('button', { name: w.drop }));
    await page.keyboard.press('Enter');
    await (await chooser).setFiles(join(FIXTURES, 'klanten.csv'));
    await tabTo(page, page.getByRole('button', { name: w.next }));
    await page.keyboard.press('Enter');
    // The only sender is chosen already; the method is the user's own choice.
    await expect
      .poll(() => page.getByRole('combobox', { name: w.entity }).inputValue())
      .toBe('Bakkerij de Vries B.V.');
    const method = page.getByRole('combobox', { name: w.method });
    await tabTo(page, method);
    await chooseOption(page, WEB_SOI[language]);
    await expect.poll(() => method.inputValue()).toBe(WEB_SOI[language]);
    await tabTo(page, page.getByLabel(w.source));
    await page.keyboard.type('Aanmeldformulier op bakkerijdevries.nl');
    expect(await seriousViolations(page)).toEqual([]);
    await tabTo(page, page.getByRole('button', { name: w.start }));
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: w.done }).waitFor({ timeout: 30_000 });
    await app.screenshot(`keyboard-import-${language}`);
  });

  it('reaches the imported contacts from the navigation', async () => {
    const { page } = app;
    await tabTo(page, page.getByRole('link', { name: w.contacts, exact: true }), { back: true });
    await page.keyboard.press('Enter');
    const table = page.getByRole('table', { name: w.contacts });
    // Three good rows of four; the header row makes four rows.
    await expect.poll(() => table.getByRole('row').count()).toBe(4);
    await tabTo(page, table.getByRole('row').filter({ hasText: 'anna@example.nl' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'anna@example.nl' }).waitFor();
    await app.screenshot(`keyboard-contact-${language}`);
  });
});

const WEB_SOI = {
  nl: 'Aanmelding via website zonder bevestiging (enkele opt-in)',
  en: 'Web sign-up without confirmation (single opt-in)',
} as const;
