import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  eraseContact,
  importContacts,
  indexPendingContacts,
  listContacts,
  pendingSearchRows,
  upsertContact,
  type ImportContactRow,
  type Store,
} from '../src/index.js';
import { AT, addSenderEntity, openTempStore } from '../src/testing/index.js';

let store: Store;
let cleanup: () => Promise<void>;
let entity: string;

beforeEach(async () => {
  const temp = await openTempStore();
  store = temp.store;
  cleanup = temp.cleanup;
  entity = await addSenderEntity(store);
});
afterEach(async () => cleanup());

const row = (email: string, fields: Partial<ImportContactRow> = {}): ImportContactRow => ({
  email,
  recipientKind: 'CONSUMER',
  method: 'PAPER',
  senderEntityId: entity,
  scopeLists: 'ALL',
  paperScanRef: 'ordner 1',
  ...fields,
});

async function search(term: string): Promise<string[]> {
  const page = await listContacts(store.db, { search: term }, { limit: 100 });
  return page.items.map((item) => item.email);
}

/** Whether the trigram index itself (not the LIKE check) has a row for this text. */
async function indexed(term: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM contact_search
    WHERE contact_search MATCH ${`"${term.slice(0, 3)}"`}`.execute(store.db);
  return Number(rows[0]?.n ?? 0);
}

describe('contact search through the trigram index', () => {
  beforeEach(async () => {
    await importContacts(
      store.db,
      [
        row('anna@bakkerij.nl', { firstName: 'Anna', lastName: 'de Vries' }),
        row('bram@example.nl', { firstName: 'Bram', organisation: 'Koffiebranderij Zwart B.V.' }),
        row('carla@example.nl', { firstName: 'Carla', lastName: 'Jansen' }),
      ],
      { at: AT },
    );
  });

  it('finds a part of an address, a name or an organisation, before and after indexing, ignoring case', async () => {
    expect(await pendingSearchRows(store.db)).toBe(3);
    const before = [
      await search('VRIES'),
      await search('branderij'),
      await search('bakkerij.nl'),
      await search('an'),
    ];
    expect(await indexPendingContacts(store.db)).toBe(3);
    expect(await pendingSearchRows(store.db)).toBe(0);
    const after = [
      await search('VRIES'),
      await search('branderij'),
      await search('bakkerij.nl'),
      await search('an'),
    ];
    expect(after).toEqual(before);
    expect(after).toEqual([
      ['anna@bakkerij.nl'],
      ['bram@example.nl'],
      ['anna@bakkerij.nl'],
      // Two letters: shorter than a trigram, so the LIKE scan answers.
      ['anna@bakkerij.nl', 'bram@example.nl', 'carla@example.nl'],
    ]);
    // A quote or a LIKE wildcard is just a character.
    expect(await search('"zw')).toEqual([]);
    expect(await search('100%')).toEqual([]);
  });

  it('answers from the index once built: a contact missing from the index is not found by a rare term', async () => {
    await indexPendingContacts(store.db);
    const bram = await store.db
      .selectFrom('contact')
      .select('id')
      .where('email', '=', 'bram@example.nl')
      .executeTakeFirstOrThrow();
    // Remove Bram from the index behind the store's back: a LIKE scan would still find him.
    await sql`DELETE FROM contact_search WHERE rowid = ${bram.id}`.execute(store.db);
    expect(await search('branderij')).toEqual([]);
  });

  it('finds a renamed contact by the new name only, and a new contact before it is indexed', async () => {
    await indexPendingContacts(store.db);
    await upsertContact(store.db, { email: 'carla@example.nl', lastName: 'Bakker' }, { at: AT });
    await upsertContact(store.db, { email: 'dirk@example.nl', lastName: 'Jansen' }, { at: AT });
    expect(await pendingSearchRows(store.db)).toBe(2);
    expect(await search('jansen')).toEqual(['dirk@example.nl']);
    expect(await search('bakker')).toEqual(['anna@bakkerij.nl', 'carla@example.nl']);
    await indexPendingContacts(store.db);
    expect(await search('jansen')).toEqual(['dirk@example.nl']);
    expect(await search('bakker')).toEqual(['anna@bakkerij.nl', 'carla@example.nl']);
  });

  it('removes an erased contact from the index in the same transaction', async () => {
    await indexPendingContacts(store.db);
    expect(await indexed('zwart')).toBe(1);
    await eraseContact(store.db, { email: 'bram@example.nl', source: 'TEST', at: AT });
    expect(await indexed('zwart')).toBe(0);
    expect(await search('branderij')).toEqual([]);
  });

  it('indexes in chunks and stops at maxRows', async () => {
    await importContacts(
      store.db,
      Array.from({ length: 50 }, (_, i) => row(`klant${i}@example.nl`)),
      { at: AT },
    );
    expect(await indexPendingContacts(store.db, { chunkRows: 7, maxRows: 20 })).toBe(20);
    expect(await pendingSearchRows(store.db)).toBe(33);
    expect(await indexPendingContacts(store.db, { chunkRows: 7 })).toBe(33);
    expect(await search('klant4')).toEqual([
      'klant4@example.nl',
      ...Array.from({ length: 10 }, (_, i) => `klant4${i}@example.nl`),
    ]);
  });
});
