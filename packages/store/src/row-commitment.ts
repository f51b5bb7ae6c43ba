import type BetterSqlite3 from 'better-sqlite3';
import { SEALED_TABLES } from './row-seal.js';

/**
 * Where the chain last committed one sealed row: the event, the stored part that holds the row's digest,
 * and the row's digested columns now. With the event (whose data carries the part's hash, see
 * `appendEventSync`) this is an inclusion proof of the row that needs no database: recompute the row's
 * digest, find it in the part under the row's key, hash the part, find that hash in the event.
 */
export interface RowCommitment {
  table: string;
  /** The row's primary key as JSON text, e.g. `[12]`. */
  key: string;
  /** The digested columns of the row (volatile columns of SEALED_TABLES left out). */
  row: Record<string, unknown>;
  eventSeq: number;
  part: number;
  /** The part's keys as stored (JSON text of an array of keys). */
  keys: string;
  /** The part's digests, hex (32 bytes per key, in key order). */
  digestsHex: string;
}

/**
 * The latest commitment, at or before `maxSeq`, of the row of a sealed table with this integer `id`;
 * undefined when the row does not exist or no event committed it.
 *
 * @example
 * const proof = rowCommitment(store.sqlite, 'consent', 7, anchor.seq);
 */
export function rowCommitment(
  sqlite: BetterSqlite3.Database,
  table: string,
  id: number,
  maxSeq: number,
): RowCommitment | undefined {
  const volatile = SEALED_TABLES[table];
  if (volatile === undefined) throw new Error(`not a sealed table: ${table}`);
  const row = sqlite.prepare(`SELECT * FROM main."${table.replaceAll('"', '""')}" WHERE id = ?`).get(id) as
    Record<string, unknown> | undefined;
  if (row === undefined) return undefined;
  const key = JSON.stringify([id]);
  const part = sqlite
    .prepare(
      `SELECT r.event_seq AS seq, r.part AS part, r.keys AS keys, r.digests AS digests FROM event_row r
       WHERE r.tbl = ? AND r.event_seq <= ?
         AND EXISTS (SELECT 1 FROM json_each(r.keys) j WHERE j.value = ?)
       ORDER BY r.event_seq DESC LIMIT 1`,
    )
    .get(table, maxSeq, key) as { seq: number; part: number; keys: string; digests: Buffer } | undefined;
  if (part === undefined) return undefined;
  const digested = Object.fromEntries(Object.entries(row).filter(([column]) => !volatile.includes(column)));
  return {
    table,
    key,
    row: digested,
    eventSeq: part.seq,
    part: part.part,
    keys: part.keys,
    digestsHex: part.digests.toString('hex'),
  };
}
