// Refusals of the sender (SPF/DKIM/DMARC, IP, content) a receiving server reported: alerts for the owner,
// never suppressions of the recipient.
import { appendEvent, type Executor } from './event-log.js';
import type { SenderAlertRow } from './intake.table.js';
import { inTransaction } from './transaction.js';

/** A refusal of the sender to alert the owner about. */
export interface SenderAlertInput {
  mailingId?: string | null;
  deliveryId?: number | null;
  source: 'SMTP' | 'INTAKE';
  category: string;
  status?: string | null;
  diagnostic?: string | null;
  recipientDomain?: string | null;
  receivedAt: string;
}

/**
 * Records that a receiving server refused the sender (its SPF/DKIM/DMARC, IP, content): never a
 * suppression, an alert for the owner. Returns how many alerts the mailing has now.
 *
 * @example
 * await recordSenderAlert(db, { source: 'INTAKE', category: 'AUTHENTICATION', status: '5.7.26', receivedAt: at }, at);
 */
export async function recordSenderAlert(
  db: Executor,
  input: SenderAlertInput,
  at: string,
): Promise<{ id: number; alertsForMailing: number }> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('sender_alert')
      .values({
        mailing_id: input.mailingId ?? null,
        delivery_id: input.deliveryId ?? null,
        source: input.source,
        category: input.category,
        status: input.status ?? null,
        diagnostic: input.diagnostic?.slice(0, 1000) ?? null,
        recipient_domain: input.recipientDomain ?? null,
        received_at: input.receivedAt,
        created_at: at,
        acknowledged_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendEvent(trx, {
      type: 'sender_alert.recorded',
      entity: 'sender_alert',
      entityId: row.id,
      at,
      data: {
        mailingId: input.mailingId ?? null,
        deliveryId: input.deliveryId ?? null,
        source: input.source,
        category: input.category,
        status: input.status ?? null,
      },
    });
    let alertsForMailing = 0;
    if (input.mailingId) {
      const count = await trx
        .selectFrom('sender_alert')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('mailing_id', '=', input.mailingId)
        .executeTakeFirstOrThrow();
      alertsForMailing = Number(count.n);
    }
    return { id: row.id, alertsForMailing };
  });
}

/** The alerts, newest first, optionally for one mailing. */
export async function listSenderAlerts(
  db: Executor,
  filter: { mailingId?: string; limit?: number } = {},
): Promise<SenderAlertRow[]> {
  let query = db
    .selectFrom('sender_alert')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(filter.limit ?? 200, 1), 1000));
  if (filter.mailingId !== undefined) query = query.where('mailing_id', '=', filter.mailingId);
  return query.execute();
}
