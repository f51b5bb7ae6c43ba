import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type { Executor } from './event-log.js';
import type { Store } from './store.js';

// The index a large import sets aside. Its keys (sha256 of the address) are random, so every chunk of an
// import dirties most of its pages and each commit writes them again: at a million rows that was half of the
// import's time. Rebuilding it once from the finished table is a single sort (about 2 s per million).
// Must match the newest migration that defines the index (0010); a test compares the schema after a restore.
const ADDRESS_HASH_INDEX = 'contact_by_address_hash';
const CREATE_ADDRESS_HASH_INDEX = `CREATE UNIQUE INDEX IF NOT EXISTS ${ADDRESS_HASH_INDEX} ON contact (address_hash)`;

/** Imports smaller than this keep the index: its upkeep costs less than a rebuild. */
export const SET_ASIDE_MIN_ROWS = 10_000;

/**
 * Drops the contact address-hash index for a large import, when the import is big next to the contacts
 * already stored (at least a tenth of them), so the rebuild costs less than keeping it. Returns whether it
 * did; call {@link restoreImportIndexes} when the import ends, however it ends. Until then lookups of a
 * contact by address hash scan the table (slower, still correct); the address stays unique through
 * `contact_by_email`. A crash in between is healed by `openStore`, which restores the index.
 *
 * @example
 * const setAside = await setAsideImportIndexes(db, { rows: 100_000 });
 * try { … } finally { if (setAside) await restoreImportIndexes(db); }
 */
export async function setAsideImportIndexes(db: Executor, input: { rows: number }): Promise<boolean> {
  if (input.rows < SET_ASIDE_MIN_ROWS) return false;
  const { contacts } = await db
    .selectFrom('contact')
    .select((eb) => eb.fn.countAll<number>().as('contacts'))
    .executeTakeFirstOrThrow();
  if (input.rows * 10 < contacts) return false;
  await sql.raw(`DROP INDEX IF EXISTS ${ADDRESS_HASH_INDEX}`).execute(db);
  return true;
}

/**
 * Creates the indexes {@link setAsideImportIndexes} dropped (nothing when they exist).
 *
 * @example
 * await restoreImportIndexes(db);
 */
export async function restoreImportIndexes(db: Executor): Promise<void> {
  const exists = await db
    .selectFrom(sql<{ name: string; type: string }>`sqlite_schema`.as('schema'))
    .select('name')
    .where('type', '=', 'index')
    .where('name', '=', ADDRESS_HASH_INDEX)
    .executeTakeFirst();
  if (exists !== undefined) return;
  // The sort that builds the index may hold as much memory as the page cache allows: with an import's 64 MiB
  // cache that was 115 MB more at a million contacts (and slower); 16 MiB spills the rest to a temp file.
  const { rows } = await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(db);
  await sql.raw('PRAGMA cache_size = -16384').execute(db);
  try {
    await sql.raw(CREATE_ADDRESS_HASH_INDEX).execute(db);
  } finally {
    await sql.raw(`PRAGMA cache_size = ${Number(rows[0]?.cache_size ?? -8192)}`).execute(db);
  }
}

// Plain CommonJS, evaluated as the worker's source (as the background checkpoint's): one connection of its
// own that builds the index and closes. A failure ends the worker with an error; the caller then builds it.
const REBUILD_WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const options = { fileMustExist: true };
if (workerData.nativeBinding) options.nativeBinding = workerData.nativeBinding;
const db = new Database(workerData.path, options);
try {
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -16384');
  db.exec(workerData.statement);
} finally {
  db.close();
}
`;

/**
 * {@link restoreImportIndexes} on a worker thread with a connection of its own, so the thread that runs the
 * import (the desktop main process) is not held for the sort: at 100,000 contacts it took 70–100 ms, the
 * longest stall of an import (issue 19: ≤ 100 ms). Reads go on meanwhile (WAL); a write waits for the index
 * as it would have. Falls back to building it here when no worker can run (an in-memory store, no worker
 * threads, a module that cannot be loaded there) or the worker fails, so the index is always back after it.
 *
 * @example
 * if (setAside) await restoreImportIndexesOffThread(store);
 */
export async function restoreImportIndexesOffThread(
  store: Pick<Store, 'db' | 'path' | 'nativeBinding'>,
): Promise<void> {
  if (store.path === ':memory:' || store.path === '') return restoreImportIndexes(store.db);
  // Whatever the worker did, the check below finds the index or builds it here.
  await new Promise<void>((done) => {
    let worker: Worker;
    try {
      worker = new Worker(REBUILD_WORKER_SOURCE, {
        eval: true,
        workerData: {
          path: store.path,
          modulePath: createRequire(import.meta.url).resolve('better-sqlite3'),
          nativeBinding: store.nativeBinding,
          statement: CREATE_ADDRESS_HASH_INDEX,
        },
      });
    } catch {
      done();
      return;
    }
    worker.once('error', () => done());
    worker.once('exit', () => done());
  });
  await restoreImportIndexes(store.db);
}
