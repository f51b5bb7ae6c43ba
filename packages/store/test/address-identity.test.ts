import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MIGRATIONS,
  addSuppression,
  addressHash,
  checkpointStore,
  eraseContact,
  getContactByEmail,
  importContacts,
  isSuppressed,
  loadContactRecords,
  openStore,
  upsertContact,
  verifyChain,
  type ImportContactRow,
  type Store,
} from '../src/index.js';
import { AT, addSenderEntity, openTempStore, tempDir } from '../src/testing/index.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshStore(): Promise<{ store: Store; path: string }> {
  const temp = await openTempStore();
  cleanups.push(temp.cleanup);
  await addSenderEntity(temp.store);
  return temp;
}

function row(email: string, extra: Partial<ImportContactRow> = {}): ImportContactRow {
  return {
    email,
    recipientKind: 'CONSUMER',
    method: 'WEB_SOI',
    senderEntityId: 'bakkerij',
    scopeLists: 'ALL',
    signupAt: '2026-01-01T10:00:00Z',
    ...extra,
  };
}

describe('one address identity', () => {
  it('imports JAN@ and jan@ as one contact and keeps the spelling for sending', async () => {
    const { store } = await freshStore();
    const counts = await importContacts(store.db, [row('JAN@example.nl'), row('jan@example.nl')], { at: AT });
    expect(counts).toMatchObject({ imported: 1, duplicates: 1 });
    const contacts = await store.db.selectFrom('contact').select(['email', 'email_spelling']).execute();
    expect(contacts).toEqual([{ email: 'jan@example.nl', email_spelling: 'JAN@example.nl' }]);
    // A later import in another spelling finds the same contact.
    const again = await importContacts(store.db, [row('Jan@Example.NL')], { at: AT });
    expect(again).toMatchObject({ imported: 0 });
    expect(await store.db.selectFrom('contact').select('id').execute()).toHaveLength(1);
  });

  it('unsubscribe D1@Example.NL blocks d1@example.nl everywhere', async () => {
    const { store } = await freshStore();
    const { contactId } = await upsertContact(
      store.db,
      {
        email: 'd1@example.nl',
        consent: { method: 'WEB_SOI', senderEntityId: 'bakkerij', scopeLists: 'ALL', signupAt: AT },
      },
      { at: AT },
    );
    await addSuppression(store.db, { email: 'D1@Example.NL', reason: 'UNSUBSCRIBED', source: 'CLI', at: AT });
    expect(await isSuppressed(store.db, 'd1@example.nl')).toBe(true);
    const [loaded] = await loadContactRecords(store.db, { contactIds: [contactId] });
    expect(loaded?.record.unsubscribedAt).toBe(AT);
    const consent = await store.db.selectFrom('consent').select('status').executeTakeFirstOrThrow();
    expect(consent.status).toBe('WITHDRAWN');
    expect(await importContacts(store.db, [row('D1@EXAMPLE.NL')], { at: AT })).toMatchObject({
      suppressed: 1,
    });
  });

  it('matches an internationalised domain in Unicode and in punycode', async () => {
    const { store } = await freshStore();
    await importContacts(store.db, [row('jan@bücher.example')], { at: AT });
    const counts = await importContacts(store.db, [row('JAN@xn--bcher-kva.example')], { at: AT });
    expect(counts.imported).toBe(0);
    expect((await getContactByEmail(store.db, 'Jan@BÜCHER.example'))?.contact.email).toBe(
      'jan@xn--bcher-kva.example',
    );
    await addSuppression(store.db, {
      email: 'jan@xn--bcher-kva.example',
      reason: 'OBJECTED',
      source: 'CLI',
      at: AT,
    });
    expect(await isSuppressed(store.db, 'Jan@bücher.example')).toBe(true);
  });

  it('erases the person under any spelling and leaves no case variant on disk', async () => {
    const { store, path } = await freshStore();
    await importContacts(
      store.db,
      [row('Marieke.Zonnebloem@Voorbeeld.nl'), row('marieke.zonnebloem@voorbeeld.nl')],
      {
        at: AT,
      },
    );
    await upsertContact(
      store.db,
      { email: 'MARIEKE.ZONNEBLOEM@voorbeeld.nl', firstName: 'Marieke' },
      { at: AT },
    );
    const result = await eraseContact(store.db, {
      email: 'mArIeKe.zonnebloem@VOORBEELD.nl',
      source: 'CLI',
      at: AT,
    });
    expect(result.erased).toBe(true);
    expect(await store.db.selectFrom('contact').select('id').execute()).toEqual([]);
    expect(await isSuppressed(store.db, 'Marieke.Zonnebloem@voorbeeld.nl')).toBe(true);
    checkpointStore(store);
    const bytes = Buffer.concat([
      readFileSync(path),
      ...(existsSync(`${path}-wal`) ? [readFileSync(`${path}-wal`)] : []),
    ]).toString('latin1');
    expect(bytes.toLowerCase()).not.toContain('zonnebloem');
    expect((await verifyChain(store.db)).ok).toBe(true);
  });
});

describe('migration 0180: existing case variants', () => {
  async function oldDatabase(): Promise<{
    path: string;
    db: Kysely<unknown>;
    sqlite: BetterSqlite3.Database;
  }> {
    const { dir, cleanup } = tempDir('store-identity-');
    cleanups.push(cleanup);
    const path = join(dir, 'old.sqlite');
    const sqlite = new BetterSqlite3(path);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    // The schema the previous release wrote: its migrations only (no event_row, so no row seals yet).
    const previousRelease = new Set([
      '0200_import_progress_and_mappings',
      '0300_add_sending_columns',
      '0310_index_delivery_claims',
      '0400_create_acknowledgement_recipient',
    ]);
    const before = Object.entries(MIGRATIONS).filter(([name]) => name < '0160' || previousRelease.has(name));
    const result = await new Migrator({
      db,
      provider: { getMigrations: () => Promise.resolve(Object.fromEntries(before)) },
    }).migrateToLatest();
    expect(result.error).toBeUndefined();
    return { path, db, sqlite };
  }

  it('merges JAN@ and jan@ keeping the strongest evidence and every opt-out, and records it in the chain', async () => {
    const { path, db } = await oldDatabase();
    // Rows as the previous version wrote them: only the domain was lower-cased, hashes of that.
    const upper = 'JAN@example.nl';
    const lower = 'jan@example.nl';
    await sql`INSERT INTO sender_entity (id, legal_name, kvk_number, created_at, updated_at)
      VALUES ('bakkerij', 'Bakkerij B.V.', '12345678', ${AT}, ${AT})`.execute(db);
    await sql`INSERT INTO list (id, name, created_at, updated_at) VALUES ('a', 'A', ${AT}, ${AT}), ('b', 'B', ${AT}, ${AT})`.execute(
      db,
    );
    await sql`INSERT INTO contact (id, email, address_hash, first_name, recipient_kind, address_kind, created_at, updated_at)
      VALUES (1, ${upper}, ${addressHash(upper)}, NULL, 'UNKNOWN', 'PERSONAL', ${AT}, ${AT}),
             (2, ${lower}, ${addressHash(lower)}, 'Jan', 'CONSUMER', 'PERSONAL', ${AT}, ${AT})`.execute(db);
    // The upper-case variant unsubscribed; the lower-case one has a confirmed double opt-in.
    await sql`INSERT INTO consent (contact_id, sender_entity_id, method, scope_lists, status, signup_at, unsubscribed_at, created_at, updated_at)
      VALUES (1, 'bakkerij', 'IMPORTED_UNKNOWN', '"ALL"', 'WITHDRAWN', NULL, ${AT}, ${AT}, ${AT})`.execute(
      db,
    );
    await sql`INSERT INTO consent (contact_id, sender_entity_id, method, scope_lists, status, signup_at, confirmed_at, signup_ip, created_at, updated_at)
      VALUES (2, 'bakkerij', 'WEB_DOI', '"ALL"', 'ACTIVE', '2026-01-01T10:00:00Z', '2026-01-01T10:05:00Z', '203.0.113.5', ${AT}, ${AT})`.execute(
      db,
    );
    await sql`INSERT INTO list_membership (list_id, contact_id, added_at) VALUES ('a', 1, ${AT}), ('b', 2, ${AT})`.execute(
      db,
    );
    await sql`INSERT INTO suppression (address_hash, reason, source, created_at)
      VALUES (${addressHash(upper)}, 'UNSUBSCRIBED', 'UNSUBSCRIBE_LINK', ${AT}),
             (${addressHash('Piet@example.nl')}, 'ERASED', 'CLI', ${AT})`.execute(db);
    await sql`INSERT INTO bounce (address_hash, contact_id, kind, received_at, created_at)
      VALUES (${addressHash(lower)}, 2, 'SOFT', ${AT}, ${AT})`.execute(db);
    await db.destroy();

    const store = await openStore({ path });
    cleanups.push(() => store.close());
    const contacts = await store.db.selectFrom('contact').selectAll().execute();
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({
      id: 1,
      email: lower,
      email_spelling: upper,
      address_hash: addressHash(lower),
      first_name: 'Jan',
      recipient_kind: 'CONSUMER',
    });
    const consents = await store.db.selectFrom('consent').selectAll().execute();
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({
      contact_id: 1,
      method: 'WEB_DOI',
      confirmed_at: '2026-01-01T10:05:00Z',
      unsubscribed_at: AT,
      status: 'WITHDRAWN',
    });
    const lists = await store.db.selectFrom('list_membership').select('list_id').orderBy('list_id').execute();
    expect(lists.map((entry) => entry.list_id)).toEqual(['a', 'b']);
    expect(await store.db.selectFrom('bounce').select(['contact_id', 'address_hash']).execute()).toEqual([
      { contact_id: 1, address_hash: addressHash(lower) },
    ]);
    // The unsubscribe follows the merged contact; the erased address nobody has any more keeps its hash.
    expect(await isSuppressed(store.db, lower)).toBe(true);
    const [loaded] = await loadContactRecords(store.db, { contactIds: [1] });
    expect(loaded?.record.unsubscribedAt).toBe(AT);
    expect(await isSuppressed(store.db, 'Piet@example.nl')).toBe(true);
    expect(await importContacts(store.db, [row('Piet@example.nl')], { at: AT })).toMatchObject({
      suppressed: 1,
    });

    // ledger.resealed (the snapshot of rows the previous release wrote before row seals existed) aside.
    const events = (
      await store.db.selectFrom('event').select(['type', 'data']).orderBy('seq').execute()
    ).filter((event) => event.type !== 'ledger.resealed');
    expect(events.map((event) => event.type)).toEqual([
      'contact.merged',
      'address.rehashed',
      'address_identity.migrated',
      'contacts.imported',
    ]);
    expect(JSON.parse(events[0]?.data ?? '{}')).toMatchObject({
      addressHash: addressHash(lower),
      mergedContactIds: [2],
    });
    expect(JSON.parse(events[1]?.data ?? '{}').pairs).toEqual([[addressHash(upper), addressHash(lower)]]);
    expect((await verifyChain(store.db)).ok).toBe(true);
  });

  it('writes nothing to the event log of a database without case variants', async () => {
    const { path, db } = await oldDatabase();
    await sql`INSERT INTO contact (email, address_hash, recipient_kind, address_kind, created_at, updated_at)
      VALUES ('jan@example.nl', ${addressHash('jan@example.nl')}, 'CONSUMER', 'PERSONAL', ${AT}, ${AT})`.execute(
      db,
    );
    await db.destroy();
    const store = await openStore({ path });
    cleanups.push(() => store.close());
    // Only the ledger's own snapshot of the migrated rows (ledger.resealed); nothing about identities.
    const types = (await store.db.selectFrom('event').select('type').execute()).map((row) => row.type);
    expect(types.filter((type) => type !== 'ledger.resealed')).toEqual([]);
    expect(await store.db.selectFrom('contact').select(['email', 'email_spelling']).execute()).toEqual([
      { email: 'jan@example.nl', email_spelling: null },
    ]);
  });
});
