import type BetterSqlite3 from 'better-sqlite3';
import { REMOVED_DIGEST, liveRows, partHash, sealedTableShapes, type SealedTableShape } from './row-seal.js';

/**
 * The append-only triggers, with the migration that creates each: a dropped one is reported (once its
 * migration ran). A helper who adds such a trigger adds it here.
 */
export const LEDGER_TRIGGERS: readonly { name: string; migration: string }[] = [
  { name: 'event_refuse_update', migration: '0150_create_event' },
  { name: 'event_refuse_delete', migration: '0150_create_event' },
  { name: 'event_personal_refuse_update', migration: '0150_create_event' },
  { name: 'event_row_refuse_update', migration: '0160_create_event_row' },
  { name: 'event_row_refuse_delete', migration: '0160_create_event_row' },
  { name: 'consent_text_version_refuse_update', migration: '0030_create_consent_text_version' },
  { name: 'consent_text_version_refuse_delete', migration: '0030_create_consent_text_version' },
  { name: 'acknowledgement_recipient_refuse_update', migration: '0400_create_acknowledgement_recipient' },
  { name: 'acknowledgement_recipient_refuse_delete', migration: '0400_create_acknowledgement_recipient' },
  { name: 'acknowledgement_refuse_update', migration: '0400_create_acknowledgement_recipient' },
  { name: 'acknowledgement_refuse_delete', migration: '0400_create_acknowledgement_recipient' },
];

/**
 * The first append-only trigger that is missing (of the tables that exist), or undefined.
 *
 * @example
 * missingTrigger(store.sqlite); // 'event_refuse_delete' after someone dropped it
 */
export function missingTrigger(sqlite: BetterSqlite3.Database): string | undefined {
  const hasMigrations =
    sqlite
      .prepare(`SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`)
      .get() !== undefined;
  if (!hasMigrations) return undefined;
  const applied = new Set(sqlite.prepare('SELECT name FROM main.kysely_migration').pluck().all() as string[]);
  const triggers = new Set(
    sqlite.prepare(`SELECT name FROM main.sqlite_master WHERE type = 'trigger'`).pluck().all() as string[],
  );
  return LEDGER_TRIGGERS.find((trigger) => applied.has(trigger.migration) && !triggers.has(trigger.name))
    ?.name;
}

/**
 * Tables added to SEALED_TABLES after the row seal itself, with the migration that seals them: a file is
 * held to a table's rows only once that migration ran (and, over a file that checked clean, resealed
 * their current state). Before it, the table's rows were never committed and are not reported.
 */
export const SEALED_SINCE: Readonly<Record<string, string>> = {
  smtp_profile: '0195_seal_sending_and_feedback',
  authentication_check: '0195_seal_sending_and_feedback',
  domain_pacing: '0195_seal_sending_and_feedback',
  bounce: '0195_seal_sending_and_feedback',
  complaint: '0195_seal_sending_and_feedback',
  consent_text_version: '0195_seal_sending_and_feedback',
  intake_message: '0195_seal_sending_and_feedback',
};

function appliedMigrations(sqlite: BetterSqlite3.Database): Set<string> {
  const hasMigrations =
    sqlite
      .prepare(`SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`)
      .get() !== undefined;
  if (!hasMigrations) return new Set();
  return new Set(sqlite.prepare('SELECT name FROM main.kysely_migration').pluck().all() as string[]);
}

/** What the row check found wrong first. */
export interface RowFinding {
  /**
   * CHANGED: a row's columns differ from the state the chain committed; ADDED: a row no event committed;
   * REMOVED: a row the chain holds is gone; SEAL_ALTERED: the stored row digests of an event do not match
   * what the event committed (or are missing).
   */
  kind: 'CHANGED' | 'ADDED' | 'REMOVED' | 'SEAL_ALTERED';
  table: string;
  /** The row's primary key as JSON (`[12]`, `["list-id",12]`); null for SEAL_ALTERED. */
  key: string | null;
  /** The event that last committed the row (CHANGED, REMOVED) or whose seal is altered; null for ADDED. */
  seq: number | null;
}

/** The row check's result. */
export type RowVerification =
  { ok: true; tables: number; rows: number } | ({ ok: false; tables: number; rows: number } & RowFinding);

interface Commitment {
  n: number;
  parts: string[];
  snapshot?: boolean;
}

/** Every event's row commitments, by table, in sequence order. */
function commitmentsByTable(sqlite: BetterSqlite3.Database): Map<string, { seq: number; c: Commitment }[]> {
  const byTable = new Map<string, { seq: number; c: Commitment }[]>();
  const events = sqlite
    .prepare(`SELECT seq, data FROM event WHERE instr(data, '"sealedRows":') > 0 ORDER BY seq`)
    .iterate() as Iterable<{ seq: number; data: string }>;
  for (const event of events) {
    const data = JSON.parse(event.data) as { sealedRows?: Record<string, Commitment> };
    for (const [table, commitment] of Object.entries(data.sealedRows ?? {})) {
      let list = byTable.get(table);
      if (list === undefined) byTable.set(table, (list = []));
      list.push({ seq: event.seq, c: commitment });
    }
  }
  return byTable;
}

/**
 * Replays the row commitments of the chain table by table and compares the result with the live rows:
 * names the first row that no event accounts for (changed, added or removed behind the store's back), or
 * the first event whose stored digests were altered. The chain itself must have been verified first
 * (verifyChain does): the events' commitments are trusted here.
 */
export function verifyRows(sqlite: BetterSqlite3.Database): RowVerification {
  const hasRows =
    sqlite.prepare(`SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'event_row'`).get() !==
    undefined;
  const allShapes = sealedTableShapes(sqlite);
  if (!hasRows) return { ok: true, tables: 0, rows: 0 };
  const applied = appliedMigrations(sqlite);
  const shapes = allShapes.filter((shape) => {
    const since = SEALED_SINCE[shape.table];
    return since === undefined || applied.has(since);
  });
  const commitments = commitmentsByTable(sqlite);
  const parts = sqlite.prepare(
    'SELECT event_seq, part, keys, digests FROM event_row WHERE tbl = ? ORDER BY event_seq, part',
  );
  let rows = 0;
  for (const shape of shapes) {
    const finding = verifyTable(sqlite, shape, commitments.get(shape.table) ?? [], parts);
    if (typeof finding !== 'number') return { ok: false, tables: shapes.length, rows, ...finding };
    rows += finding;
  }
  // Stored digests of a table that is not sealed (any more) are not checked against rows, but must not
  // exist without a commitment either.
  const extra = sqlite.prepare(`SELECT tbl, min(event_seq) AS seq FROM event_row GROUP BY tbl`).all() as {
    tbl: string;
    seq: number;
  }[];
  for (const row of extra) {
    if (!allShapes.some((shape) => shape.table === row.tbl) && !commitments.has(row.tbl)) {
      return {
        ok: false,
        tables: shapes.length,
        rows,
        kind: 'SEAL_ALTERED',
        table: row.tbl,
        key: null,
        seq: row.seq,
      };
    }
  }
  return { ok: true, tables: shapes.length, rows };
}

function verifyTable(
  sqlite: BetterSqlite3.Database,
  shape: SealedTableShape,
  commitments: { seq: number; c: Commitment }[],
  parts: BetterSqlite3.Statement,
): RowFinding | number {
  const table = shape.table;
  // key -> 32 digest bytes (latin1) followed by the sequence number that committed it.
  const state = new Map<string, string>();
  const stored = parts.iterate(table) as Iterator<{
    event_seq: number;
    part: number;
    keys: string;
    digests: Buffer;
  }>;
  for (const { seq, c } of commitments) {
    if (c.snapshot === true) state.clear();
    for (let index = 0; index < c.parts.length; index += 1) {
      const next = stored.next();
      const part = next.done === true ? undefined : next.value;
      if (
        part === undefined ||
        part.event_seq !== seq ||
        part.part !== index ||
        partHash({ table, part: index, keys: part.keys, digests: part.digests }) !== c.parts[index]
      ) {
        stored.return?.();
        return { kind: 'SEAL_ALTERED', table, key: null, seq };
      }
      const keys = JSON.parse(part.keys) as unknown[];
      if (part.digests.length !== keys.length * 32) {
        stored.return?.();
        return { kind: 'SEAL_ALTERED', table, key: null, seq };
      }
      keys.forEach((key, i) => {
        const text = JSON.stringify(key);
        const digest = part.digests.toString('latin1', i * 32, i * 32 + 32);
        if (digest === REMOVED_DIGEST) state.delete(text);
        else state.set(text, `${digest}${seq}`);
      });
    }
  }
  const leftover = stored.next();
  if (leftover.done !== true) {
    stored.return?.();
    return { kind: 'SEAL_ALTERED', table, key: null, seq: leftover.value.event_seq };
  }
  let rows = 0;
  for (const row of liveRows(sqlite, shape)) {
    rows += 1;
    const sealed = state.get(row.key);
    if (sealed === undefined) return { kind: 'ADDED', table, key: row.key, seq: null };
    if (sealed.slice(0, 32) !== row.digest) {
      return { kind: 'CHANGED', table, key: row.key, seq: Number(sealed.slice(32)) };
    }
    state.delete(row.key);
  }
  for (const [key, sealed] of state) {
    return { kind: 'REMOVED', table, key, seq: Number(sealed.slice(32)) };
  }
  return rows;
}
