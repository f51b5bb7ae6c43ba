// The hash-chained event log: appending (async, and synchronously in better-sqlite3 transactions), the
// hash, and verifying the chain. Over 400 lines because append and verify must compute the same hash and
// share the connection registry; apart, they could drift.
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely, type Transaction } from 'kysely';
import { sha256Hex } from './address-hash.js';
import { canonicalJson } from './canonical-json.js';
import { missingTrigger, verifyRows } from './ledger-verification.js';
import { drainChangedRows, partHash, sealedRowCount, snapshotRows, toParts } from './row-seal.js';
import { perConnection, RAW_CONNECTION_SQL } from './statement-cache.js';
import type { Database } from './database.js';
import type { EventRow } from './event.table.js';

/** Any JSON value: what an event may carry. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };

/** A kysely handle or a transaction: every repository function takes one of these first. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** The hash the first event points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller writes into the log. */
export interface NewEvent {
  /** `<entity>.<verb>` in the past tense, e.g. `consent.recorded`, `delivery.sent`. */
  type: string;
  /** The table the event is about (`consent`, `mailing`, …). */
  entity: string;
  entityId?: string | number | null;
  /** Non-personal facts (ids, states, counts). Never an address, name, IP or user agent. */
  data?: Record<string, JsonValue | undefined>;
  /**
   * Personal facts (address, evidence with IP and user agent). Stored apart, erasable; the chain keeps
   * only its sha256.
   */
  personal?: Record<string, JsonValue | undefined>;
  /** `addressHash` of the person the personal payload is about, so erasure can find it. */
  subjectHash?: string | null;
  /** ISO-8601 time of the change (from the injected clock). */
  at: string;
}

/**
 * What an event's hash covers, as named outside the database (camelCase, `data` parsed): the content of
 * the event excerpts that acknowledgement and proof bundles export, so a verifier recomputes the hash.
 */
export function eventContent(event: Omit<EventRow, 'hash'>) {
  return {
    seq: event.seq,
    at: event.at,
    type: event.type,
    entity: event.entity,
    entityId: event.entity_id,
    data: JSON.parse(event.data) as unknown,
    personalHash: event.personal_hash,
    prevHash: event.prev_hash,
  };
}

/** The canonical text that an event's hash covers. */
function canonicalEventContent(event: Omit<EventRow, 'hash'>): string {
  return canonicalJson(eventContent(event));
}

/**
 * The sha256 an event row must carry: over the RFC 8785 canonical JSON of its content and `prev_hash`.
 *
 * @example
 * const expected = computeEventHash(row); // compare with row.hash
 */
export function computeEventHash(event: Omit<EventRow, 'hash'>): string {
  return sha256Hex(canonicalEventContent(event));
}

/** How an event commits the rows it changed: per sealed table, the count and one hash per stored part. */
export interface SealedRowsCommitment {
  n: number;
  parts: string[];
  /** A snapshot replaces everything committed before for the table (baseline, after a migration). */
  snapshot?: true;
}

/** The key of `data` under which an event commits the rows it changed. */
export const SEALED_ROWS_KEY = 'sealedRows';

/** The chain writer's statements on one connection, prepared on its first use. */
const writerFor = perConnection((sqlite) => ({
  last: sqlite.prepare('SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1'),
  insertEvent:
    sqlite.prepare(`INSERT INTO event (seq, at, type, entity, entity_id, data, personal_hash, prev_hash, hash)
        VALUES (@seq, @at, @type, @entity, @entity_id, @data, @personal_hash, @prev_hash, @hash)`),
  insertPersonal: sqlite.prepare(
    'INSERT INTO event_personal (event_seq, subject_hash, payload) VALUES (?, ?, ?)',
  ),
}));

/** The insert of sealed-row parts; undefined (asked again next time) until migration 0160 adds event_row. */
const rowInsertFor = perConnection((sqlite) =>
  sqlite.prepare(`SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'event_row'`).get() ===
  undefined
    ? undefined
    : sqlite.prepare('INSERT INTO event_row (event_seq, tbl, part, keys, digests) VALUES (?, ?, ?, ?, ?)'),
);

/** Called after an event is appended on a connection (the store schedules its signed anchor). */
const afterAppend = new WeakMap<BetterSqlite3.Database, () => void>();

/** Registers what runs after every append on a connection (one listener per connection). */
export function onEventAppended(sqlite: BetterSqlite3.Database, listener: () => void): void {
  afterAppend.set(sqlite, listener);
}

/**
 * The one writer of the chain: appends an event with synchronous prepared statements on the raw
 * connection, in the transaction open on it (the caller's; otherwise a transaction of its own). It also
 * commits every row of a sealed table changed on this connection since the last event (see
 * `row-seal.ts`): their new digests go to `event_row` and the event's data carries a hash per part, so
 * the chain covers the rows as well as the events. `options.snapshot` commits the whole current state of
 * the given tables instead (baseline after a migration).
 *
 * @example
 * sqlite.transaction(() => {
 *   sqlite.prepare('UPDATE delivery SET state = ? WHERE id = ?').run('SENT', id);
 *   appendEventSync(sqlite, { type: 'deliveries.recorded', entity: 'mailing', entityId, at, data });
 * })();
 */
export function appendEventSync(
  sqlite: BetterSqlite3.Database,
  event: NewEvent,
  options: { snapshot?: readonly string[] } = {},
): { seq: number; hash: string } {
  const write = (): { seq: number; hash: string } => {
    const statements = writerFor(sqlite);
    const last = statements.last.get() as { seq: number; hash: string } | undefined;
    const seq = (last?.seq ?? 0) + 1;
    const changed = drainChangedRows(sqlite);
    const sealed =
      options.snapshot === undefined
        ? changed
        : [
            ...changed.filter((rows) => !options.snapshot?.includes(rows.table)),
            ...snapshotRows(sqlite, options.snapshot),
          ];
    const commitments: Record<string, SealedRowsCommitment> = {};
    const parts = sealed.flatMap((rows) => {
      const tableParts = toParts(rows);
      commitments[rows.table] = {
        n: sealedRowCount(rows),
        parts: tableParts.map(partHash),
        ...(options.snapshot?.includes(rows.table) === true ? { snapshot: true as const } : {}),
      };
      return tableParts;
    });
    const insertRows = parts.length > 0 ? rowInsertFor(sqlite) : undefined;
    if (parts.length > 0 && insertRows === undefined) {
      throw new Error('sealed rows changed before the event_row table exists (migration 0160)');
    }
    const data: Record<string, JsonValue | undefined> = { ...(event.data ?? {}) };
    if (Object.keys(commitments).length > 0) {
      data[SEALED_ROWS_KEY] = commitments as unknown as JsonValue;
    }
    const personalText = event.personal === undefined ? null : canonicalJson(event.personal);
    const row: Omit<EventRow, 'hash'> = {
      seq,
      at: event.at,
      type: event.type,
      entity: event.entity,
      entity_id: event.entityId === undefined || event.entityId === null ? null : String(event.entityId),
      data: canonicalJson(data),
      personal_hash: personalText === null ? null : sha256Hex(personalText),
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    const hash = computeEventHash(row);
    statements.insertEvent.run({ ...row, hash });
    if (personalText !== null) {
      statements.insertPersonal.run(seq, event.subjectHash ?? null, personalText);
    }
    for (const part of parts) {
      insertRows?.run(seq, part.table, part.part, part.keys, part.digests);
    }
    return { seq, hash };
  };
  const result = sqlite.inTransaction ? write() : sqlite.transaction(write).immediate();
  afterAppend.get(sqlite)?.();
  return result;
}

/**
 * The raw better-sqlite3 connection behind a kysely handle or transaction of the store (through the
 * caching database of `statement-cache.ts`), or undefined for a handle built some other way.
 */
export async function rawConnection(db: Executor): Promise<BetterSqlite3.Database | undefined> {
  const result = await sql.raw<{ connection: unknown }>(RAW_CONNECTION_SQL).execute(db);
  const connection = result.rows[0]?.connection;
  if (typeof connection === 'object' && connection !== null && 'prepare' in connection) {
    return connection as BetterSqlite3.Database;
  }
  // A kysely handle built directly on a store's connection: find the connection by its file.
  const files = await sql<{ name: string; file: string }>`PRAGMA database_list`.execute(db);
  const file = files.rows.find((row) => row.name === 'main')?.file;
  const candidates = [...(openConnections.get(file ?? '') ?? [])].filter((c) => c.open);
  return candidates.length === 1
    ? candidates[0]
    : candidates.find((c) => c.inTransaction === db.isTransaction);
}

/** The store's open connections by database file, for {@link rawConnection}'s fallback. */
const openConnections = new Map<string, Set<BetterSqlite3.Database>>();

/** Registers a connection made by createStore (and forgets it when it is closed). */
export function registerConnection(sqlite: BetterSqlite3.Database): () => void {
  const file =
    (sqlite.pragma('database_list') as { name: string; file: string }[]).find((row) => row.name === 'main')
      ?.file ?? '';
  let set = openConnections.get(file);
  if (set === undefined) openConnections.set(file, (set = new Set()));
  set.add(sqlite);
  return () => {
    set.delete(sqlite);
    if (set.size === 0) openConnections.delete(file);
  };
}

/**
 * Appends one event to the hash-chained log. Call it inside the transaction that makes the change, so the
 * change and its event commit or vanish together. Returns the new event's sequence number and hash. The
 * rows of sealed tables the transaction changed are committed with it (see {@link appendEventSync}, which
 * this calls: the chain has one writer).
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   await trx.updateTable('mailing').set({ status: 'QUEUED' }).where('id', '=', id).execute();
 *   await appendEvent(trx, { type: 'mailing.queued', entity: 'mailing', entityId: id, at: now.toISOString() });
 * });
 */
export async function appendEvent(db: Executor, event: NewEvent): Promise<{ seq: number; hash: string }> {
  if (db.isTransaction) {
    // The transaction holds the connection: the synchronous statements run inside it.
    const sqlite = await rawConnection(db);
    if (sqlite === undefined) throw notAStoreHandle();
    return appendEventSync(sqlite, event);
  }
  // Not in a transaction: take the connection (waiting for any transaction that holds it), then write.
  return db.connection().execute(async (connection) => {
    const sqlite = await rawConnection(connection);
    if (sqlite === undefined) throw notAStoreHandle();
    return appendEventSync(sqlite, event);
  });
}

function notAStoreHandle(): Error {
  return new Error(
    'appendEvent needs a handle made by openStore or createStore (it writes on the raw connection)',
  );
}

/** Why a link of the chain is broken. */
export type ChainBreak =
  | 'HASH_MISMATCH' // the row's content no longer matches its own hash: it was changed
  | 'PREVIOUS_MISMATCH' // the row does not point at the hash of the row before it: a row was replaced
  | 'SEQUENCE_GAP' // a sequence number is missing: a row was deleted
  | 'PERSONAL_MISMATCH' // the personal payload was changed (erasure removes it, which is allowed)
  | 'EXPECTED_HEAD_MISSING' // the chain does not contain the head an anchor or `--expect` names
  | 'TRIGGER_MISSING' // an append-only trigger was dropped
  | 'ROW_CHANGED' // a sealed row's columns differ from what the chain committed
  | 'ROW_ADDED' // a sealed row exists that no event committed
  | 'ROW_REMOVED' // a row the chain committed is gone
  | 'ROW_SEAL_ALTERED' // the stored row digests of an event are not what the event committed
  | 'ANCHOR_INVALID'; // the signed anchor beside the file does not hold (checked by the host, not here)

/** The result of walking the chain. */
export type ChainVerification =
  | {
      ok: true;
      events: number;
      headHash: string;
      /** Rows of sealed tables compared with the chain (absent when the row check was not asked for). */
      rows?: number;
      /**
       * Set when the open found the file byte for byte the one the store closed and signed (see
       * `verified-checkpoint.ts`): when that checkpoint was made; the chain and rows were not walked again.
       */
      checkpointAt?: string;
    }
  | {
      ok: false;
      events: number;
      brokenAt: number;
      reason: ChainBreak;
      expected: string;
      found: string;
      /** For ROW_* and TRIGGER_MISSING: the table (or trigger) concerned. */
      table?: string;
      /** For ROW_CHANGED/ADDED/REMOVED: the row's primary key as JSON, e.g. `[12]`. */
      rowKey?: string;
    };

/** What verifyChain checks besides the links. */
export interface VerifyChainOptions {
  pageSize?: number;
  /** Recompute the rows of the sealed tables against the chain (default true). */
  rows?: boolean;
  /** Check that the append-only triggers are present (default true). */
  triggers?: boolean;
  /** A head the chain must contain (an anchor, or `audit verify --expect SEQ:HASH`). */
  expect?: { seq: number; hash: string };
  /** The raw connection, for a kysely handle not made by the store (row and trigger checks need it). */
  sqlite?: BetterSqlite3.Database;
}

/**
 * Walks the whole event log in order and reports the first broken link: a changed row, a replaced row,
 * a deleted row, or a changed personal payload (erased personal payloads are not breaks). Then checks
 * that the chain contains `expect` (an anchored head), that the append-only triggers are present, and
 * that every row of the sealed tables is the state the chain committed (see `ledger-verification.ts`):
 * a row edited, inserted or deleted in the file without the store is named by table and key.
 *
 * @example
 * const result = await verifyChain(store.db);
 * if (!result.ok) console.log(`event ${result.brokenAt}: ${result.reason}`);
 */
export async function verifyChain(
  db: Executor,
  options: VerifyChainOptions = {},
): Promise<ChainVerification> {
  const links = await verifyLinks(db, options);
  if (!links.ok) return links;
  const { expect } = options;
  if (expect !== undefined) {
    const row = await db.selectFrom('event').select('hash').where('seq', '=', expect.seq).executeTakeFirst();
    if (row?.hash !== expect.hash) {
      return {
        ok: false,
        events: links.events,
        brokenAt: expect.seq,
        reason: 'EXPECTED_HEAD_MISSING',
        expected: expect.hash,
        found:
          row?.hash ?? (expect.seq > links.events ? `(the chain ends at event ${links.events})` : '(none)'),
      };
    }
  }
  if (options.rows === false && options.triggers === false) return links;
  const sqlite = options.sqlite ?? (await rawConnection(db));
  if (sqlite === undefined) throw notAStoreHandle();
  // Rows first: a row changed behind the store's back is named even when the trigger that should have
  // refused it was dropped (and put back) for the change.
  const rows = options.rows === false ? null : verifyRows(sqlite);
  if (rows === null || rows.ok) {
    if (options.triggers !== false) {
      const trigger = missingTrigger(sqlite);
      if (trigger !== undefined) {
        return {
          ok: false,
          events: links.events,
          brokenAt: links.events,
          reason: 'TRIGGER_MISSING',
          expected: trigger,
          found: '(dropped)',
          table: trigger,
        };
      }
    }
    return rows === null ? links : { ...links, rows: rows.rows };
  }
  const reason: ChainBreak =
    rows.kind === 'CHANGED'
      ? 'ROW_CHANGED'
      : rows.kind === 'ADDED'
        ? 'ROW_ADDED'
        : rows.kind === 'REMOVED'
          ? 'ROW_REMOVED'
          : 'ROW_SEAL_ALTERED';
  return {
    ok: false,
    events: links.events,
    brokenAt: rows.seq ?? links.events,
    reason,
    expected:
      rows.kind === 'ADDED'
        ? 'no such row'
        : rows.kind === 'SEAL_ALTERED'
          ? `the row digests event ${rows.seq ?? '?'} committed`
          : `the state committed by event ${rows.seq ?? '?'}`,
    found:
      rows.kind === 'REMOVED'
        ? 'the row is gone'
        : rows.kind === 'SEAL_ALTERED'
          ? 'altered or missing row digests'
          : rows.kind === 'ADDED'
            ? 'a row no event committed'
            : 'different column values',
    table: rows.table,
    ...(rows.key === null ? {} : { rowKey: rows.key }),
  };
}

async function verifyLinks(db: Executor, options: { pageSize?: number }): Promise<ChainVerification> {
  const pageSize = options.pageSize ?? 5000;
  let previousHash = GENESIS_HASH;
  let expectedSeq = 1;
  let events = 0;
  for (;;) {
    const page = await db
      .selectFrom('event')
      .leftJoin('event_personal', 'event_personal.event_seq', 'event.seq')
      .selectAll('event')
      .select('event_personal.payload as personal_payload')
      .where('event.seq', '>=', expectedSeq)
      .orderBy('event.seq')
      .limit(pageSize)
      .execute();
    for (const { personal_payload: personalPayload, ...row } of page) {
      if (row.seq !== expectedSeq) {
        return {
          ok: false,
          events,
          brokenAt: expectedSeq,
          reason: 'SEQUENCE_GAP',
          expected: String(expectedSeq),
          found: String(row.seq),
        };
      }
      if (row.prev_hash !== previousHash) {
        return {
          ok: false,
          events,
          brokenAt: row.seq,
          reason: 'PREVIOUS_MISMATCH',
          expected: previousHash,
          found: row.prev_hash,
        };
      }
      const hash = computeEventHash(row);
      if (hash !== row.hash) {
        return {
          ok: false,
          events,
          brokenAt: row.seq,
          reason: 'HASH_MISMATCH',
          expected: hash,
          found: row.hash,
        };
      }
      if (personalPayload !== null) {
        const personalHash = sha256Hex(personalPayload);
        if (personalHash !== row.personal_hash) {
          return {
            ok: false,
            events,
            brokenAt: row.seq,
            reason: 'PERSONAL_MISMATCH',
            expected: row.personal_hash ?? '(none)',
            found: personalHash,
          };
        }
      }
      previousHash = row.hash;
      expectedSeq += 1;
      events += 1;
    }
    if (page.length < pageSize) return { ok: true, events, headHash: previousHash };
  }
}
