import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDialectConfig,
} from 'kysely';
import { UserError } from '@consent-mailer/policy';

/**
 * Kysely's SQLite driver, but every transaction starts with `BEGIN IMMEDIATE`. A plain (deferred) `BEGIN`
 * reads first and asks for the write lock only at its first write; when another connection committed in
 * between, SQLite cannot upgrade the stale read snapshot and fails at once with SQLITE_BUSY ("database is
 * locked"), without waiting for the busy timeout. Taking the write lock up front makes a second writer
 * (another process, the CLI beside the app) wait its turn instead of killing an import halfway.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  /** The connection kysely gets: the driver's, with writes outside a transaction checked (below). */
  readonly #wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();
  /** Wrapped connections inside a transaction this driver began. */
  readonly #inTransaction = new WeakSet<DatabaseConnection>();

  override async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await super.acquireConnection();
    let wrapped = this.#wrapped.get(inner);
    if (wrapped === undefined) {
      const connection: DatabaseConnection = {
        executeQuery: (query) => this.#execute(inner, connection, query),
        streamQuery: (query, chunkSize) => inner.streamQuery(query, chunkSize),
      };
      this.#wrapped.set(inner, (wrapped = connection));
    }
    return wrapped;
  }

  /**
   * A write outside any transaction runs in one of its own, held to the same rule as every transaction:
   * a change to a sealed table without an event is rolled back and refused (a single statement never
   * carries its event).
   */
  async #execute<R>(
    inner: DatabaseConnection,
    wrapped: DatabaseConnection,
    query: CompiledQuery,
  ): Promise<QueryResult<R>> {
    if (this.#inTransaction.has(wrapped) || !WRITE.test(query.sql)) return inner.executeQuery<R>(query);
    await this.beginTransaction(wrapped);
    let result: QueryResult<R>;
    try {
      result = await inner.executeQuery<R>(query);
      await this.commitTransaction(wrapped);
    } catch (error) {
      await this.rollbackTransaction(wrapped);
      throw error;
    }
    return result;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    this.#inTransaction.add(connection);
    // Changes noted before (a write straight on the raw connection) are not this transaction's to answer
    // for: its event commits them with its own, or close does (`ledger.sealed`). Remember where they end
    // and where the chain ends: an event drains the whole list, after which every entry is new.
    const [mark] = await noted(connection, MARK);
    if (mark !== undefined) marks.set(connection, { change: mark.n, head: mark.head ?? 0 });
  }

  /**
   * Refuses to commit a transaction that changed rows of a sealed table without an event after them
   * (issue 12): the rows the connection's tracking triggers noted were not drained by `appendEvent`, so
   * the change would reach the file without the chain knowing it. Throwing here makes kysely roll the
   * whole transaction back; the writer finds out at once, not the next open.
   */
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const mark = marks.get(connection);
    marks.delete(connection);
    if (mark !== undefined) {
      const pending = await noted(connection, unsealedChanges(mark));
      if (pending.length > 0) throw writtenWithoutEvent(pending);
    }
    await connection.executeQuery(CompiledQuery.raw('commit'));
    this.#inTransaction.delete(connection);
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    marks.delete(connection);
    this.#inTransaction.delete(connection);
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
}

/** A statement that may change rows (kysely writes these keywords first, in lower case). */
const WRITE = /^\s*(insert|update|delete|replace)\b/i;

/** Per connection in a transaction: the last change entry and the chain head when it began. */
const marks = new WeakMap<DatabaseConnection, { change: number; head: number }>();

const MARK = CompiledQuery.raw(
  `SELECT '' AS tbl, (SELECT coalesce(max(rowid), 0) FROM temp.ledger_row_change) AS n,
    (SELECT coalesce(max(seq), 0) FROM main.event) AS head`,
);

/**
 * The sealed tables with rows this transaction changed and no event committed (a sample suffices): the
 * entries after the mark, or all of them once an event of this transaction drained the list.
 */
function unsealedChanges(mark: { change: number; head: number }): CompiledQuery {
  return CompiledQuery.raw(
    `SELECT tbl, count(DISTINCT row_key) AS n FROM (SELECT tbl, row_key FROM temp.ledger_row_change
      WHERE rowid > (CASE WHEN (SELECT coalesce(max(seq), 0) FROM main.event) > ? THEN 0 ELSE ? END)
      LIMIT 1000) GROUP BY tbl ORDER BY tbl`,
    [mark.head, mark.change],
  );
}

/**
 * Runs a query on the connection's change list; no rows when the connection has no tracking (before
 * migrations, a plain wrapped connection).
 */
async function noted(
  connection: DatabaseConnection,
  query: CompiledQuery,
): Promise<{ tbl: string; n: number; head?: number }[]> {
  try {
    return [...(await connection.executeQuery<{ tbl: string; n: number; head?: number }>(query)).rows];
  } catch (error) {
    if (!(error instanceof Error && error.message.includes('no such table'))) throw error;
    return [];
  }
}

function writtenWithoutEvent(rows: readonly { tbl: string; n: number }[]): UserError {
  const tables = rows.map((row) => `${row.tbl} (${row.n})`).join(', ');
  return new UserError('STORE_WRITE_WITHOUT_EVENT', {
    en: `Nothing was saved: the change to ${tables} has no event in the event log, so it could not be proven later. This is a fault in Consent Mailer; please report it with this message.`,
    nl: `Er is niets opgeslagen: de wijziging in ${tables} heeft geen gebeurtenis in het logboek en zou later niet te bewijzen zijn. Dit is een fout in Consent Mailer; meld hem met deze melding.`,
  });
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
