import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** The query text that, through a caching database, yields the raw better-sqlite3 connection. */
export const RAW_CONNECTION_SQL = "select 'consent-mailer: raw connection' as connection";

/**
 * The connection as kysely sees it, with prepared statements reused by their SQL text. Kysely's SQLite
 * driver prepares every query afresh; for the bulk paths (thousands of identical multi-row INSERTs) that
 * parsing was a third of the time. Kysely runs one query at a time per connection, so a cached statement
 * is never in use twice at once. The least recently used statements are dropped beyond `capacity`.
 *
 * @example
 * const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(sqlite) }) });
 */
export function cachingDatabase(sqlite: BetterSqlite3.Database, capacity = 200): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  // Answers RAW_CONNECTION_SQL with the connection itself: the one chain writer (appendEventSync) runs
  // synchronous prepared statements on it, inside whatever kysely transaction holds the connection.
  const handle: SqliteStatement = {
    reader: true,
    all: () => [{ connection: sqlite }],
    run: () => ({ changes: 0, lastInsertRowid: 0 }),
    iterate: () => [{ connection: sqlite }][Symbol.iterator](),
  };
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (sql: string): SqliteStatement => {
      if (sql === RAW_CONNECTION_SQL) return handle;
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = sqlite.prepare(sql);
        if (cache.size >= capacity) {
          const oldest = cache.keys().next();
          if (oldest.done !== true) cache.delete(oldest.value);
        }
      } else {
        // Re-insert to mark it most recently used.
        cache.delete(sql);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/**
 * What a hot path makes once per raw connection and reuses for the connection's life: the prepared
 * statements it runs synchronously beside kysely (which prepares every query anew). A WeakMap, so they go
 * with their connection. When `make` gives undefined (not possible yet: a table a later migration adds),
 * the next call asks again.
 *
 * @example
 * const lastEvent = perConnection((sqlite) => sqlite.prepare('SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1'));
 * lastEvent(sqlite).get();
 */
export function perConnection<T>(
  make: (sqlite: BetterSqlite3.Database) => T,
): (sqlite: BetterSqlite3.Database) => T {
  const made = new WeakMap<BetterSqlite3.Database, { value: T }>();
  return (sqlite) => {
    const known = made.get(sqlite);
    if (known !== undefined) return known.value;
    const value = make(sqlite);
    if (value !== undefined) made.set(sqlite, { value });
    return value;
  };
}
