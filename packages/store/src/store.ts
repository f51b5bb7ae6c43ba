import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { UserError } from '@consent-mailer/policy';
import type { Database } from './database.js';
import { verifyChain, type ChainVerification } from './event-log.js';
import { ImmediateSqliteDialect } from './immediate-sqlite-dialect.js';
import { restoreImportIndexes } from './import-indexes.js';
import { cachingDatabase } from './statement-cache.js';
import { migrateToLatest, type SchemaStatus } from './migrations/migrate.js';

/** What the checks on open found. */
export interface StoreHealth {
  /** `ok`, or the first problems `PRAGMA integrity_check` reported; null when checks were skipped. */
  integrity: string[] | null;
  /** The chain walk; null when checks were skipped. */
  chain: ChainVerification | null;
  schema: SchemaStatus;
}

/** An open store: the kysely handle the repositories take, and the raw connection for backups. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly sqlite: BetterSqlite3.Database;
  /** The database file (":memory:" for an in-memory store). */
  readonly path: string;
  /** Set by `openStore`: schema state and what the open-time checks found. */
  health: StoreHealth | null;
  /** The native addon the connection was opened with (reused to open backups), if any. */
  readonly nativeBinding?: string;
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
  /** Run pending migrations (default true). */
  migrate?: boolean;
  /** Integrity check and chain verification on open (default true). */
  check?: boolean;
  /**
   * Open even when the integrity check or the chain fails, to repair or export; the findings are in
   * `store.health`. Without it such a database is refused with a UserError.
   */
  openDamaged?: boolean;
}

/**
 * Opens (and creates) a store on a SQLite file: pragmas, pending migrations, then an integrity check and
 * a walk of the event chain. A damaged file or a broken chain is refused with a UserError that says what
 * to do, unless `openDamaged` is set.
 *
 * @example
 * const store = await openStore({ path: '/tmp/consent-mailer.sqlite' });
 * console.log(store.health?.chain?.ok); // true
 * await store.close();
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(
      options.path,
      options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding },
    );
  } catch (error) {
    throw cannotOpen(options.path, error);
  }
  let store: Store;
  try {
    // A file that is not a database fails on the first read: the pragmas in createStore.
    store = createStore(sqlite, options.path, options.nativeBinding);
  } catch (error) {
    sqlite.close();
    throw cannotOpen(options.path, error);
  }
  try {
    const schema = options.migrate === false ? null : await migrateToLatest(store.db);
    // An import that set an index aside and never ended (the process died) left it missing: put it back.
    if (schema !== null) await restoreImportIndexes(store.db);
    const integrity = options.check === false ? null : integrityProblems(sqlite);
    const chain = options.check === false || schema === null ? null : await verifyChain(store.db);
    store.health = { integrity, chain, schema: schema ?? { version: null, applied: [], pending: [] } };
    if (options.openDamaged !== true) {
      if (integrity !== null && integrity.length > 0) throw damaged(options.path, integrity);
      if (chain !== null && !chain.ok) throw chainBroken(options.path, chain);
    }
    return store;
  } catch (error) {
    await store.close();
    if (error instanceof Error && error.name === 'UserError') throw error;
    throw cannotOpen(options.path, error);
  }
}

/** The pragmas every connection of the store runs with. */
function configure(sqlite: BetterSqlite3.Database): void {
  // WAL lets backups and readers run beside the writer; the busy timeout rides out a backup's lock.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // NORMAL in WAL mode never corrupts; at worst the last transactions before a power cut are lost whole.
  sqlite.pragma('synchronous = NORMAL');
  // 64 MiB of page cache (default 2 MiB): the address and hash indexes of a million contacts are written
  // in random order, and a small cache turns every insert into disk reads.
  sqlite.pragma('cache_size = -65536');
  // Checkpoint the WAL into the database every 64 MiB instead of every 4 MiB (1,000 pages): an import commits
  // one transaction per chunk, and a checkpoint (with its fsync) after each of them was a fifth of the time.
  sqlite.pragma('wal_autocheckpoint = 16384');
  // After a checkpoint the WAL file is cut back to this size rather than left at its largest.
  sqlite.pragma('journal_size_limit = 67108864');
  // Erased personal data must not linger in free pages of the file (GDPR art. 17).
  sqlite.pragma('secure_delete = ON');
}

function integrityProblems(sqlite: BetterSqlite3.Database): string[] {
  const rows = sqlite.pragma('integrity_check(20)') as { integrity_check: string }[];
  const messages = rows.map((row) => row.integrity_check);
  return messages.length === 1 && messages[0] === 'ok' ? [] : messages;
}

/**
 * Wraps an already open better-sqlite3 connection (the handle is passed in, never a singleton) with the
 * store's pragmas (WAL, foreign keys, busy timeout, secure delete). Runs no migrations and no checks: use `openStore` for that.
 *
 * @example
 * const store = createStore(new BetterSqlite3(':memory:'), ':memory:');
 */
export function createStore(sqlite: BetterSqlite3.Database, path: string, nativeBinding?: string): Store {
  configure(sqlite);
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: cachingDatabase(sqlite) }),
  });
  let closed = false;
  return {
    db,
    sqlite,
    path,
    health: null,
    ...(nativeBinding === undefined ? {} : { nativeBinding }),
    close: async () => {
      if (closed) return;
      closed = true;
      // Kysely's SqliteDriver closes the better-sqlite3 connection on destroy.
      await db.destroy();
    },
  };
}

function cannotOpen(path: string, error: unknown): UserError {
  const reason = error instanceof Error ? error.message : String(error);
  return new UserError(
    'STORE_CANNOT_OPEN',
    {
      en: `The database ${path} cannot be opened: ${reason}. Check that the path is right and the file is a Consent Mailer database, or restore a backup.`,
      nl: `De database ${path} kan niet worden geopend: ${reason}. Controleer of het pad klopt en het bestand een Consent Mailer-database is, of zet een back-up terug.`,
    },
    { cause: error },
  );
}

function damaged(path: string, problems: string[]): UserError {
  return new UserError('STORE_INTEGRITY_FAILED', {
    en: `The database ${path} is damaged (${problems.slice(0, 3).join('; ')}). Restore a backup with "consent-mailer restore FILE", or open it with --open-damaged to export what is left.`,
    nl: `De database ${path} is beschadigd (${problems.slice(0, 3).join('; ')}). Zet een back-up terug met "consent-mailer restore BESTAND", of open hem met --open-damaged om te exporteren wat er nog is.`,
  });
}

function chainBroken(path: string, chain: Extract<ChainVerification, { ok: false }>): UserError {
  return new UserError('STORE_CHAIN_BROKEN', {
    en: `The event log of ${path} has been altered: event ${chain.brokenAt} fails its check (${chain.reason}). Run "consent-mailer audit verify" for details and restore a backup from before the change, or open it with --open-damaged to export.`,
    nl: `Het gebeurtenissenlogboek van ${path} is gewijzigd: gebeurtenis ${chain.brokenAt} faalt de controle (${chain.reason}). Voer "consent-mailer audit verify" uit voor details en zet een back-up van vóór de wijziging terug, of open hem met --open-damaged om te exporteren.`,
  });
}
