// After a crash: claims of a dead worker go back, deliveries handed over without an answer are UNCERTAIN
// until the owner says what happened.
import { type ExpressionBuilder } from 'kysely';
import type { Database } from './database.js';
import { appendEvent, type Executor } from './event-log.js';
import { inTransaction } from './transaction.js';
import './sending-columns.js';

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
