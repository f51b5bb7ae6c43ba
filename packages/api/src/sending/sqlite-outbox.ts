import type { OutboxStore } from '@consent-mailer/mailer';
import {
  claimDeliveries, countDeliveries, getMailing, heartbeatMailingWorker, markDeliveryHandedOver, nextDeferredAttempt,
  recentSendTimes, recordDeliveryOutcome, releaseDeliveries, setMailingStatus, type Executor,
} from '@consent-mailer/store';

/**
 * The mailer's outbox on the store's SQLite tables. Every call commits before it returns (better-sqlite3 in
 * WAL mode), which is what the crash-safety guarantee of the mailer README rests on.
 *
 * @example
 * const outbox = createSqliteOutbox(ctx.store.db, { smtpProfileId: profile.id, workerId, clock: ctx.clock });
 */
export function createSqliteOutbox(
  db: Executor,
  options: { smtpProfileId: string; workerId: string; clock: () => Date },
): OutboxStore {
  const now = () => options.clock().toISOString();
  return {
    async control(mailingId) {
      const mailing = await getMailing(db, mailingId);
      // The heartbeat rides on the per-batch control read: a live worker is seen as live.
      await heartbeatMailingWorker(db, mailingId, options.workerId, now());
      if (mailing.status === 'PAUSED') return 'PAUSED';
      if (mailing.status === 'CANCELLED') return 'CANCELLED';
      return 'RUN';
    },
    async claimBatch(input) {
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
    markHandedOver: (id, messageId, at) => markDeliveryHandedOver(db, id, messageId, at),
    recordResult: (id, result, at) => recordDeliveryOutcome(db, id, result, at),
    release: (ids) => releaseDeliveries(db, ids, now()),
    nextAttemptAt: (mailingId) => nextDeferredAttempt(db, mailingId),
    recentSendTimes: (_mailingId, since) => recentSendTimes(db, options.smtpProfileId, since),
    stop: (mailingId, error) => setMailingStatus(db, mailingId, 'PAUSED', now(), error),
    async finish(mailingId, at) {
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
    async progress(mailingId) {
      const counts = await countDeliveries(db, mailingId);
      return { done: counts.SENT + counts.FAILED + counts.SKIPPED + counts.CANCELLED, total: counts.total };
    },
  };
}
