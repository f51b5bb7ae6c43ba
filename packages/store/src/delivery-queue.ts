// A mailing's deliveries queued, claimed by a worker, handed to SMTP, released or cancelled.
import type { Classification, ConsentMethod } from '@consent-mailer/policy';
import { normalizeEmailAddress } from '@consent-mailer/policy';
import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { addressHash } from './address-hash.js';
import { appendEvent, type Executor } from './event-log.js';
import { inChunks, insertRows } from './sql-batch.js';
import { inTransaction } from './transaction.js';
import { statementsFor } from './delivery-statements.js';
import './sending-columns.js';

/** The spelling of the recipients whose address has capitals (`contact.email_spelling`), by contact id. */
async function contactSpellings(
  db: Executor,
  recipients: readonly QueuedRecipient[],
): Promise<Map<number, string>> {
  const spellings = new Map<number, string>();
  for (let start = 0; start < recipients.length; start += 10_000) {
    const ids = recipients.slice(start, start + 10_000).map((r) => r.contactId);
    const { rows } = await sql<{ id: number; email_spelling: string }>`
      SELECT id, email_spelling FROM contact
      WHERE email_spelling IS NOT NULL AND id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`.execute(
      db,
    );
    for (const row of rows) spellings.set(row.id, row.email_spelling);
  }
  return spellings;
}

/** One recipient to queue. */
export interface QueuedRecipient {
  contactId: number;
  email: string;
  classification: Classification;
  method: ConsentMethod;
  firstMailing: boolean;
  unsubscribeToken: string;
  acknowledgementId?: string | null;
}

/**
 * Puts one delivery row per recipient in the outbox (state QUEUED) with a `mailing.queued` event, in one
 * transaction. A recipient already queued for this mailing is left as it is (the address hash is unique
 * per mailing), so queueing again after a new assessment only adds newcomers. Returns how many were added.
 *
 * @example
 * const added = await queueDeliveries(db, { mailingId, recipients, at });
 */
export async function queueDeliveries(
  db: Executor,
  input: { mailingId: string; recipients: readonly QueuedRecipient[]; at: string },
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const columns = [
      'mailing_id',
      'contact_id',
      'email',
      'address_hash',
      'classification',
      'acknowledgement_id',
      'state',
      'unsubscribe_token',
      'consent_method',
      'first_mailing',
      'created_at',
      'updated_at',
    ];
    // Mail goes to the address as the person spelled it; the hash is of its identity (any case).
    const spellings = await contactSpellings(trx, input.recipients);
    const rows = input.recipients.map((r) => {
      const email = normalizeEmailAddress(r.email);
      return [
        input.mailingId,
        r.contactId,
        spellings.get(r.contactId) ?? email,
        addressHash(email),
        r.classification,
        r.acknowledgementId ?? null,
        'QUEUED',
        r.unsubscribeToken,
        r.method,
        r.firstMailing ? 1 : 0,
        input.at,
        input.at,
      ];
    });
    const inserted = await insertRows<{ id: number }>(
      trx,
      'delivery',
      columns,
      rows,
      'ON CONFLICT (mailing_id, address_hash) DO NOTHING RETURNING id',
    );
    await appendEvent(trx, {
      type: 'mailing.queued',
      entity: 'mailing',
      entityId: input.mailingId,
      at: input.at,
      data: { offered: rows.length, added: inserted.length },
    });
    return inserted.length;
  });
}

/** A claimed delivery with what composing its message needs. */
export interface ClaimedDelivery {
  id: number;
  attempts: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
  organisation: string | null;
  method: ConsentMethod;
  firstMailing: boolean;
  unsubscribeToken: string;
  messageId: string | null;
}

/**
 * Atomically claims up to `limit` due deliveries (QUEUED, or DEFERRED whose next attempt is due) for a
 * worker: state SENDING, `claimed_by`, `handed_over_at` cleared. In the same transaction, due deliveries
 * whose address is on the suppression list right now become SKIPPED (one `delivery.skipped` event), so an
 * unsubscribe during a send takes effect at the next batch.
 *
 * @example
 * const { deliveries, suppressed } = await claimDeliveries(db, { mailingId, workerId, limit: 100, now });
 */
export async function claimDeliveries(
  db: Executor,
  input: { mailingId: string; workerId: string; limit: number; now: string },
): Promise<{ deliveries: ClaimedDelivery[]; suppressed: number }> {
  return inTransaction(db, async (trx) => {
    // Two index range reads (queued in id order; deferred ones that are due) instead of one OR that
    // would scan and sort the whole mailing on every claim.
    const dueQuery = (state: 'QUEUED' | 'DEFERRED') => {
      let query = trx
        .selectFrom('delivery')
        .leftJoin('suppression', 'suppression.address_hash', 'delivery.address_hash')
        .select(['delivery.id', 'suppression.id as suppression_id'])
        .where('delivery.mailing_id', '=', input.mailingId)
        .where('delivery.state', '=', state);
      if (state === 'DEFERRED') query = query.where('delivery.next_attempt_at', '<=', input.now);
      return query.orderBy('delivery.id').limit(input.limit).execute();
    };
    const due = [...(await dueQuery('DEFERRED')), ...(await dueQuery('QUEUED'))]
      .sort((a, b) => a.id - b.id)
      .slice(0, input.limit);
    const suppressedIds = [...new Set(due.filter((row) => row.suppression_id !== null).map((row) => row.id))];
    const claimIds = [...new Set(due.filter((row) => row.suppression_id === null).map((row) => row.id))];
    if (suppressedIds.length > 0) {
      await trx
        .updateTable('delivery')
        .set({ state: 'SKIPPED', last_error: 'SUPPRESSED', updated_at: input.now })
        .where('id', 'in', suppressedIds)
        .execute();
      await appendEvent(trx, {
        type: 'delivery.skipped',
        entity: 'mailing',
        entityId: input.mailingId,
        at: input.now,
        data: { reason: 'SUPPRESSED', deliveryIds: suppressedIds },
      });
    }
    if (claimIds.length === 0) return { deliveries: [], suppressed: suppressedIds.length };
    await trx
      .updateTable('delivery')
      .set({
        state: 'SENDING',
        claimed_by: input.workerId,
        claimed_at: input.now,
        handed_over_at: null,
        updated_at: input.now,
      })
      .where('id', 'in', claimIds)
      .execute();
    // SENDING is a state the row check holds the file to: the claim is committed to the chain.
    await appendEvent(trx, {
      type: 'deliveries.claimed',
      entity: 'mailing',
      entityId: input.mailingId,
      at: input.now,
      data: { count: claimIds.length },
    });
    const rows = await trx
      .selectFrom('delivery')
      .leftJoin('contact', 'contact.id', 'delivery.contact_id')
      .select([
        'delivery.id',
        'delivery.attempts',
        'delivery.email',
        'delivery.consent_method',
        'delivery.first_mailing',
        'delivery.unsubscribe_token',
        'delivery.message_id',
        'contact.first_name',
        'contact.last_name',
        'contact.organisation',
      ])
      .where('delivery.id', 'in', claimIds)
      .orderBy('delivery.id')
      .execute();
    const deliveries = rows.flatMap((row): ClaimedDelivery[] =>
      row.email === null || row.unsubscribe_token === null
        ? []
        : [
            {
              id: row.id,
              attempts: row.attempts,
              email: row.email,
              firstName: row.first_name,
              lastName: row.last_name,
              organisation: row.organisation,
              method: row.consent_method ?? 'IMPORTED_UNKNOWN',
              firstMailing: row.first_mailing === 1,
              unsubscribeToken: row.unsubscribe_token,
              messageId: row.message_id,
            },
          ],
    );
    return { deliveries, suppressed: suppressedIds.length };
  });
}

/**
 * Marks claimed deliveries as handed to the SMTP client, each with the Message-ID it carries, in one
 * statement. From here on a crash leaves them UNCERTAIN rather than queued again, so this must commit
 * before the messages go to the server.
 *
 * @example
 * await markDeliveriesHandedOver(db, [{ id: 12, messageId: '<uuid@bakkerij.nl>' }], now);
 */
export async function markDeliveriesHandedOver(
  db: Executor,
  items: readonly { id: number; messageId: string }[],
  at: string,
  sqlite?: BetterSqlite3.Database,
): Promise<void> {
  if (sqlite !== undefined) {
    const statements = statementsFor(sqlite);
    const mark = () => {
      for (const item of items) statements.handedOver.run(at, item.messageId, at, item.id);
    };
    // No transaction open on the connection: one synchronous transaction, which nothing can interleave.
    // Otherwise join kysely's queue (the prepared statements then run inside a kysely transaction).
    if (!sqlite.inTransaction && !db.isTransaction) sqlite.transaction(mark)();
    else await inTransaction(db, () => Promise.resolve(mark()));
    return;
  }
  for (const chunk of inChunks(items, 5000)) {
    const values = sql.join(chunk.map((item) => sql`(${item.id}, ${item.messageId})`));
    await sql`WITH v(id, message_id) AS (VALUES ${values})
      UPDATE delivery SET handed_over_at = ${at}, message_id = v.message_id, updated_at = ${at}
      FROM v WHERE delivery.id = v.id`.execute(db);
  }
}

/**
 * One delivery: see {@link markDeliveriesHandedOver}.
 *
 * @example
 * await markDeliveryHandedOver(db, id, '<uuid@bakkerij.nl>', now);
 */
export async function markDeliveryHandedOver(
  db: Executor,
  id: number,
  messageId: string,
  at: string,
): Promise<void> {
  await markDeliveriesHandedOver(db, [{ id, messageId }], at);
}

/**
 * Puts claimed deliveries that were never handed to SMTP back in the queue (pause, cancel, a refused login).
 *
 * @example
 * await releaseDeliveries(db, [12, 13], now);
 */
export async function releaseDeliveries(db: Executor, ids: readonly number[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await inTransaction(db, async (trx) => {
    let mailingId: string | null = null;
    for (const chunk of inChunks(ids, 5000)) {
      const rows = await trx
        .updateTable('delivery')
        .set({ state: 'QUEUED', claimed_by: null, claimed_at: null, handed_over_at: null, updated_at: at })
        .where('id', 'in', chunk)
        .where('state', '=', 'SENDING')
        .returning('mailing_id')
        .execute();
      mailingId ??= rows[0]?.mailing_id ?? null;
    }
    await appendEvent(trx, {
      type: 'deliveries.released',
      entity: 'mailing',
      entityId: mailingId,
      at,
      data: { count: ids.length },
    });
  });
}

/**
 * Cancels what has not gone out yet: QUEUED and DEFERRED, and what a worker claimed but has not handed to
 * SMTP (issue 14: a rate-limited worker holds its whole batch; the worker sees the cancel before its next
 * hand-over and its release leaves CANCELLED rows alone). Deliveries handed over finish.
 *
 * @example
 * const cancelled = await cancelPendingDeliveries(db, mailingId, now);
 */
export async function cancelPendingDeliveries(db: Executor, mailingId: string, at: string): Promise<number> {
  return inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('delivery')
      .set({ state: 'CANCELLED', updated_at: at })
      .where('mailing_id', '=', mailingId)
      .where((eb) =>
        eb.or([
          eb('state', 'in', ['QUEUED', 'DEFERRED']),
          eb.and([eb('state', '=', 'SENDING'), eb('handed_over_at', 'is', null)]),
        ]),
      )
      .executeTakeFirst();
    const cancelled = Number(result.numUpdatedRows);
    if (cancelled > 0) {
      await appendEvent(trx, {
        type: 'deliveries.cancelled',
        entity: 'mailing',
        entityId: mailingId,
        at,
        data: { count: cancelled },
      });
    }
    return cancelled;
  });
}
