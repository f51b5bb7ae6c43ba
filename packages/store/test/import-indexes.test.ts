import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addressHash,
  importContacts,
  openStore,
  restoreImportIndexes,
  restoreImportIndexesOffThread,
  setAsideImportIndexes,
  withBulkWriteCache,
  BULK_WRITE_CACHE_KIB,
  type ImportContactRow,
  type Store,
} from '../src/index.js';
import { AT, addSenderEntity, openTempStore } from '../src/testing/index.js';

let store: Store;
let path: string;
let cleanup: () => Promise<void>;
let entity: string;

beforeEach(async () => {
  const temp = await openTempStore();
  store = temp.store;
  path = store.path;
  cleanup = temp.cleanup;
  entity = await addSenderEntity(store);
});
afterEach(async () => {
  await cleanup();
});

/** The contact table's indexes as SQLite describes them: name, unique, columns. */
function contactIndexes(sqlite: BetterSqlite3.Database): unknown[] {
  const list = sqlite.prepare('PRAGMA index_list(contact)').all() as { name: string; unique: number }[];
  return list
    .map((index) => ({
      name: index.name,
      unique: index.unique,
      columns: (
        sqlite.prepare(`PRAGMA index_info(${JSON.stringify(index.name)})`).all() as { name: string }[]
      ).map((column) => column.name),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function plan(sqlite: BetterSqlite3.Database): string {
  const rows = sqlite
    .prepare('EXPLAIN QUERY PLAN SELECT id FROM contact WHERE address_hash = ?')
    .all(addressHash('a@example.nl')) as { detail: string }[];
  return rows.map((row) => row.detail).join('; ');
}

const rows = (count: number): ImportContactRow[] =>
  Array.from({ length: count }, (_, index) => ({
    email: `klant${index}@example.nl`,
    recipientKind: 'CONSUMER',
    method: 'PAPER',
    senderEntityId: entity,
    scopeLists: 'ALL',
    paperScanRef: 'ordner 1',
  }));

describe('setting the address-hash index aside for a large import', () => {
  it('leaves small imports and imports small next to the table alone', async () => {
    expect(await setAsideImportIndexes(store.db, { rows: 9_999 })).toBe(false);
    await importContacts(store.db, rows(2000), { at: AT });
    expect(await setAsideImportIndexes(store.db, { rows: 10_000 })).toBe(true);
    await restoreImportIndexes(store.db);
    await importContacts(store.db, rows(120_000).slice(2000), { at: AT });
    // 122,000 contacts: an import of 10,000 is less than a tenth of them.
    expect(await setAsideImportIndexes(store.db, { rows: 10_000 })).toBe(false);
    expect(plan(store.sqlite)).toContain('contact_by_address_hash');
  });

  it('restores exactly the index the migrations made, and lookups use it again', async () => {
    const migrated = contactIndexes(store.sqlite);
    expect(await setAsideImportIndexes(store.db, { rows: 50_000 })).toBe(true);
    expect(plan(store.sqlite)).not.toContain('contact_by_address_hash');
    const counts = await importContacts(store.db, rows(3000), { at: AT });
    expect(counts.imported).toBe(3000);
    const cacheSize: unknown = store.sqlite.pragma('cache_size', { simple: true });
    await restoreImportIndexes(store.db);
    expect(contactIndexes(store.sqlite)).toEqual(migrated);
    expect(plan(store.sqlite)).toContain('contact_by_address_hash');
    // The rebuild's smaller page cache is only for the rebuild.
    expect(store.sqlite.pragma('cache_size', { simple: true })).toBe(cacheSize);
    // Restoring twice changes nothing.
    await restoreImportIndexes(store.db);
    expect(contactIndexes(store.sqlite)).toEqual(migrated);
  });

  it('is rebuilt on a worker thread while the importing thread keeps running, and here when no worker can', async () => {
    const migrated = contactIndexes(store.sqlite);
    await importContacts(store.db, rows(20_000), { at: AT });
    expect(await setAsideImportIndexes(store.db, { rows: 20_000 })).toBe(true);
    // Timers run only when the thread is free: the desktop main process stays responsive during the sort.
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    await restoreImportIndexesOffThread(store);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(contactIndexes(store.sqlite)).toEqual(migrated);
    expect(plan(store.sqlite)).toContain('contact_by_address_hash');

    // A worker that cannot load SQLite (here: a native addon that does not exist) leaves it to this thread.
    expect(await setAsideImportIndexes(store.db, { rows: 20_000 })).toBe(true);
    await restoreImportIndexesOffThread({
      db: store.db,
      path: store.path,
      nativeBinding: '/nonexistent/better_sqlite3.node',
    });
    expect(contactIndexes(store.sqlite)).toEqual(migrated);
  });

  it('is rebuilt when the store is opened after an import that never ended', async () => {
    const migrated = contactIndexes(store.sqlite);
    await setAsideImportIndexes(store.db, { rows: 50_000 });
    await importContacts(store.db, rows(500), { at: AT });
    // The process "dies": the store is closed without a restore.
    await store.close();
    store = await openStore({ path });
    expect(contactIndexes(store.sqlite)).toEqual(migrated);
    const found = await store.db
      .selectFrom('contact')
      .select('email')
      .where('address_hash', '=', addressHash('klant42@example.nl'))
      .execute();
    expect(found).toEqual([{ email: 'klant42@example.nl' }]);
    await store.close();
  });

  it('writes an import with the bulk page cache and gives the connection its small one back, even on failure', async () => {
    const everyday = store.sqlite.pragma('cache_size', { simple: true });
    // The everyday cache is small: a full read (an assessment) must not leave 64 MiB of pages in the process.
    expect(everyday).toBe(-8192);
    let during: unknown;
    const counts = await withBulkWriteCache(store.db, async () => {
      during = store.sqlite.pragma('cache_size', { simple: true });
      return importContacts(store.db, rows(200), { at: AT });
    });
    expect(during).toBe(-BULK_WRITE_CACHE_KIB);
    expect(counts.imported).toBe(200);
    expect(store.sqlite.pragma('cache_size', { simple: true })).toBe(everyday);
    await expect(withBulkWriteCache(store.db, () => Promise.reject(new Error('disk full')))).rejects.toThrow(
      'disk full',
    );
    expect(store.sqlite.pragma('cache_size', { simple: true })).toBe(everyday);
  });
});
