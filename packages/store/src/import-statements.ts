import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import type { Executor } from './event-log.js';
import { insertRows } from './sql-batch.js';
import { RAW_CONNECTION_SQL } from './statement-cache.js';

/**
 * Writes rows for the bulk import. On a store's own connection it runs one cached, prepared single-row
 * statement per row straight on better-sqlite3 (inside the caller's transaction: same connection); that
 * skips kysely's per-query machinery and the large parameter arrays of multi-row statements, which were
 * most of the import's JavaScript time and garbage. On any other kysely executor (a plain SqliteDialect,
 * for example in tests that count queries) it falls back to the cached multi-row INSERTs of `insertRows`.
 */
export interface RowWriter {
  /** Inserts rows; returns the RETURNING row of each input row (undefined where none came back). */
  insertReturning<R>(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[], suffix: string): Promise<(R | undefined)[]>;
  /** Inserts rows, no RETURNING. */
  insert(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[], suffix?: string): Promise<void>;
}

const statementsByConnection = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

function prepared(connection: BetterSqlite3.Database, table: string, columns: readonly string[], suffix: string): BetterSqlite3.Statement {
  let statements = statementsByConnection.get(connection);
  if (statements === undefined) {
    statements = new Map();
    statementsByConnection.set(connection, statements);
  }
  const text = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ${suffix}`;
  let statement = statements.get(text);
  if (statement === undefined) {
    statement = connection.prepare(text);
    statements.set(text, statement);
  }
  return statement;
}

function isConnection(value: unknown): value is BetterSqlite3.Database {
  return typeof value === 'object' && value !== null && typeof (value as { prepare?: unknown }).prepare === 'function' && typeof (value as { transaction?: unknown }).transaction === 'function';
}

/**
 * The better-sqlite3 connection behind a store's kysely executor (or transaction), or null when the
 * executor was not built by `createStore`.
 *
 * @example
 * const connection = await rawConnection(trx); // inside trx: statements on it join the transaction
 */
export async function rawConnection(db: Executor): Promise<BetterSqlite3.Database | null> {
  const result = await db.executeQuery<{ connection: unknown }>(CompiledQuery.raw(RAW_CONNECTION_SQL));
  const connection = result.rows[0]?.connection;
  return isConnection(connection) ? connection : null;
}

/**
 * A `RowWriter` for `db`: prepared single-row statements on its connection when it is a store's, else
 * multi-row INSERTs through kysely. Table and column names are the store's own constants, never input.
 *
 * @example
 * const writer = await rowWriter(trx);
 * const ids = await writer.insertReturning<{ id: number }>('contact', CONTACT_COLUMNS, rows, 'ON CONFLICT (email) DO NOTHING RETURNING id');
 */
export async function rowWriter(db: Executor): Promise<RowWriter> {
  const connection = await rawConnection(db);
  if (connection === null) {
    return {
      async insertReturning<R>(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[], suffix: string) {
        // Multi-row RETURNING gives no row for a skipped insert, so match them up by the first column.
        const returned = await insertRows<R>(db, table, columns, rows, `${suffix}, ${columns[0] ?? 'rowid'} AS _key`);
        const byKey = new Map<unknown, R>();
        for (const row of returned) {
          const { _key: key, ...rest } = row as R & { _key: unknown };
          byKey.set(key, rest as R);
        }
        return rows.map((row) => byKey.get(row[0]));
      },
      async insert(table, columns, rows, suffix = '') {
        await insertRows(db, table, columns, rows, suffix);
      },
    };
  }
  return {
    insertReturning<R>(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[], suffix: string) {
      const statement = prepared(connection, table, columns, suffix);
      const out: (R | undefined)[] = new Array<R | undefined>(rows.length);
      for (let i = 0; i < rows.length; i += 1) out[i] = statement.get(rows[i]) as R | undefined;
      return Promise.resolve(out);
    },
    insert(table, columns, rows, suffix = '') {
      const statement = prepared(connection, table, columns, suffix);
      for (const row of rows) statement.run(row);
      return Promise.resolve();
    },
  };
}
