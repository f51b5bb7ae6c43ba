import { classifyDeliveryStatus, findEnhancedStatus, type OutboxStore } from '@consent-mailer/mailer';
import {
  createSqliteOutbox as storeOutbox,
  deliveriesById,
  recordSenderAlert,
  type Store,
} from '@consent-mailer/store';

/**
 * The mailer's outbox on the store's SQLite tables. The store implements the mailer's `OutboxStore`
 * structurally (it may not import the mailer); this line is where the compiler checks that they match.
 * A live SMTP reply that refuses the sender (5.7.26 DMARC, a blocklisted IP) also becomes a sender alert,
 * as the same reply arriving later as a bounce in the intake mailbox does (issue 16: one table, both paths).
 *
 * @example
 * const outbox = createSqliteOutbox(ctx.store, { smtpProfileId: profile.id, workerId, clock: ctx.clock });
 */
export function createSqliteOutbox(
  store: Store,
  options: { smtpProfileId: string; workerId: string; clock: () => Date },
): OutboxStore {
  const outbox: OutboxStore = storeOutbox(store.db, { ...options, sqlite: store.sqlite });
  return {
    ...outbox,
    async recordResults(items, at) {
      await outbox.recordResults(items, at);
      const refused = items.filter((i) => i.result.kind === 'FAILED' && i.result.reason === 'SENDER_REFUSED');
      if (refused.length === 0) return;
      const rows = await deliveriesById(
        store.db,
        refused.map((i) => i.id),
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const item of refused) {
        const reply = item.result.reply ?? '';
        const status = findEnhancedStatus(reply) ?? null;
        const row = byId.get(item.id);
        await recordSenderAlert(
          store.db,
          {
            mailingId: row?.mailing_id ?? null,
            deliveryId: item.id,
            source: 'SMTP',
            category: classifyDeliveryStatus({
              status: status ?? undefined,
              smtpCode: item.result.code,
              diagnostic: reply,
            }).category,
            status,
            diagnostic: reply,
            recipientDomain: row?.email?.split('@')[1]?.toLowerCase() ?? null,
            receivedAt: at,
          },
          at,
        );
      }
    },
  };
}
