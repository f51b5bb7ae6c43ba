import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendEvent,
  createList,
  importContacts,
  inTransaction,
  openStore,
  verifyRows,
  type ImportContactRow,
  type Store,
} from '../src/index.js';
import { AT, addSenderEntity, tempDir } from '../src/testing/index.js';

// A bulk write commits its rows as one stored part that SQLite joins in one step (row-seal.ts); rows changed
// twice before their event take the slow path. Either way the ledger must name a row edited afterwards.

let dir: { dir: string; cleanup: () => void };
let path: string;
let store: Store;
beforeEach(async () => {
  dir = tempDir();
  path = `${dir.dir}/ledger.sqlite`;
  store = await openStore({ path });
  await addSenderEntity(store);
  await createList(store.db, { id: 'nieuwsbrief', name: 'Nieuwsbrief', at: AT });
});
afterEach(async () => {
  await store.close();
  dir.cleanup();
});

const row = (index: number): ImportContactRow => ({
  email: `klant${index}@bakkerij.nl`,
  firstName: `Klant${index}`,
  recipientKind: 'CONSUMER',
  addressKind: 'PERSONAL',
  method: 'WEB_DOI',
  senderEntityId: 'bakkerij',
  scopeLists: 'ALL',
  signupAt: '2026-02-12T17:59:31.000Z',
  signupIp: '192.0.2.1',
  confirmedAt: '2026-02-12T18:06:58.000Z',
  confirmIp: '192.0.2.2',
});

/** Edits the file the way a SQL client would (no store, no tracking triggers), then verifies the rows. */
async function editBehindTheStore(statement: string): Promise<ReturnType<typeof verifyRows>> {
  await store.close();
  const other = new BetterSqlite3(path);
  other.exec(statement);
  other.close();
  store = await openStore({ path, openDamaged: true });
  return verifyRows(store.sqlite);
}

describe('the drain of a bulk write', () => {
  it('commits an import chunk so that a consent edited afterwards is named, with the chunk that sealed it', async () => {
    await importContacts(
      store.db,
      Array.from({ length: 3000 }, (_, index) => row(index)),
      { at: AT, listId: 'nieuwsbrief' },
    );
    expect(verifyRows(store.sqlite)).toMatchObject({ ok: true });
    const sealedBy = store.sqlite
      .prepare(`SELECT max(seq) FROM event WHERE type = 'contacts.imported'`)
      .pluck()
      .get() as number;
    const commitment = JSON.parse(
      store.sqlite.prepare('SELECT data FROM event WHERE seq = ?').pluck().get(sealedBy) as string,
    ) as { sealedRows: Record<string, { n: number; parts: string[] }> };
    // One part per table for the whole chunk, counting every row.
    expect(commitment.sealedRows.consent).toMatchObject({ n: 3000 });
    expect(commitment.sealedRows.consent?.parts).toHaveLength(1);
    expect(commitment.sealedRows.list_membership).toMatchObject({ n: 3000 });
    const consentId = store.sqlite.prepare('SELECT max(id) FROM consent').pluck().get() as number;

    const found = await editBehindTheStore(
      `UPDATE consent SET signup_ip = '203.0.113.9' WHERE id = ${consentId}`,
    );
    expect(found).toMatchObject({
      ok: false,
      kind: 'CHANGED',
      table: 'consent',
      key: `[${consentId}]`,
      seq: sealedBy,
    });
  });

  it('commits a re-import that updates the rows it wrote (old and new state of each row) with their new state', async () => {
    const rows = Array.from({ length: 1500 }, (_, index) => row(index));
    await importContacts(store.db, rows, { at: AT, listId: 'nieuwsbrief' });
    const second = await importContacts(
      store.db,
      rows.map((r) => ({ ...r, lastName: 'de Vries' })),
      { at: AT, listId: 'nieuwsbrief' },
    );
    expect(second.updated).toBe(1500);
    expect(verifyRows(store.sqlite)).toMatchObject({ ok: true });
    const contactId = store.sqlite.prepare('SELECT min(id) FROM contact').pluck().get() as number;
    const found = await editBehindTheStore(`UPDATE contact SET last_name = 'Jansen' WHERE id = ${contactId}`);
    expect(found).toMatchObject({ ok: false, kind: 'CHANGED', table: 'contact', key: `[${contactId}]` });
  });

  it('names a list membership deleted after the import', async () => {
    await importContacts(
      store.db,
      Array.from({ length: 50 }, (_, index) => row(index)),
      { at: AT, listId: 'nieuwsbrief' },
    );
    const found = await editBehindTheStore(
      `DELETE FROM list_membership WHERE contact_id = (SELECT max(contact_id) FROM list_membership)`,
    );
    expect(found).toMatchObject({ ok: false, kind: 'REMOVED', table: 'list_membership' });
  });

  it('keeps the last state of a row changed twice before its event, and the removal of one inserted and deleted', async () => {
    await inTransaction(store.db, async (trx) => {
      await sql`INSERT INTO list (id, name, created_at, updated_at) VALUES ('tijdelijk', 'Tijdelijk', ${AT}, ${AT})`.execute(
        trx,
      );
      await sql`UPDATE list SET name = 'Vaste klanten' WHERE id = 'nieuwsbrief'`.execute(trx);
      await sql`UPDATE list SET name = 'Nieuwsbrief 2026' WHERE id = 'nieuwsbrief'`.execute(trx);
      await sql`DELETE FROM list WHERE id = 'tijdelijk'`.execute(trx);
      await appendEvent(trx, { type: 'list.renamed', entity: 'list', entityId: 'nieuwsbrief', at: AT });
    });
    expect(verifyRows(store.sqlite)).toMatchObject({ ok: true });
    const found = await editBehindTheStore(`UPDATE list SET name = 'Vaste klanten' WHERE id = 'nieuwsbrief'`);
    expect(found).toMatchObject({ ok: false, kind: 'CHANGED', table: 'list', key: '["nieuwsbrief"]' });
  });
});
