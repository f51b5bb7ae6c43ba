import type { Generated, Insertable, Selectable } from 'kysely';

/** `event`: the chained record. No personal data: `data` is JSON without it, `personal_hash` covers it. */
export interface EventTable {
  seq: Generated<number>;
  at: string;
  type: string;
  entity: string;
  entity_id: string | null;
  data: string;
  personal_hash: string | null;
  prev_hash: string;
  hash: string;
}
export type EventRow = Selectable<EventTable>;
export type NewEventRow = Insertable<EventTable>;

/** `event_personal`: the erasable personal payload of an event. */
export interface EventPersonalTable {
  event_seq: number;
  /** sha256 of the normalised address the payload is about, to find it on erasure. */
  subject_hash: string | null;
  payload: string;
}
export type EventPersonalRow = Selectable<EventPersonalTable>;

/** `event_row`: the row digests an event commits (one row per event, sealed table and part). */
export interface EventRowTable {
  tbl: string;
  event_seq: number;
  part: number;
  /** JSON array of the rows' primary keys. */
  keys: string;
  /** 32-byte sha256 per key, in key order; 32 zero bytes: the row was removed. */
  digests: Buffer;
}
