import type { Classification, ConsentMethod } from '@consent-mailer/policy';
import { normalizeEmailAddress } from '@consent-mailer/policy';
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type ExpressionBuilder } from 'kysely';
import type { Database } from './database.js';
import { addressHash } from './address-hash.js';
import { lookupHashes } from './address-identity.js';
import type { DeliveryRow, DeliveryState } from './delivery.table.js';
import { appendEvent, appendEventSync, type Executor } from './event-log.js';
import './sending-columns.js';
import { getMailing, heartbeatMailingWorker, setMailingStatus } from './mailing.repository.js';
import { inChunks, insertRows } from './sql-batch.js';
import { addSuppression } from './suppression.repository.js';
import { inTransaction } from './transaction.js';

/** Prepared statements of the outbox's hot path, per connection (kysely prepares every statement anew). */
interface OutboxStatements {
  handedOver: BetterSqlite3.Statement;
  sent: BetterSqlite3.Statement;
  delivered: BetterSqlite3.Statement;
  mailingOf: BetterSqlite3.Statement;
  /** The worker reads it before every hand-over to SMTP (pause and cancel act at once). */
  mailingStatus: BetterSqlite3.Statement;
}
const outboxStatements = new WeakMap<BetterSqlite3.Database, OutboxStatements>();

function statementsFor(sqlite: BetterSqlite3.Database): OutboxStatements {
  let statements = outboxStatements.get(sqlite);
  if (statements === undefined) {
    statements = {
      handedOver: sqlite.prepare(
        'UPDATE delivery SET handed_over_at = ?, message_id = ?, updated_at = ? WHERE id = ?',
      ),
      sent: sqlite.prepare(`UPDATE delivery SET state = 'SENT', sent_at = ?, smtp_code = ?, smtp_reply = ?, attempts = attempts + 1,
        claimed_by = NULL, handed_over_at = NULL, last_error = NULL, next_attempt_at = NULL, updated_at = ? WHERE id = ?`),
      delivered: sqlite.prepare(`UPDATE consent SET last_delivered_at = ?
        WHERE contact_id = (SELECT contact_id FROM delivery WHERE id = ?)
          AND sender_entity_id = (SELECT m.sender_entity_id FROM mailing m JOIN delivery d ON d.mailing_id = m.id WHERE d.id = ?)`),
      mailingOf: sqlite.prepare('SELECT mailing_id FROM delivery WHERE id = ?'),
      mailingStatus: sqlite.prepare('SELECT status FROM mailing WHERE id = ?'),
    };
    outboxStatements.set(sqlite, statements);
  }
  return statements;
}

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

/** The server's answer to one attempt. */
export type DeliveryOutcome =
  | { kind: 'SENT'; reply: string; code: number | undefined }
  | { kind: 'DEFERRED'; reply: string; code: number | undefined; nextAttemptAt: string }
  | { kind: 'HARD_BOUNCE'; reply: string; code: number | undefined; status: string }
  | { kind: 'FAILED'; reply: string; code: number | undefined; reason: string };

/**
 * Records the outcomes of several attempts in one transaction with one `deliveries.recorded` event (ids per
 * state; never an address): SENT (and the consents' `last_delivered_at`), DEFERRED with the next attempt,
 * FAILED, or HARD_BOUNCE (FAILED plus a bounce row and a HARD_BOUNCE suppression). SMTP replies are kept.
 * Grouping matters: the outbox records hundreds of replies a second.
 *
 * @example
 * await recordDeliveryOutcomes(db, [{ id, outcome: { kind: 'SENT', reply: '250 2.0.0 Ok: queued', code: 250 } }], now);
 */
export async function recordDeliveryOutcomes(
  db: Executor,
  items: readonly { id: number; outcome: DeliveryOutcome }[],
  at: string,
  sqlite?: BetterSqlite3.Database,
): Promise<void> {
  if (items.length === 0) return;
  if (
    sqlite !== undefined &&
    !sqlite.inTransaction &&
    !db.isTransaction &&
    items.every((item) => item.outcome.kind === 'SENT')
  ) {
    // The hot path (a group of accepted messages, nothing else): one synchronous transaction of prepared
    // statements, the event included, instead of a kysely transaction with freshly compiled queries.
    recordSentSync(sqlite, items, at);
    return;
  }
  await inTransaction(db, async (trx) => {
    const ids: Record<'sent' | 'deferred' | 'failed' | 'bounced', number[]> = {
      sent: [],
      deferred: [],
      failed: [],
      bounced: [],
    };
    const sent = items.filter((item) => item.outcome.kind === 'SENT');
    if (sqlite !== undefined) {
      // Hot path: hundreds of replies a second; prepared once, run inside this transaction.
      const statements = statementsFor(sqlite);
      for (const item of sent) {
        statements.sent.run(at, item.outcome.code ?? null, item.outcome.reply.slice(0, 1000), at, item.id);
        statements.delivered.run(at, item.id, item.id);
        ids.sent.push(item.id);
      }
    }
    for (const chunk of sqlite === undefined ? inChunks(sent, 2000) : []) {
      const values = sql.join(
        chunk.map(
          (item) => sql`(${item.id}, ${item.outcome.code ?? null}, ${item.outcome.reply.slice(0, 1000)})`,
        ),
      );
      await sql`WITH v(id, code, reply) AS (VALUES ${values})
        UPDATE delivery SET state = 'SENT', sent_at = ${at}, smtp_code = v.code, smtp_reply = v.reply, attempts = attempts + 1,
          claimed_by = NULL, handed_over_at = NULL, last_error = NULL, next_attempt_at = NULL, updated_at = ${at}
        FROM v WHERE delivery.id = v.id`.execute(trx);
      const chunkIds = chunk.map((item) => item.id);
      ids.sent.push(...chunkIds);
      // Written as IN lists so SQLite uses the (contact_id, sender_entity_id) index instead of a scan.
      await sql`UPDATE consent SET last_delivered_at = ${at}
        WHERE sender_entity_id = (SELECT m.sender_entity_id FROM mailing m JOIN delivery d ON d.mailing_id = m.id WHERE d.id = ${chunkIds[0] ?? -1})
          AND contact_id IN (SELECT contact_id FROM delivery WHERE id IN (${sql.join(chunkIds)}))`.execute(
        trx,
      );
    }
    for (const { id, outcome } of items) {
      if (outcome.kind === 'SENT') continue;
      const base = {
        smtp_code: outcome.code ?? null,
        smtp_reply: outcome.reply.slice(0, 1000),
        claimed_by: null,
        handed_over_at: null,
        updated_at: at,
        attempts: sql<number>`attempts + 1`,
      };
      if (outcome.kind === 'DEFERRED') {
        ids.deferred.push(id);
        await trx
          .updateTable('delivery')
          .set({
            ...base,
            state: 'DEFERRED',
            next_attempt_at: outcome.nextAttemptAt,
            last_error: 'TEMPORARY',
          })
          .where('id', '=', id)
          .execute();
        continue;
      }
      const reason = outcome.kind === 'HARD_BOUNCE' ? 'HARD_BOUNCE' : outcome.reason;
      await trx
        .updateTable('delivery')
        .set({ ...base, state: 'FAILED', last_error: reason, next_attempt_at: null })
        .where('id', '=', id)
        .execute();
      if (outcome.kind !== 'HARD_BOUNCE') {
        ids.failed.push(id);
        continue;
      }
      ids.bounced.push(id);
      const row = await trx
        .selectFrom('delivery')
        .select(['mailing_id', 'contact_id', 'address_hash'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('bounce')
        .values({
          address_hash: row.address_hash,
          contact_id: row.contact_id,
          mailing_id: row.mailing_id,
          delivery_id: id,
          kind: 'HARD',
          status: outcome.status,
          diagnostic: outcome.reply.slice(0, 1000),
          received_at: at,
          created_at: at,
        })
        .execute();
      await addSuppression(trx, {
        addressHash: row.address_hash,
        reason: 'HARD_BOUNCE',
        source: 'SMTP',
        hardBounceStatus: outcome.status,
        at,
      });
    }
    const first = await trx
      .selectFrom('delivery')
      .select('mailing_id')
      .where('id', '=', items[0]?.id ?? -1)
      .executeTakeFirst();
    await appendEvent(trx, {
      type: 'deliveries.recorded',
      entity: 'mailing',
      entityId: first?.mailing_id ?? null,
      at,
      data: { sent: ids.sent, deferred: ids.deferred, failed: ids.failed, bounced: ids.bounced },
    });
  });
}

/** {@link recordDeliveryOutcomes} for a group of SENT outcomes only, as one synchronous transaction. */
function recordSentSync(
  sqlite: BetterSqlite3.Database,
  items: readonly { id: number; outcome: DeliveryOutcome }[],
  at: string,
): void {
  const statements = statementsFor(sqlite);
  sqlite.transaction(() => {
    const sent: number[] = [];
    for (const item of items) {
      statements.sent.run(at, item.outcome.code ?? null, item.outcome.reply.slice(0, 1000), at, item.id);
      statements.delivered.run(at, item.id, item.id);
      sent.push(item.id);
    }
    // The chain's one writer, synchronous: it also commits the delivery and consent rows just changed.
    const mailing = statements.mailingOf.get(items[0]?.id ?? -1) as { mailing_id: string } | undefined;
    appendEventSync(sqlite, {
      type: 'deliveries.recorded',
      entity: 'mailing',
      entityId: mailing?.mailing_id ?? null,
      at,
      data: { sent, deferred: [], failed: [], bounced: [] },
    });
  })();
}

/**
 * One outcome: see {@link recordDeliveryOutcomes}.
 *
 * @example
 * await recordDeliveryOutcome(db, id, { kind: 'SENT', reply: '250 2.0.0 Ok: queued', code: 250 }, now);
 */
export async function recordDeliveryOutcome(
  db: Executor,
  id: number,
  outcome: DeliveryOutcome,
  at: string,
): Promise<void> {
  await recordDeliveryOutcomes(db, [{ id, outcome }], at);
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
 * The earliest next attempt of a deferred delivery of the mailing, or undefined when none is left.
 *
 * @example
 * const next = await nextDeferredAttempt(db, mailingId);
 */
export async function nextDeferredAttempt(db: Executor, mailingId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('delivery')
    .select((eb) => eb.fn.min('next_attempt_at').as('next'))
    .where('mailing_id', '=', mailingId)
    .where('state', '=', 'DEFERRED')
    .executeTakeFirst();
  return row?.next ?? undefined;
}

/**
 * Send times since `since` of every delivery that went out through an SMTP profile (all mailings), for the
 * profile's per-minute/hour/day limits.
 *
 * @example
 * const times = await recentSendTimes(db, profileId, since);
 */
export async function recentSendTimes(db: Executor, smtpProfileId: string, since: string): Promise<string[]> {
  const rows = await db
    .selectFrom('delivery')
    .innerJoin('mailing', 'mailing.id', 'delivery.mailing_id')
    .select('delivery.sent_at')
    .where('mailing.smtp_profile_id', '=', smtpProfileId)
    .where('delivery.state', '=', 'SENT')
    .where('delivery.sent_at', '>=', since)
    .execute();
  return rows.flatMap((row) => (row.sent_at === null ? [] : [row.sent_at]));
}

/** Deliveries of a mailing per state, with UNCERTAIN split out of SENDING. */
export type DeliveryCounts = Record<DeliveryState | 'UNCERTAIN', number> & { total: number };

/**
 * Counts a mailing's deliveries per state.
 *
 * @example
 * const counts = await countDeliveries(db, mailingId); // { QUEUED: 10, SENT: 90, UNCERTAIN: 0, …, total: 100 }
 */
export async function countDeliveries(db: Executor, mailingId: string): Promise<DeliveryCounts> {
  const rows = await db
    .selectFrom('delivery')
    .select([
      'state',
      (eb) => eb.fn.countAll<number>().as('n'),
      sql<number>`sum(uncertain_at IS NOT NULL)`.as('uncertain'),
    ])
    .where('mailing_id', '=', mailingId)
    .groupBy('state')
    .execute();
  const counts: DeliveryCounts = {
    QUEUED: 0,
    SENDING: 0,
    SENT: 0,
    DEFERRED: 0,
    FAILED: 0,
    SKIPPED: 0,
    CANCELLED: 0,
    UNCERTAIN: 0,
    total: 0,
  };
  for (const row of rows) {
    const uncertain = row.state === 'SENDING' ? Number(row.uncertain) : 0;
    counts[row.state] += Number(row.n) - uncertain;
    counts.UNCERTAIN += uncertain;
    counts.total += Number(row.n);
  }
  return counts;
}

/**
 * After a crash: deliveries claimed by a worker that is gone. Those never handed to SMTP go back to the
 * queue; those handed over become UNCERTAIN (the server may have accepted them) and wait for the user.
 * One `mailing.recovered` event.
 *
 * @example
 * const { requeued, uncertain } = await recoverOrphanedDeliveries(db, { mailingId, exceptWorkerId: me, at });
 */
export async function recoverOrphanedDeliveries(
  db: Executor,
  input: { mailingId: string; exceptWorkerId: string; at: string },
): Promise<{ requeued: number; uncertain: number }> {
  return inTransaction(db, async (trx) => {
    const orphaned = (eb: ExpressionBuilder<Database, 'delivery'>) =>
      eb.and([
        eb('mailing_id', '=', input.mailingId),
        eb('state', '=', 'SENDING'),
        eb('uncertain_at', 'is', null),
        eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '!=', input.exceptWorkerId)]),
      ]);
    const requeued = await trx
      .updateTable('delivery')
      .set({ state: 'QUEUED', claimed_by: null, claimed_at: null, updated_at: input.at })
      .where(orphaned)
      .where('handed_over_at', 'is', null)
      .executeTakeFirst();
    const uncertain = await trx
      .updateTable('delivery')
      .set({ uncertain_at: input.at, claimed_by: null, updated_at: input.at })
      .where(orphaned)
      .where('handed_over_at', 'is not', null)
      .executeTakeFirst();
    const result = { requeued: Number(requeued.numUpdatedRows), uncertain: Number(uncertain.numUpdatedRows) };
    if (result.requeued + result.uncertain > 0) {
      await appendEvent(trx, {
        type: 'mailing.recovered',
        entity: 'mailing',
        entityId: input.mailingId,
        at: input.at,
        data: result,
      });
    }
    return result;
  });
}

/** A delivery whose outcome a crash left unknown. */
export interface UncertainDelivery {
  id: number;
  email: string | null;
  messageId: string | null;
  handedOverAt: string | null;
  uncertainAt: string;
}

/**
 * The deliveries of a mailing that are UNCERTAIN, for the user to decide on.
 *
 * @example
 * const uncertain = await listUncertainDeliveries(db, mailingId);
 */
export async function listUncertainDeliveries(db: Executor, mailingId: string): Promise<UncertainDelivery[]> {
  const rows = await db
    .selectFrom('delivery')
    .select(['id', 'email', 'message_id', 'handed_over_at', 'uncertain_at'])
    .where('mailing_id', '=', mailingId)
    .where('state', '=', 'SENDING')
    .where('uncertain_at', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    messageId: row.message_id,
    handedOverAt: row.handed_over_at,
    uncertainAt: row.uncertain_at ?? '',
  }));
}

/**
 * The user's decision on UNCERTAIN deliveries: RESEND queues them again (they may get the message twice),
 * SKIP marks them SKIPPED. `ids` limits it to some; all otherwise. One event.
 *
 * @example
 * await resolveUncertainDeliveries(db, { mailingId, decision: 'SKIP', at });
 */
export async function resolveUncertainDeliveries(
  db: Executor,
  input: { mailingId: string; decision: 'RESEND' | 'SKIP'; ids?: readonly number[]; at: string },
): Promise<number> {
  return inTransaction(db, async (trx) => {
    let update = trx
      .updateTable('delivery')
      .set(
        input.decision === 'RESEND'
          ? { state: 'QUEUED', uncertain_at: null, handed_over_at: null, updated_at: input.at }
          : { state: 'SKIPPED', uncertain_at: null, last_error: 'UNCERTAIN_SKIPPED', updated_at: input.at },
      )
      .where('mailing_id', '=', input.mailingId)
      .where('state', '=', 'SENDING')
      .where('uncertain_at', 'is not', null);
    if (input.ids !== undefined)
      update = update.where('id', 'in', input.ids.length > 0 ? [...input.ids] : [-1]);
    const result = await update.executeTakeFirst();
    const count = Number(result.numUpdatedRows);
    await appendEvent(trx, {
      type: input.decision === 'RESEND' ? 'delivery.resend_chosen' : 'delivery.skip_chosen',
      entity: 'mailing',
      entityId: input.mailingId,
      at: input.at,
      data: { count, deliveryIds: input.ids === undefined ? null : [...input.ids] },
    });
    return count;
  });
}

// Well inside the api's 120 s staleness limit.
const HEARTBEAT_EVERY_MS = 5_000;

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

/**
 * Contacts among `contactIds` that already received a marketing mailing from this sender entity (so the
 * next one is not their first: rule M3 and the right-to-object sentence).
 *
 * @example
 * const seen = await contactsWithPriorMarketing(db, { senderEntityId, excludeMailingId: mailingId, contactIds });
 */
export async function contactsWithPriorMarketing(
  db: Executor,
  input: { senderEntityId: string; excludeMailingId: string; contactIds: readonly number[] },
): Promise<Set<number>> {
  const seen = new Set<number>();
  let chunks = 0;
  for (const chunk of inChunks([...input.contactIds], 10_000)) {
    // Let the host's event loop run between chunks (the desktop main process must not stall for seconds).
    if (chunks++ > 0) await new Promise((resolve) => setImmediate(resolve));
    const rows = await db
      .selectFrom('delivery')
      .innerJoin('mailing', 'mailing.id', 'delivery.mailing_id')
      .select('delivery.contact_id')
      .distinct()
      .where('mailing.sender_entity_id', '=', input.senderEntityId)
      .where('mailing.content', 'in', ['MARKETING', 'MIXED'])
      .where('mailing.id', '!=', input.excludeMailingId)
      .where('delivery.state', '=', 'SENT')
      .where('delivery.contact_id', 'in', chunk)
      .execute();
    for (const row of rows) if (row.contact_id !== null) seen.add(row.contact_id);
  }
  return seen;
}

/**
 * Finds the delivery a bounce, complaint or unsubscribe is about: by Message-ID, by unsubscribe token, or
 * else the latest sent delivery to the address.
 *
 * @example
 * const delivery = await findDeliveryFor(db, { messageId: '<…@bakkerij.nl>' });
 */
export async function findDeliveryFor(
  db: Executor,
  key: { messageId?: string | undefined; token?: string | undefined; email?: string | undefined },
): Promise<DeliveryRow | undefined> {
  if (key.messageId) {
    const row = await db
      .selectFrom('delivery')
      .selectAll()
      .where('message_id', '=', key.messageId)
      .executeTakeFirst();
    if (row) return row;
  }
  if (key.token) {
    const row = await db
      .selectFrom('delivery')
      .selectAll()
      .where('unsubscribe_token', '=', key.token)
      .executeTakeFirst();
    if (row) return row;
  }
  if (key.email) {
    return db
      .selectFrom('delivery')
      .selectAll()
      .where('address_hash', 'in', lookupHashes(key.email))
      .where('state', '=', 'SENT')
      .orderBy('sent_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
  return undefined;
}

/**
 * The outbox worker's persistence (the `OutboxStore` interface of @consent-mailer/mailer, matched
 * structurally: the store does not import the mailer) on these tables. Every call commits before it
 * returns, which the mailer's crash-safety guarantee rests on.
 *
 * @example
 * const outbox = createSqliteOutbox(store.db, { smtpProfileId: profile.id, workerId, clock: () => new Date(), sqlite: store.sqlite });
 * await runOutbox({ store: outbox, … });
 */
export function createSqliteOutbox(
  db: Executor,
  options: { smtpProfileId: string; workerId: string; clock: () => Date; sqlite?: BetterSqlite3.Database },
) {
  const now = () => options.clock().toISOString();
  const { sqlite } = options;
  let lastHeartbeat = Number.NEGATIVE_INFINITY;
  return {
    async control(mailingId: string): Promise<'RUN' | 'PAUSED' | 'CANCELLED'> {
      // Read before every hand-over: one prepared column read, not the whole mailing with its HTML
      // (that cost the outbox a third of its throughput). A missing mailing still fails as getMailing does.
      const row =
        sqlite === undefined
          ? undefined
          : (statementsFor(sqlite).mailingStatus.get(mailingId) as { status: string } | undefined);
      const mailing = row ?? (await getMailing(db, mailingId));
      // The heartbeat rides on the control read: a live worker is seen as live. The worker reads control
      // before every hand-over (issue 14), so the write happens at most every few seconds.
      const at = options.clock().getTime();
      if (at - lastHeartbeat >= HEARTBEAT_EVERY_MS) {
        lastHeartbeat = at;
        await heartbeatMailingWorker(db, mailingId, options.workerId, now());
      }
      if (mailing.status === 'PAUSED') return 'PAUSED';
      if (mailing.status === 'CANCELLED') return 'CANCELLED';
      return 'RUN';
    },
    async claimBatch(input: { mailingId: string; workerId: string; limit: number; now: string }) {
      const claimed = await claimDeliveries(db, input);
      return {
        suppressed: claimed.suppressed,
        deliveries: claimed.deliveries.map((d) => ({
          id: d.id,
          attempts: d.attempts,
          recipient: {
            email: d.email,
            merge: {
              firstName: d.firstName ?? undefined,
              lastName: d.lastName ?? undefined,
              fullName: [d.firstName, d.lastName].filter(Boolean).join(' ') || undefined,
              email: d.email,
              organisation: d.organisation ?? undefined,
            },
            method: d.method,
            firstMailing: d.firstMailing,
            unsubscribeToken: d.unsubscribeToken,
            messageId: d.messageId ?? undefined,
          },
        })),
      };
    },
    markHandedOver: (items: readonly { id: number; messageId: string }[], at: string) =>
      markDeliveriesHandedOver(db, items, at, sqlite),
    recordResults: (items: readonly { id: number; result: DeliveryOutcome }[], at: string) =>
      recordDeliveryOutcomes(
        db,
        items.map((item) => ({ id: item.id, outcome: item.result })),
        at,
        sqlite,
      ),
    release: (ids: readonly number[]) => releaseDeliveries(db, ids, now()),
    nextAttemptAt: (mailingId: string) => nextDeferredAttempt(db, mailingId),
    recentSendTimes: (_mailingId: string, since: string) => recentSendTimes(db, options.smtpProfileId, since),
    stop: (mailingId: string, error: { code: string; message: string }) =>
      setMailingStatus(db, mailingId, 'PAUSED', now(), error),
    async finish(mailingId: string, at: string): Promise<void> {
      const counts = await countDeliveries(db, mailingId);
      if (counts.UNCERTAIN > 0) {
        await setMailingStatus(db, mailingId, 'PAUSED', at, {
          code: 'MAILING_UNCERTAIN_DELIVERIES',
          message: `${counts.UNCERTAIN} message(s) were being handed to the server when the program stopped; decide to resend or skip them.`,
        });
        return;
      }
      await setMailingStatus(db, mailingId, 'SENT', at, null);
    },
    async progress(mailingId: string): Promise<{ done: number; total: number }> {
      const counts = await countDeliveries(db, mailingId);
      return { done: counts.SENT + counts.FAILED + counts.SKIPPED + counts.CANCELLED, total: counts.total };
    },
  };
}
