import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';

/**
 * Kysely's SQLite driver, but every transaction starts with `BEGIN IMMEDIATE`. A plain (deferred) `BEGIN`
 * reads first and asks for the write lock only at its first write; when another connection committed in
 * between, SQLite cannot upgrade the stale read snapshot and fails at once with SQLITE_BUSY ("database is
 * locked"), without waiting for the busy timeout. Taking the write lock up front makes a second writer
 * (another process, the CLI beside the app) wait its turn instead of killing an import halfway.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * The store's SQLite dialect: `SqliteDialect` with `BEGIN IMMEDIATE` transactions (see above).
 *
 * @example
 * const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  // SqliteDialect keeps its config private; the driver needs it too.
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
