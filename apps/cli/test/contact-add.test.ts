import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addSuppression, createSenderEntity, openStore, upsertContact } from '@consent-mailer/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

let dir: string;
let db: string;
let script: string;
const at = '2026-11-28T12:00:00.000Z';

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cm-cli-contact-add-'));
  db = join(dir, 'consent-mailer.sqlite');
  const store = await openStore({ path: db });
  // Through the repository, with its event: a bare insert is refused at commit (STORE_WRITE_WITHOUT_EVENT).
  await createSenderEntity(
    store.db,
    {
      id: 'bakkerij',
      legalName: 'Bakkerij de Vries B.V.',
      postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
      contactEmail: 'info@bakkerij.nl',
      kvkNumber: '12345678',
    },
    at,
  );
  await addSuppression(store.db, {
    email: 'weg@example.nl',
    reason: 'UNSUBSCRIBED',
    source: 'UNSUBSCRIBE_LINK',
    at,
  });
  await store.close();
  const text = await runCli([
    'consent-text',
    'add',
    '--db',
    db,
    '--kind',
    'PHONE_SCRIPT',
    '--label',
    'Belscript 2026',
    '--body',
    'Mogen wij u de nieuwsbrief mailen? Afmelden kan altijd.',
    '--json',
  ]);
  script = (JSON.parse(text.stdout) as { id: string }).id;
  expect((await runCli(['list', 'create', 'Nieuwsbrief', '--db', db])).code).toBe(0);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const phone = (email: string, extra: string[] = []) => [
  'contact',
  'add',
  email,
  '--db',
  db,
  '--method',
  'PHONE',
  '--date',
  '2026-11-03',
  '--entity',
  'bakkerij',
  '--script',
  script,
  ...extra,
];

describe('consent-mailer contact add', () => {
  it('adds a phone consent with the caller and script, classified P1, and extends it by a differently cased address', async () => {
    const added = await runCli(
      phone('jan@example.nl', ['--staff', 'Kees', '--list', 'Nieuwsbrief', '--first-name', 'Jan']),
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Added jan@example.nl. Class for a newsletter: TRANSFER_RISK (P1)');

    const again = await runCli(
      phone('Jan@Example.NL', ['--staff', 'Kees', '--last-name', 'de Vries', '--lang', 'nl']),
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Bijgewerkt: jan@example.nl.');

    const shown = await runCli(['contact', 'show', 'jan@example.nl', '--db', db]);
    expect(shown.stdout).toContain('jan@example.nl  Jan de Vries');
    expect(shown.stdout).toContain('phoneAgent: Kees');
    expect(shown.stdout).toContain('signupAt: 2026-11-03T12:00:00.000Z');
    const corrected = await runCli([
      'contact',
      'correct',
      'JAN@example.nl',
      '--entity',
      'bakkerij',
      '--staff',
      'Kees Jansen',
      '--db',
      db,
    ]);
    expect(corrected.stderr).toBe('');
    expect(corrected.stdout).toContain(
      'Corrected for jan@example.nl: phone_agent. Class for a newsletter: TRANSFER_RISK.',
    );
    expect((await runCli(['contact', 'show', 'jan@example.nl', '--db', db])).stdout).toContain(
      'phoneAgent: Kees Jansen',
    );
    const listed = await runCli(['contacts', 'list', '--search', 'jan', '--db', db, '--json']);
    expect((JSON.parse(listed.stdout) as { items: unknown[] }).items).toHaveLength(1);
    expect((await runCli(['audit', 'verify', '--db', db])).code).toBe(0);
  });

  it('asks for who called, and refuses a suppressed address, in the chosen language', async () => {
    const missing = await runCli(phone('piet@example.nl', ['--lang', 'nl']));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Vul de medewerker in');

    const suppressed = await runCli(phone('Weg@example.nl', ['--staff', 'Kees']));
    expect(suppressed.code).toBe(1);
    expect(suppressed.stderr).toMatch(/STORE_ADDRESS_SUPPRESSED.*suppression list/);
  });

  it('fixes a mistyped domain the import flagged, refuses a different person, and the chain still verifies', async () => {
    expect((await runCli(phone('jan@gmial.com', ['--staff', 'Kees']))).code).toBe(0);
    const other = await runCli(['contact', 'fix-domain', 'jan@gmial.com', 'piet@gmail.com', '--db', db]);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/CONTACT_CORRECTION_NOT_DOMAIN.*Only the part after the @/);

    const fixed = await runCli([
      'contact',
      'fix-domain',
      'jan@gmial.com',
      'jan@gmail.com',
      '--db',
      db,
      '--lang',
      'nl',
    ]);
    expect(fixed.stderr).toBe('');
    expect(fixed.stdout).toContain(
      'jan@gmial.com is nu jan@gmail.com; de toestemming blijft bij de persoon.',
    );
    const shown = (await runCli(['contact', 'show', 'jan@gmail.com', '--db', db])).stdout;
    expect(shown).toContain('Consent for bakkerij: PHONE');
    expect(shown).toMatch(/contact\.address_corrected/);
    expect((await runCli(['contact', 'show', 'jan@gmial.com', '--db', db])).code).toBe(1);
    expect((await runCli(['audit', 'verify', '--db', db])).code).toBe(0);
  });

  it("corrects an existing customer's payment, order date and opt-out offered, and refuses a caller for them", async () => {
    const store = await openStore({ path: db });
    await upsertContact(
      store.db,
      {
        email: 'klant@example.nl',
        recipientKind: 'CONSUMER',
        consent: {
          method: 'CUSTOMER',
          senderEntityId: 'bakkerij',
          scopeLists: 'ALL',
          orderRef: 'B-1001',
          lastPurchaseAt: '2026-10-01T12:00:00.000Z',
        },
      },
      { at },
    );
    await store.close();
    const checkout = await runCli([
      'consent-text',
      'add',
      '--db',
      db,
      '--kind',
      'COLLECTION',
      '--label',
      'Afrekenpagina',
      '--body',
      'Wij mailen u over vergelijkbare producten; vink aan als u dat niet wilt.',
      '--json',
    ]);
    const textId = (JSON.parse(checkout.stdout) as { id: string }).id;
    const corrected = await runCli([
      'contact',
      'correct',
      'klant@example.nl',
      '--entity',
      'bakkerij',
      '--paid',
      '--order-date',
      '2026-11-20',
      '--opt-out',
      'yes',
      '--opt-out-text',
      textId,
      '--categories',
      'brood, gebak',
      '--db',
      db,
    ]);
    expect(corrected.stderr).toBe('');
    expect(corrected.stdout).toContain(
      'Corrected for klant@example.nl: order_paid, order_at, purchase_categories, opt_out_offered_at_collection, collection_text_version_id. Class for a newsletter: ALLOWED_GREY.',
    );
    const shown = (await runCli(['contact', 'show', 'klant@example.nl', '--db', db])).stdout;
    expect(shown).toContain('orderAt: 2026-11-20T12:00:00.000Z');
    expect(shown).toContain('optOutOfferedAtCollection: YES');
    expect(shown).toContain('brood');

    const uncategorised = await runCli([
      'contact',
      'correct',
      'klant@example.nl',
      '--entity',
      'bakkerij',
      '--clear-categories',
      '--db',
      db,
    ]);
    expect(uncategorised.stderr).toBe('');
    expect(uncategorised.stdout).toContain('Corrected for klant@example.nl: purchase_categories.');
    const without = (await runCli(['contact', 'show', 'klant@example.nl', '--db', db])).stdout;
    expect(without).not.toContain('brood');
    expect(without).toContain('optOutOfferedAtCollection: YES');

    const wrong = await runCli([
      'contact',
      'correct',
      'klant@example.nl',
      '--entity',
      'bakkerij',
      '--staff',
      'Kees',
      '--lang',
      'nl',
      '--db',
      db,
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('is een bestaande klant: corrigeer de bestelling');
    const both = await runCli([
      'contact',
      'correct',
      'klant@example.nl',
      '--entity',
      'bakkerij',
      '--paid',
      '--not-paid',
      '--db',
      db,
    ]);
    // A usage error: exit code 2, nothing written.
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--not-paid');
    expect((await runCli(['audit', 'verify', '--db', db])).code).toBe(0);
  });
});
