// The mailer's OutboxStore on this store's SQLite file.
import type BetterSqlite3 from 'better-sqlite3';
import { type Executor } from './event-log.js';
import { getMailing, heartbeatMailingWorker, setMailingStatus } from './mailing.repository.js';
import { statementsFor } from './delivery-statements.js';
import { claimDeliveries, markDeliveriesHandedOver, releaseDeliveries } from './delivery-queue.js';
import { recordDeliveryOutcomes, type DeliveryOutcome } from './delivery-outcomes.js';
import { nextDeferredAttempt, recentSendTimes, countDeliveries } from './delivery-queries.js';

// Well inside the api's 120 s staleness limit.
const HEARTBEAT_EVERY_MS = 5_000;

/**
 * A recipient's merge fields ({{firstName}}, {{fullName}} …) from the contact's columns: one mapping for the
 * real send and for the preview, so the preview shows what the recipient will get. Absent stays undefined.
 *
 * @example
 * mergeFields({ email: 'jan@example.nl', firstName: 'Jan', lastName: null, organisation: null }).fullName; // 'Jan'
 */
export function mergeFields(contact: {
  email: string;
  firstName: string | null;
  lastName: string | null;
  organisation: string | null;
}): { firstName?: string; lastName?: string; fullName?: string; email: string; organisation?: string } {
  return {
    firstName: contact.firstName ?? undefined,
    lastName: contact.lastName ?? undefined,
    fullName: [contact.firstName, contact.lastName].filter(Boolean).join(' ') || undefined,
    email: contact.email,
    organisation: contact.organisation ?? undefined,
  };
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
            merge: mergeFields(d),
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
