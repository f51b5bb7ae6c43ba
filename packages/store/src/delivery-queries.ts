// Reading deliveries: counts per state, the next retry, send times for pacing, earlier marketing mail,
// and the delivery a returned message belongs to.
import { sql } from 'kysely';
import { lookupHashes } from './address-identity.js';
import type { DeliveryRow, DeliveryState } from './delivery.table.js';
import { type Executor } from './event-log.js';
import { inChunks } from './sql-batch.js';
import './sending-columns.js';

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
 * The messages an SMTP profile handed over successfully since `since`, oldest first: the address (null once
 * erased) and when.
 * The per-provider pacing starts its windows from these, so a restart does not begin each count at zero.
 *
 * @example
 * const sends = await recentSends(db, profile.id, new Date(Date.now() - 86_400_000).toISOString());
 */
export async function recentSends(
  db: Executor,
  smtpProfileId: string,
  since: string,
): Promise<{ email: string | null; sentAt: string }[]> {
  const rows = await db
    .selectFrom('delivery')
    .innerJoin('mailing', 'mailing.id', 'delivery.mailing_id')
    .select(['delivery.email', 'delivery.sent_at'])
    .where('mailing.smtp_profile_id', '=', smtpProfileId)
    .where('delivery.state', '=', 'SENT')
    .where('delivery.sent_at', '>=', since)
    .orderBy('delivery.sent_at')
    .execute();
  return rows.flatMap((row) => (row.sent_at === null ? [] : [{ email: row.email, sentAt: row.sent_at }]));
}

/**
 * Send times since `since` of every delivery that went out through an SMTP profile (all mailings), for the
 * profile's per-minute/hour/day limits.
 *
 * @example
 * const times = await recentSendTimes(db, profileId, since);
 */
export async function recentSendTimes(db: Executor, smtpProfileId: string, since: string): Promise<string[]> {
  return (await recentSends(db, smtpProfileId, since)).map((send) => send.sentAt);
}

/**
 * Mailing and address of deliveries by id (a reply that refused the sender becomes an alert naming both).
 *
 * @example
 * const rows = await deliveriesById(db, [12, 13]); // [{ id: 12, mailing_id: 'm1', email: 'jan@example.nl' }, …]
 */
export async function deliveriesById(
  db: Executor,
  ids: readonly number[],
): Promise<{ id: number; mailing_id: string; email: string | null }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('delivery').select(['id', 'mailing_id', 'email']).where('id', 'in', ids).execute();
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
