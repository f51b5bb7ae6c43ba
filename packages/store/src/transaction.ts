import type { Transaction } from 'kysely';
import type { Database } from './database.js';
import type { Executor } from './event-log.js';

/**
 * Runs `work` in a transaction: the caller's, when it passed one, else a new one. Repository functions
 * that write several rows (and their event) use it so that they are atomic on their own and compose
 * inside a bigger transaction of the caller.
 *
 * @example
 * await inTransaction(db, async (trx) => { … });
 */
export async function inTransaction<T>(
  db: Executor,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return db.transaction().execute(work);
}
