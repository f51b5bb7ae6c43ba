import type { Transaction } from 'kysely';
import type { Database } from './database.js';
import type { Executor } from './event-log.js';

/** How often a transaction that could not get the write lock (SQLITE_BUSY after the busy timeout) is retried. */
const BUSY_RETRIES = 3;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}

/**
 * Runs `work` in a transaction: the caller's, when it passed one, else a new one. Repository functions
 * that write several rows (and their event) use it so that they are atomic on their own and compose
 * inside a bigger transaction of the caller.
 *
 * The store's transactions begin with `BEGIN IMMEDIATE` (see `ImmediateSqliteDialect`), so they wait for
 * another writer for the connection's busy timeout; should the lock still not come, the transaction is
 * tried again a few times. Only a transaction whose `work` never started is retried (nothing of it ran),
 * so side effects of `work` are never repeated.
 *
 * @example
 * await inTransaction(db, async (trx) => { … });
 */
export async function inTransaction<T>(
  db: Executor,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  for (let attempt = 0; ; attempt += 1) {
    let started = false;
    try {
      return await db.transaction().execute((trx) => {
        started = true;
        return work(trx);
      });
    } catch (error) {
      if (started || attempt >= BUSY_RETRIES || !isBusy(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
}
