import canonicalize from 'canonicalize';
import type { Kysely, Transaction } from 'kysely';
import { sha256Hex } from './address-hash.js';
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

/** The canonical text that an event's hash covers. */
function canonicalEventContent(event: Omit<EventRow, 'hash'>): string {
  const text = canonicalize({
    seq: event.seq,
    at: event.at,
    type: event.type,
    entity: event.entity,
    entityId: event.entity_id,
    data: JSON.parse(event.data) as unknown,
    personalHash: event.personal_hash,
    prevHash: event.prev_hash,
  });
  if (text === undefined) throw new Error('event content cannot be canonicalised');
  return text;
}

function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('event payload cannot be canonicalised');
  return text;
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

/**
 * Appends one event to the hash-chained log. Call it inside the transaction that makes the change, so the
 * change and its event commit or vanish together. Returns the new event's sequence number and hash.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   await trx.updateTable('mailing').set({ status: 'QUEUED' }).where('id', '=', id).execute();
 *   await appendEvent(trx, { type: 'mailing.queued', entity: 'mailing', entityId: id, at: now.toISOString() });
 * });
 */
export async function appendEvent(db: Executor, event: NewEvent): Promise<{ seq: number; hash: string }> {
  const last = await db
    .selectFrom('event')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const personalText = event.personal === undefined ? null : canonicalJson(event.personal);
  const row: Omit<EventRow, 'hash'> = {
    seq: (last?.seq ?? 0) + 1,
    at: event.at,
    type: event.type,
    entity: event.entity,
    entity_id: event.entityId === undefined || event.entityId === null ? null : String(event.entityId),
    data: canonicalJson(event.data ?? {}),
    personal_hash: personalText === null ? null : sha256Hex(personalText),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const hash = computeEventHash(row);
  await db
    .insertInto('event')
    .values({ ...row, hash })
    .execute();
  if (personalText !== null) {
    await db
      .insertInto('event_personal')
      .values({ event_seq: row.seq, subject_hash: event.subjectHash ?? null, payload: personalText })
      .execute();
  }
  return { seq: row.seq, hash };
}

/** Why a link of the chain is broken. */
export type ChainBreak =
  | 'HASH_MISMATCH' // the row's content no longer matches its own hash: it was changed
  | 'PREVIOUS_MISMATCH' // the row does not point at the hash of the row before it: a row was replaced
  | 'SEQUENCE_GAP' // a sequence number is missing: a row was deleted
  | 'PERSONAL_MISMATCH'; // the personal payload was changed (erasure removes it, which is allowed)

/** The result of walking the chain. */
export type ChainVerification =
  | { ok: true; events: number; headHash: string }
  | { ok: false; events: number; brokenAt: number; reason: ChainBreak; expected: string; found: string };

/**
 * Walks the whole event log in order and reports the first broken link: a changed row, a replaced row,
 * a deleted row, or a changed personal payload. Erased personal payloads are not breaks.
 *
 * @example
 * const result = await verifyChain(store.db);
 * if (!result.ok) console.log(`event ${result.brokenAt}: ${result.reason}`);
 */
export async function verifyChain(
  db: Executor,
  options: { pageSize?: number } = {},
): Promise<ChainVerification> {
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
