import { createHash } from 'node:crypto';
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
    shapes.push({
      table,
      keyColumns: keyColumns.length > 0 ? keyColumns : ['rowid'],
      columns: info
        .map((column) => column.name)
        .filter((name) => !volatile.includes(name))
        .sort(),
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
  let text = '{';
  let first = true;
  for (const column of shape.columns) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    const encoded = Buffer.isBuffer(value)
      ? JSON.stringify({ blob: value.toString('hex') })
      : JSON.stringify(value);
    text += `${first ? '' : ','}${JSON.stringify(column)}:${encoded}`;
    first = false;
  }
  text += '}';
  return createHash('sha256').update(text).digest().toString('latin1');
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
  // override the trigger's own, so duplicates are allowed here and removed when the list is read.
  sqlite.exec(`CREATE TEMP TABLE IF NOT EXISTS ledger_row_change (tbl TEXT NOT NULL, row_key TEXT NOT NULL)`);
  const existing = sqlite
    .prepare(`SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger_track_%'`)
    .all() as { name: string }[];
  for (const { name } of existing) sqlite.exec(`DROP TRIGGER temp.${quoteIdentifier(name)}`);
  for (const shape of sealedTableShapes(sqlite)) {
    const table = quoteIdentifier(shape.table);
    const note = (prefix: string) =>
      // Unqualified: SQLite allows no schema prefix inside a trigger body; TEMP names are found first.
      `INSERT INTO ledger_row_change (tbl, row_key) VALUES ('${shape.table}', ${keyExpression(shape, prefix)});`;
    const columns = shape.columns.map(quoteIdentifier).join(', ');
    sqlite.exec(`CREATE TEMP TRIGGER ledger_track_${shape.table}_insert AFTER INSERT ON main.${table}
      BEGIN ${note('NEW')} END`);
    sqlite.exec(`CREATE TEMP TRIGGER ledger_track_${shape.table}_delete AFTER DELETE ON main.${table}
      BEGIN ${note('OLD')} END`);
    sqlite.exec(`CREATE TEMP TRIGGER ledger_track_${shape.table}_update AFTER UPDATE OF ${columns} ON main.${table}
      BEGIN ${note('OLD')} ${note('NEW')} END`);
  }
}

/** One sealed table's part of an event: keys (JSON text each) and their new digests (REMOVED_DIGEST: gone). */
export interface SealedRows {
  table: string;
  keys: string[];
  digests: string[];
}

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

/** Per sealed table, a statement that reads the current state of the rows noted in the change table. */
function changedRowsStatement(
  sqlite: BetterSqlite3.Database,
  shape: SealedTableShape,
): BetterSqlite3.Statement {
  const join = shape.keyColumns
    .map((column, index) => `t.${quoteIdentifier(column)} = json_extract(c.row_key, '$[${index}]')`)
    .join(' AND ');
  const keyColumn = shape.keyColumns[0] ?? 'rowid';
  return sqlite.prepare(`SELECT c.row_key AS ledger_row_key, t.${quoteIdentifier(keyColumn)} AS ledger_row_present,
    ${shape.keyColumns.includes('rowid') ? 't.rowid AS rowid, ' : ''}t.*
    FROM (SELECT DISTINCT row_key FROM ${CHANGE_TABLE} WHERE tbl = ?) c
    LEFT JOIN main.${quoteIdentifier(shape.table)} t ON ${join} ORDER BY c.row_key`);
}

interface TrackingStatements {
  shapes: SealedTableShape[];
  pendingTables: BetterSqlite3.Statement;
  clear: BetterSqlite3.Statement;
  reads: Map<string, BetterSqlite3.Statement>;
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
  const shapes = sealedTableShapes(sqlite);
  statements = {
    shapes,
    pendingTables: sqlite.prepare(`SELECT DISTINCT tbl FROM ${CHANGE_TABLE}`).pluck(),
    clear: sqlite.prepare(`DELETE FROM ${CHANGE_TABLE}`),
    reads: new Map(shapes.map((shape) => [shape.table, changedRowsStatement(sqlite, shape)])),
  };
  tracking.set(sqlite, statements);
  return statements;
}

/**
 * Takes the rows changed on this connection since the last event (noted by the tracking triggers), reads
 * their current state and empties the list. Runs inside the caller's transaction, so a rollback restores
 * the list with the changes.
 */
export function drainChangedRows(sqlite: BetterSqlite3.Database): SealedRows[] {
  const statements = trackingFor(sqlite);
  if (statements === undefined) return [];
  const tables = statements.pendingTables.all() as string[];
  if (tables.length === 0) return [];
  const sealed: SealedRows[] = [];
  for (const shape of statements.shapes) {
    if (!tables.includes(shape.table)) continue;
    const read = statements.reads.get(shape.table);
    if (read === undefined) continue;
    const keys: string[] = [];
    const digests: string[] = [];
    for (const row of read.iterate(shape.table) as Iterable<Record<string, unknown>>) {
      keys.push(String(row.ledger_row_key));
      digests.push(row.ledger_row_present === null ? REMOVED_DIGEST : rowDigest(shape, row));
    }
    sealed.push({ table: shape.table, keys, digests });
  }
  statements.clear.run();
  return sealed;
}

/** Every live row of a sealed table with its key and digest, in key order. */
export function* liveRows(
  sqlite: BetterSqlite3.Database,
  shape: SealedTableShape,
): Generator<{ key: string; digest: string }> {
  const order = shape.keyColumns.map(quoteIdentifier).join(', ');
  const statement = sqlite.prepare(
    `SELECT ${keyExpression(shape, 't')} AS ledger_row_key, ${shape.keyColumns.includes('rowid') ? 't.rowid AS rowid, ' : ''}t.* FROM main.${quoteIdentifier(shape.table)} t ORDER BY ${order}`,
  );
  for (const row of statement.iterate() as Iterable<Record<string, unknown>>) {
    yield { key: String(row.ledger_row_key), digest: rowDigest(shape, row) };
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
