import { sql } from 'kysely';
import type { Executor } from './event-log.js';

/** The page cache of a bulk write, in KiB (SQLite's negative form): 64 MiB. */
export const BULK_WRITE_CACHE_KIB = 65_536;

/**
 * Runs a bulk write (an import) with a 64 MiB page cache, then gives the connection its own cache back,
 * however the write ends. The address and hash indexes of a large import are written in random order, and
 * the store's everyday cache (8 MiB, see `configure` in store.ts) would turn most of those inserts into disk
 * reads; everything else (an assessment reads 100,000 records once, in order) needs no such cache, and a
 * cache filled by a read stays in the process's memory until it closes (issue 19: assessment under 300 MB).
 *
 * @example
 * const summary = await withBulkWriteCache(store.db, () => runContactImport({ … }));
 */
export async function withBulkWriteCache<T>(db: Executor, work: () => Promise<T>): Promise<T> {
  const { rows } = await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(db);
  const everyday = Number(rows[0]?.cache_size);
  await sql.raw(`PRAGMA cache_size = -${BULK_WRITE_CACHE_KIB}`).execute(db);
  try {
    return await work();
  } finally {
    await sql.raw(`PRAGMA cache_size = ${everyday}`).execute(db);
  }
}
