import { normalizeEmailAddress, type ComplaintSource, type ContactRecord } from '@consent-mailer/policy';
import { sql } from 'kysely';
import { addressHash } from './address-hash.js';
import { lookupHashes } from './address-identity.js';
import { appendEvent, type Executor } from './event-log.js';
import type { SuppressionReason, SuppressionRow } from './suppression.table.js';
import { inTransaction } from './transaction.js';

/** Up to this many suppressions, a bulk lookup reads the whole list instead of sending every hash. */
const READ_WHOLE_LIST_UP_TO = 2000;

/**
 * The subset of the given address hashes that are suppressed. For many hashes and a short list (the usual
 * case: an import chunk against a few hundred unsubscribes) the list is read whole; otherwise one query
 * with the hashes as one JSON array parameter (a 5,000-value IN list costs more to build than to run).
 *
 * @example
 * const blocked = await suppressedHashes(db, rows.map((row) => addressHash(row.email)));
 */
export async function suppressedHashes(db: Executor, hashes: readonly string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  if (hashes.length >= READ_WHOLE_LIST_UP_TO) {
    const list = await db
      .selectFrom('suppression')
      .select('address_hash')
      .limit(READ_WHOLE_LIST_UP_TO + 1)
      .execute();
    if (list.length <= READ_WHOLE_LIST_UP_TO) {
      const wanted = new Set(hashes);
      return new Set(list.map((row) => row.address_hash).filter((hash) => wanted.has(hash)));
    }
  }
  const { rows } = await sql<{ address_hash: string }>`
    SELECT DISTINCT address_hash FROM suppression
    WHERE address_hash IN (SELECT value FROM json_each(${JSON.stringify(hashes)}))`.execute(db);
  return new Set(rows.map((row) => row.address_hash));
}

/**
 * True when the address (normalised first, any case) is on the suppression list.
 *
 * @example
 * if (await isSuppressed(db, 'jan@example.nl')) skip();
 */
export async function isSuppressed(db: Executor, email: string): Promise<boolean> {
  // The legacy hash too: a suppression made before one address identity, of an address no contact had.
  return (await suppressedHashes(db, lookupHashes(email))).size > 0;
}

/**
 * Turns suppression entries into the status dates of a policy `ContactRecord`, so the rules block the
 * address (G1–G3) even when its consent row was never updated (for example after an import that
 * re-added an erased address's consent from another source).
 *
 * @example
 * const record = { ...toContactRecord(contact, consent), ...suppressionsAsEvidence(entries) };
 */
export function suppressionsAsEvidence(
  entries: readonly { reason: string; created_at: string }[],
): Partial<Pick<ContactRecord, 'unsubscribedAt' | 'objectedAt' | 'complaintAt' | 'hardBounceAt'>> {
  const evidence: Partial<
    Pick<ContactRecord, 'unsubscribedAt' | 'objectedAt' | 'complaintAt' | 'hardBounceAt'>
  > = {};
  for (const entry of entries) {
    if (entry.reason === 'OBJECTED') evidence.objectedAt ??= entry.created_at;
    else if (entry.reason === 'COMPLAINT') evidence.complaintAt ??= entry.created_at;
    else if (entry.reason === 'HARD_BOUNCE') evidence.hardBounceAt ??= entry.created_at;
    else evidence.unsubscribedAt ??= entry.created_at;
  }
  return evidence;
}

/** What to suppress: an address (normalised here) or an address hash when only that is known. */
export interface NewSuppression {
  email?: string;
  addressHash?: string;
  reason: SuppressionReason;
  /** Where it came from: 'UNSUBSCRIBE_LINK', 'ARF', 'DSN', 'SPAMKLACHT', 'IMPORT', 'CLI', 'APP', 'ERASURE' … */
  source: string;
  note?: string | null;
  /** For COMPLAINT: which channel, recorded on the consents as `complaintSource`. */
  complaintSource?: ComplaintSource;
  /** For HARD_BOUNCE: the enhanced status code, recorded as `hardBounceStatus`. */
  hardBounceStatus?: string;
  at: string;
}

/**
 * Puts an address on the suppression list and records the matching status date on every consent of that
 * address (unsubscribe and objection also mark the consents WITHDRAWN), with a `suppression.added` event,
 * in one transaction. Adding the same reason twice keeps the first entry. Returns the address hash.
 *
 * @example
 * await addSuppression(db, { email: 'jan@example.nl', reason: 'UNSUBSCRIBED', source: 'UNSUBSCRIBE_LINK', at });
 */
export async function addSuppression(db: Executor, input: NewSuppression): Promise<string> {
  const hash =
    input.addressHash ??
    (input.email === undefined ? undefined : addressHash(normalizeEmailAddress(input.email)));
  if (hash === undefined || !/^[0-9a-f]{64}$/.test(hash))
    throw new Error('addSuppression needs an email or a sha256 addressHash');
  return inTransaction(db, async (trx) => {
    const inserted = await trx
      .insertInto('suppression')
      .values({
        address_hash: hash,
        reason: input.reason,
        source: input.source,
        note: input.note ?? null,
        created_at: input.at,
      })
      .onConflict((conflict) => conflict.columns(['address_hash', 'reason']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted === undefined) return hash;
    const contact = await trx
      .selectFrom('contact')
      .select('id')
      .where('address_hash', '=', hash)
      .executeTakeFirst();
    let consentIds: number[] = [];
    if (contact !== undefined) {
      let update = trx
        .updateTable('consent')
        .set({ updated_at: input.at })
        .where('contact_id', '=', contact.id);
      if (input.reason === 'UNSUBSCRIBED' || input.reason === 'ERASED' || input.reason === 'MANUAL') {
        update = update.set((eb) => ({
          unsubscribed_at: eb.fn.coalesce('unsubscribed_at', eb.val(input.at)),
          status: 'WITHDRAWN',
        }));
      } else if (input.reason === 'OBJECTED') {
        update = update.set((eb) => ({
          objected_at: eb.fn.coalesce('objected_at', eb.val(input.at)),
          status: 'WITHDRAWN',
        }));
      } else if (input.reason === 'COMPLAINT') {
        update = update.set((eb) => ({
          complaint_at: eb.fn.coalesce('complaint_at', eb.val(input.at)),
          complaint_source: eb.fn.coalesce('complaint_source', eb.val(input.complaintSource ?? 'MANUAL')),
        }));
      } else {
        update = update.set((eb) => ({
          hard_bounce_at: eb.fn.coalesce('hard_bounce_at', eb.val(input.at)),
          hard_bounce_status: eb.fn.coalesce('hard_bounce_status', eb.val(input.hardBounceStatus ?? null)),
        }));
      }
      consentIds = (await update.returning('id').execute()).map((row) => row.id);
    }
    await appendEvent(trx, {
      type: 'suppression.added',
      entity: 'suppression',
      entityId: inserted.id,
      at: input.at,
      data: {
        addressHash: hash,
        reason: input.reason,
        source: input.source,
        contactId: contact?.id ?? null,
        consentIds,
      },
    });
    return hash;
  });
}

/**
 * Lists suppression entries, newest last, with keyset pagination on id.
 *
 * @example
 * const page = await listSuppressions(db, { limit: 100 });
 */
export async function listSuppressions(
  db: Executor,
  page: { limit?: number; after?: number | null } = {},
): Promise<SuppressionRow[]> {
  let query = db
    .selectFrom('suppression')
    .selectAll()
    .orderBy('id')
    .limit(Math.min(Math.max(page.limit ?? 100, 1), 1000));
  if (page.after !== undefined && page.after !== null) query = query.where('id', '>', page.after);
  return query.execute();
}

/** A suppression entry as the owner sees it: the address only when a contact still holds it. */
export interface SuppressionEntryView {
  id: number;
  reason: SuppressionReason;
  source: string;
  note: string | null;
  createdAt: string;
  /** The contact's address with this hash; null for an address that no contact has (only its hash is kept). */
  email: string | null;
}

/**
 * Suppression entries newest first for the suppression screen. `search` is a whole address (matched by
 * its address identity, so an address no contact has is found too) or a part of a contact's address.
 *
 * @example
 * const rows = await browseSuppressions(db, { search: 'jan@example.nl' });
 */
export async function browseSuppressions(
  db: Executor,
  options: { search?: string | null; limit?: number } = {},
): Promise<SuppressionEntryView[]> {
  let query = db
    .selectFrom('suppression')
    .leftJoin('contact', 'contact.address_hash', 'suppression.address_hash')
    .select([
      'suppression.id',
      'suppression.reason',
      'suppression.source',
      'suppression.note',
      'suppression.created_at',
      'contact.email',
    ])
    .orderBy('suppression.id', 'desc')
    .limit(Math.min(Math.max(options.limit ?? 200, 1), 1000));
  const search = options.search?.trim();
  if (search) {
    const wholeAddress = hashesOfWholeAddress(search);
    const part = `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        ...(wholeAddress ? [eb('suppression.address_hash', 'in', wholeAddress)] : []),
        eb(sql<string>`lower(contact.email)`, 'like', sql<string>`${part} ESCAPE '\\'`),
      ]),
    );
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    reason: row.reason,
    source: row.source,
    note: row.note,
    createdAt: row.created_at,
    email: row.email ?? null,
  }));
}

function hashesOfWholeAddress(search: string): string[] | null {
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(search)) return null;
  try {
    return lookupHashes(search);
  } catch {
    return null;
  }
}
