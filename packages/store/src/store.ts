import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './database.js';

/** An open store: the kysely handle the repositories take, and the raw connection for backups. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly sqlite: BetterSqlite3.Database;
  /** The database file (":memory:" for an in-memory store). */
  readonly path: string;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** The SQLite database file; created when missing. */
  path: string;
  /**
   * Path to a better-sqlite3 native addon built for the running runtime. Electron needs its own build
   * (its ABI differs from Node's), so the desktop app passes it; Node callers leave it out.
   */
  nativeBinding?: string;
}

/**
 * Opens (and creates) a store on a SQLite file with the pragmas the product relies on.
 *
 * @example
 * const store = await openStore({ path: '/tmp/consent-mailer.sqlite' });
 * await store.close();
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const sqlite = new BetterSqlite3(
    options.path,
    options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding },
  );
  return Promise.resolve(createStore(sqlite, options.path));
}

/** Wraps an already open better-sqlite3 connection (the handle is passed in, never a singleton). */
export function createStore(sqlite: BetterSqlite3.Database, path: string): Store {
  // WAL lets backups and readers run beside the writer; the busy timeout rides out a backup's lock.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    sqlite,
    path,
    close: async () => {
      await db.destroy();
    },
  };
}
