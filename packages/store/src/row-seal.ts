import { createHash, hash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * The tables whose rows decide who is mailed (a verdict or a delivery), and per table the columns left out
 * of a row's digest because they change without a decision being made (claims, heartbeats, the cached
 * class of the latest assessment). Every other column, including columns added by later migrations, is
 * covered: a helper who adds a column that is updated without an event lists it here.
 */
export const SEALED_TABLES: Readonly<Record<string, readonly string[]>> = {
  contact: ['last_classification', 'last_classified_at', 'last_classified_mailing_id'],
  consent: [],
  suppression: [],
  list: [],
  list_membership: [],
  import_batch: ['heartbeat_at', 'owner_pid', 'owner_host', 'owner_heartbeat_at'],
  sender_entity: [],
  mailing: ['worker_id', 'worker_pid', 'worker_host', 'worker_heartbeat_at'],
  assessment: [],
  acknowledgement: [],
  acknowledgement_recipient: [],
  // A claim and the hand-over to SMTP are bookkeeping of the worker; the outcome (state, reply, times)
  // is sealed when it is recorded. `message_id` is set at hand-over, before the outcome is known.
  delivery: ['claimed_at', 'claimed_by', 'handed_over_at', 'message_id', 'updated_at', 'uncertain_at'],
  // Sealed since 0195 (issue 12; see SEALED_SINCE in ledger-verification.ts): which server and sender a
  // mailing goes out through and at what pace, the authentication verdict, the feedback that suppresses,
  // the consent texts people saw, and the messages the intake read (moving them on the server is
  // bookkeeping of the intake, sealed by nothing).
  smtp_profile: [],
  authentication_check: [],
  domain_pacing: [],
  bounce: [],
  complaint: [],
  consent_text_version: [],
  intake_message: ['moved_at'],
  // The opt-in service (issue 15): a pull that finds nothing new writes only its bookkeeping, no event.
  optin_service: ['last_pull_at', 'last_pull_ok_at', 'last_pull_error'],
  optin_event: [],
};

/** The connection-private (TEMP) table the tracking triggers fill; appendEvent drains it. */
const CHANGE_TABLE = 'temp.ledger_row_change';

/** How one table is keyed and which of its columns are digested. */
export interface SealedTableShape {
  table: string;
  /** Primary-key columns in key order; `rowid` for a table without one. */
  keyColumns: string[];
  /** Digested columns, sorted by name. */
  columns: string[];
  /** `"name":` for each digested column (JSON-quoted once, not per row). */
  labels: string[];
}

/**
 * Reads the live shape of the sealed tables that exist in the file (a migration may not have created them
 * yet), so columns added later are covered without a code change.
 */
export function sealedTableShapes(sqlite: BetterSqlite3.Database): SealedTableShape[] {
  const shapes: SealedTableShape[] = [];
  for (const [table, volatile] of Object.entries(SEALED_TABLES)) {
    const info = sqlite.prepare(`SELECT name, pk FROM pragma_table_info(?)`).all(table) as {
      name: string;
      pk: number;
    }[];
    if (info.length === 0) continue;
    const keyColumns = info
      .filter((column) => column.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((column) => column.name);
    const columns = info
      .map((column) => column.name)
      .filter((name) => !volatile.includes(name))
      .sort();
    shapes.push({
      table,
      keyColumns: keyColumns.length > 0 ? keyColumns : ['rowid'],
      columns,
      labels: columns.map((name) => `${JSON.stringify(name)}:`),
    });
  }
  return shapes;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `json_array(<prefix>.a, <prefix>.b)`: a row's key as JSON text, the same in triggers and in reads. */
function keyExpression(shape: SealedTableShape, prefix: string): string {
  return `json_array(${shape.keyColumns.map((column) => `${prefix}.${quoteIdentifier(column)}`).join(', ')})`;
}

/**
 * sha256 of a row's digested columns: `{"column":value,…}` with the columns in name order and NULLs left
 * out (so a nullable column added by a later migration leaves every existing digest as it was). Returned
 * as 32 raw bytes in a latin1 string (compact map keys and values).
 */
export function rowDigest(shape: SealedTableShape, row: Record<string, unknown>): string {
  return digestValues(
    shape,
    shape.columns.map((column) => row[column]),
  );
}

/**
 * {@link rowDigest} over the digested columns' values, in `shape.columns` order, starting at `offset` in
 * `values` (a raw row whose first cell is its key).
 */
function digestValues(shape: SealedTableShape, values: readonly unknown[], offset = 0): string {
  return digestBytes(shape, values, offset).toString('latin1');
}

/** {@link digestValues} as the 32 raw bytes (what the tracking triggers store). */
function digestBytes(shape: SealedTableShape, values: readonly unknown[], offset: number): Buffer {
  // Built by hand rather than with a canonical-JSON library: this runs for every row an import writes.
  let text = '{';
  const { labels } = shape;
  for (let index = 0; index < labels.length; index += 1) {
    const value = values[index + offset];
    if (value === null || value === undefined) continue;
    const encoded =
      typeof value === 'number'
        ? String(value)
        : typeof value === 'string'
          ? JSON.stringify(value)
          : Buffer.isBuffer(value)
            ? JSON.stringify({ blob: value.toString('hex') })
            : JSON.stringify(value);
    text += text.length === 1 ? `${labels[index] ?? ''}${encoded}` : `,${labels[index] ?? ''}${encoded}`;
  }
  text += '}';
  return hash('sha256', text, 'buffer');
}

/** The digest written for a row that is gone. */
export const REMOVED_DIGEST = '\0'.repeat(32);

/**
 * Installs, on this connection only, triggers that note the key of every row of a sealed table that is
 * inserted, deleted, or updated in a digested column. They live in the TEMP schema: nothing in the file
 * changes, and a process that edits the file without the store (the attack) has none. Re-run after
 * migrations so new columns are tracked.
 */
export function installRowTracking(sqlite: BetterSqlite3.Database): void {
  // No unique key: an outer statement's conflict clause (ON CONFLICT DO NOTHING, OR REPLACE) would
  // override the trigger's own, so a row changed twice has two entries and the last one counts.
  sqlite.exec(`CREATE TEMP TABLE IF NOT EXISTS ledger_row_change (
    tbl TEXT NOT NULL, row_key TEXT NOT NULL, digest BLOB)`);
  const existing = sqlite
    .prepare(`SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger_track_%'`)
    .all() as { name: string }[];
  for (const { name } of existing) sqlite.exec(`DROP TRIGGER temp.${quoteIdentifier(name)}`);
  const shapes = sealedTableShapes(sqlite);
  const byTable = new Map(shapes.map((shape) => [shape.table, shape]));
  // The new state's digest is computed as the row is written (the values come straight from the
  // trigger), so committing it needs no second read of the row.
  sqlite.function(
    'ledger_digest',
    { varargs: true, deterministic: true },
    (table: unknown, ...values: unknown[]) => {
      const shape = byTable.get(String(table));
      if (shape === undefined) throw new Error(`not a sealed table: ${String(table)}`);
      return digestBytes(shape, values, 0);
    },
  );
  for (const shape of shapes) {
    const table = quoteIdentifier(shape.table);
    const values = shape.columns.map((column) => `NEW.${quoteIdentifier(column)}`).join(', ');
    // Unqualified: SQLite allows no schema prefix inside a trigger body; TEMP names are found first.
    const noteNew = `INSERT INTO ledger_row_change (tbl, row_key, digest) VALUES ('${shape.table}', ${keyExpression(shape, 'NEW')}, ledger_digest('${shape.table}', ${values}));`;
    const noteGone = `INSERT INTO ledger_row_change (tbl, row_key, digest) VALUES ('${shape.table}', ${keyExpression(shape, 'OLD')}, NULL);`;
    const columns = shape.columns.map(quoteIdentifier).join(', ');
    sqlite.exec(`CREATE TEMP TRIGGER ledger_track_${shape.table}_insert AFTER INSERT ON main.${table}
      BEGIN ${noteNew} END`);
    sqlite.exec(`CREATE TEMP TRIGGER ledger_track_${shape.table}_delete AFTER DELETE ON main.${table}
      BEGIN ${noteGone} END`);
    // A key change removes the old key first; the new state is noted after it, so it wins.
    sqlite.exec(`CREATE TEMP TRIGGER ledger_track_${shape.table}_update AFTER UPDATE OF ${columns} ON main.${table}
      BEGIN ${noteGone} ${noteNew} END`);
  }
  tracking.delete(sqlite);
}

/**
 * Drops this connection's tracking triggers and its list of changed rows (a restore, before it migrates the
 * restored content: what the migrations change is committed by the snapshot that follows them).
 */
export function removeRowTracking(sqlite: BetterSqlite3.Database): void {
  const existing = sqlite
    .prepare(`SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger_track_%'`)
    .all() as { name: string }[];
  for (const { name } of existing) sqlite.exec(`DROP TRIGGER temp.${quoteIdentifier(name)}`);
  sqlite.exec(`DROP TABLE IF EXISTS ${CHANGE_TABLE}`);
  tracking.delete(sqlite);
}

/** One sealed table's part of an event: keys (JSON text each) and their new digests (REMOVED_DIGEST: gone). */
export interface SealedRows {
  table: string;
  keys: string[];
  digests: string[];
  /**
   * The same rows already in their stored form (one part: `[key,key,…]` and the digests end to end), as a
   * bulk write's drain reads them; `keys` and `digests` are then empty.
   */
  joined?: { count: number; keys: string; digests: Buffer };
}

/** How many rows a {@link SealedRows} commits. */
export function sealedRowCount(rows: SealedRows): number {
  return rows.joined?.count ?? rows.keys.length;
}

/** Changed-row entries from which a drain lets SQLite join them per table (see drainChangedRows). */
const BULK_ENTRIES = 1000;

/** Rows per `event_row` part, so a snapshot of a million rows is not one 40 MB value. */
const PART_SIZE = 20_000;

/** The stored form of one part and the hash the event commits to. */
export interface SealedPart {
  table: string;
  part: number;
  keys: string;
  digests: Buffer;
}

/** sha256 over a part's keys and digests: what the event's `rows` entry commits to, per part. */
export function partHash(part: { table: string; part: number; keys: string; digests: Buffer }): string {
  return createHash('sha256')
    .update(`${part.table}\n${part.part}\n${part.keys}\n`)
    .update(part.digests)
    .digest('hex');
}

/** Splits sealed rows into stored parts. */
export function toParts(rows: SealedRows): SealedPart[] {
  if (rows.joined !== undefined)
    return [{ table: rows.table, part: 0, keys: rows.joined.keys, digests: rows.joined.digests }];
  const parts: SealedPart[] = [];
  for (let start = 0, part = 0; start < rows.keys.length; start += PART_SIZE, part += 1) {
    const keys = rows.keys.slice(start, start + PART_SIZE);
    const digests = rows.digests.slice(start, start + PART_SIZE);
    parts.push({
      table: rows.table,
      part,
      keys: `[${keys.join(',')}]`,
      digests: Buffer.from(digests.join(''), 'latin1'),
    });
  }
  return parts;
}

interface TrackingStatements {
  size: BetterSqlite3.Statement;
  pending: BetterSqlite3.Statement;
  pendingOf: BetterSqlite3.Statement;
  joined: BetterSqlite3.Statement;
  clear: BetterSqlite3.Statement;
}
const tracking = new WeakMap<BetterSqlite3.Database, TrackingStatements>();

/** Forgets the prepared reads (after a migration changed the tables). */
export function resetRowTracking(sqlite: BetterSqlite3.Database): void {
  tracking.delete(sqlite);
}

function trackingFor(sqlite: BetterSqlite3.Database): TrackingStatements | undefined {
  let statements = tracking.get(sqlite);
  if (statements !== undefined) return statements;
  const hasTable = sqlite
    .prepare(`SELECT 1 FROM temp.sqlite_master WHERE type = 'table' AND name = 'ledger_row_change'`)
    .get();
  if (hasTable === undefined) return undefined;
  statements = {
    // The newest entry's rowid: how many entries there are since the list was last emptied (rowids restart
    // at 1 in an empty table), read from the end of the b-tree instead of counting.
    size: sqlite.prepare(`SELECT max(rowid) FROM ${CHANGE_TABLE}`).pluck(),
    pending: sqlite.prepare(`SELECT tbl, row_key, digest FROM ${CHANGE_TABLE} ORDER BY rowid`).raw(),
    pendingOf: sqlite
      .prepare(`SELECT row_key, digest FROM ${CHANGE_TABLE} WHERE tbl = ? ORDER BY rowid`)
      .raw(),
    // Per table, in one step of SQLite: how many entries and distinct keys, and (for a table whose keys
    // are all distinct, as in an import chunk) the stored part itself, keys and digests in change order. A
    // gone row's NULL becomes REMOVED_DIGEST (32 zero bytes).
    joined: sqlite
      .prepare(
        `SELECT tbl, count(*), count(DISTINCT row_key),
           '[' || group_concat(row_key, ',' ORDER BY rowid) || ']',
           group_concat(hex(coalesce(digest, zeroblob(32))), '' ORDER BY rowid)
         FROM ${CHANGE_TABLE} GROUP BY tbl ORDER BY tbl`,
      )
      .raw(),
    clear: sqlite.prepare(`DELETE FROM ${CHANGE_TABLE}`),
  };
  tracking.set(sqlite, statements);
  return statements;
}

/**
 * Takes the rows changed on this connection since the last event (noted, with their new digests, by the
 * tracking triggers) and empties the list. Runs inside the caller's transaction, so a rollback restores
 * the list with the changes.
 */
export function drainChangedRows(sqlite: BetterSqlite3.Database): SealedRows[] {
  const statements = trackingFor(sqlite);
  if (statements === undefined) return [];
  const size = statements.size.get() as number | null;
  if (size === null) return [];
  // A bulk write (an import chunk, queueing a mailing) notes tens of thousands of rows: reading them
  // one by one into maps was a sixth of an import. Per table, SQLite joins them into the stored part. A
  // small write (one delivery's outcome, an update: its old and new state are two entries) is read as is.
  const tables =
    size < BULK_ENTRIES ? [] : (statements.joined.all() as [string, number, number, string, string][]);
  if (tables.length > 0 && tables.every(([, count, distinct]) => count === distinct && count <= PART_SIZE)) {
    statements.clear.run();
    return tables.map(([table, count, , keys, digests]) => ({
      table,
      keys: [],
      digests: [],
      joined: { count, keys, digests: Buffer.from(digests, 'hex') },
    }));
  }
  // table -> key -> digest; a row changed twice keeps its last state.
  const byTable = new Map<string, Map<string, string>>();
  for (const [table, key, digest] of statements.pending.iterate() as Iterable<
    [string, string, Buffer | null]
  >) {
    let rows = byTable.get(table);
    if (rows === undefined) byTable.set(table, (rows = new Map<string, string>()));
    rows.set(key, digest === null ? REMOVED_DIGEST : digest.toString('latin1'));
  }
  if (byTable.size === 0) return [];
  statements.clear.run();
  return [...byTable]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([table, rows]) => ({ table, keys: [...rows.keys()], digests: [...rows.values()] }));
}

/** Every live row of a sealed table with its key and digest, in key order. */
export function* liveRows(
  sqlite: BetterSqlite3.Database,
  shape: SealedTableShape,
): Generator<{ key: string; digest: string }> {
  const order = shape.keyColumns.map(quoteIdentifier).join(', ');
  // Raw rows of exactly the digested columns, in digest order: no object per row and no lookup by name
  // (the check at open digests every sealed row of the file, so this loop is the open's cost).
  const columns = shape.columns.map((column) => `t.${quoteIdentifier(column)}`).join(', ');
  const statement = sqlite
    .prepare(
      `SELECT ${keyExpression(shape, 't')}${columns === '' ? '' : `, ${columns}`} FROM main.${quoteIdentifier(shape.table)} t ORDER BY ${order}`,
    )
    .raw();
  for (const row of statement.iterate() as Iterable<unknown[]>) {
    yield { key: String(row[0]), digest: digestValues(shape, row, 1) };
  }
}

/** The current state of every row of the given tables, as one snapshot (after a migration, a baseline). */
export function snapshotRows(sqlite: BetterSqlite3.Database, tables: readonly string[]): SealedRows[] {
  const sealed: SealedRows[] = [];
  for (const shape of sealedTableShapes(sqlite)) {
    if (!tables.includes(shape.table)) continue;
    const keys: string[] = [];
    const digests: string[] = [];
    for (const row of liveRows(sqlite, shape)) {
      keys.push(row.key);
      digests.push(row.digest);
    }
    sealed.push({ table: shape.table, keys, digests });
  }
  return sealed;
}
