import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importContacts, openStore, upsertContact } from '@consent-mailer/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawWrite } from '@consent-mailer/store/testing';
import { runCli } from './cli-harness.js';

let dir: string;
let db: string;
const at = '2026-11-28T12:00:00.000Z';

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cm-cli-store-'));
  db = join(dir, 'consent-mailer.sqlite');
  const store = await openStore({ path: db });
  await rawWrite(
    store,
    store.db.insertInto('sender_entity').values({
      id: 'bakkerij',
      legal_name: 'Bakkerij de Vries B.V.',
      trade_name: null,
      postal_address: null,
      contact_email: null,
      kvk_number: null,
      created_at: at,
      updated_at: at,
    }),
  );
  await importContacts(
    store.db,
    Array.from({ length: 60 }, (_, index) => ({
      email: `klant${index}@${index % 3 === 0 ? 'bakkerij.nl' : 'example.nl'}`,
      recipientKind: 'CONSUMER' as const,
      method: index % 2 === 0 ? ('PAPER' as const) : ('WEB_SOI' as const),
      senderEntityId: 'bakkerij',
      scopeLists: 'ALL' as const,
    })),
    { at },
  );
  await upsertContact(
    store.db,
    {
      email: 'wim.zeldzaam@example.nl',
      firstName: 'Wim',
      recipientKind: 'CONSUMER',
      consent: { method: 'PHONE', senderEntityId: 'bakkerij', scopeLists: 'ALL', phoneAgent: 'Kees' },
    },
    { at },
  );
  await store.close();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('consent-mailer audit verify', () => {
  it('passes on an untouched file and names the link that was changed with a plain SQL client', async () => {
    const ok = await runCli(['audit', 'verify', '--db', db]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Event chain verified: 3 events/);

    // A plain SQL session on the file (the raw SQLite connection): drop the guard, edit the row.
    const store = await openStore({ path: db });
    store.sqlite.exec(
      "DROP TRIGGER event_refuse_update; UPDATE event SET data = replace(data, 'PHONE', 'WEB_DOI') WHERE seq = 3",
    );
    await store.close();
    const broken = await runCli(['audit', 'verify', '--db', db]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      /AUDIT_CHAIN_BROKEN.*event 3 \(consent\.recorded on consent \d+ at 2026-11-28T12:00:00\.000Z\) fails verification \(HASH_MISMATCH/,
    );
    const json = await runCli(['audit', 'verify', '--db', db, '--json']);
    expect(JSON.parse(json.stdout).error.code).toBe('AUDIT_CHAIN_BROKEN');
    // Other commands refuse the tampered file and point to audit verify.
    const status = await runCli(['status', '--db', db]);
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(/STORE_CHAIN_BROKEN.*event 3.*audit verify/);
  });
});

describe('consent-mailer contacts list', () => {
  it('filters by method and text and prints JSON', async () => {
    const result = await runCli([
      'contacts',
      'list',
      '--method',
      'PAPER',
      '--search',
      'bakkerij',
      '--json',
      '--db',
      db,
    ]);
    expect(result.code).toBe(0);
    const page = JSON.parse(result.stdout);
    expect(page.items).toHaveLength(10);
    expect(
      page.items.every(
        (item: { email: string; methods: string[] }) =>
          item.email.endsWith('@bakkerij.nl') && item.methods.includes('PAPER'),
      ),
    ).toBe(true);
  });

  it('pages with the printed cursor and rejects an unknown method', async () => {
    const first = await runCli(['contacts', 'list', '--limit', '40', '--db', db]);
    const cursor = /More: --after (\d+)/.exec(first.stdout)?.[1];
    expect(cursor).toBeDefined();
    const second = await runCli(['contacts', 'list', '--limit', '40', '--after', cursor ?? '', '--db', db]);
    expect(second.stdout.trim().split('\n')).toHaveLength(21);
    const bad = await runCli(['contacts', 'list', '--method', 'FAX', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/FAX.*invalid|Allowed choices/i);
  });
});

describe('consent-mailer contact show and erase', () => {
  it('shows the evidence, then erases after the address is typed again, leaving only its hash', async () => {
    const show = await runCli(['contact', 'show', 'wim.zeldzaam@example.nl', '--db', db]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Consent for bakkerij: PHONE');
    expect(show.stdout).toContain('phoneAgent: Kees');
    expect(show.stdout).toMatch(/#\d+ .* consent\.recorded/);

    const refused = await runCli(['contact', 'erase', 'wim.zeldzaam@example.nl', '--db', db], {
      stdin: 'oops\n',
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ERASE_NOT_CONFIRMED');
    expect((await runCli(['contact', 'show', 'wim.zeldzaam@example.nl', '--db', db])).code).toBe(0);

    const erased = await runCli(['contact', 'erase', 'wim.zeldzaam@example.nl', '--db', db], {
      stdin: 'wim.zeldzaam@example.nl\n',
    });
    expect(erased.code).toBe(0);
    expect(erased.stdout).toContain('Erased wim.zeldzaam@example.nl');
    expect(erased.stdout).toContain('pseudonymous personal data, kept only to honour the objection');
    expect(erased.stdout).toContain('17(3)');
    const gone = await runCli(['contact', 'show', 'wim.zeldzaam@example.nl', '--db', db]);
    expect(gone.stderr).toContain('CONTACT_NOT_FOUND');
    const bytes = Buffer.concat([readFileSync(db)]).toString('latin1');
    expect(bytes).not.toContain('zeldzaam');
    expect((await runCli(['audit', 'verify', '--db', db])).code).toBe(0);
  });

  it('erases without asking with --yes', async () => {
    const erased = await runCli(['contact', 'erase', 'klant1@example.nl', '--yes', '--json', '--db', db]);
    expect(erased.code).toBe(0);
    expect(JSON.parse(erased.stdout)).toMatchObject({ erased: true });
  });
});
