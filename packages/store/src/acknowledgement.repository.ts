import type { Kysely, Transaction } from 'kysely';
import type { AcknowledgementRow } from './acknowledgement.table.js';
import type { Database } from './database.js';

/** A database handle or an open transaction: every function here works inside a caller's transaction. */
export type AcknowledgementDb = Kysely<Database> | Transaction<Database>;

/** Complaint sources that count as an abuse notice for M13 (spamklacht.nl / ACM, the hoster, the datacenter). */
export const ABUSE_NOTICE_COMPLAINT_SOURCES = ['SPAMKLACHT', 'HOSTER', 'DATACENTER'] as const;

/**
 * One acknowledgement by id.
 *
 * @example
 * const row = await findAcknowledgementById(store.db, 'ack-1');
 */
export async function findAcknowledgementById(db: AcknowledgementDb, id: string): Promise<AcknowledgementRow | undefined> {
  return db.selectFrom('acknowledgement').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The acknowledgements signed for a mailing, newest first.
 *
 * @example
 * const rows = await findAcknowledgementsByMailing(store.db, mailingId);
 */
export async function findAcknowledgementsByMailing(db: AcknowledgementDb, mailingId: string): Promise<AcknowledgementRow[]> {
  return db
    .selectFrom('acknowledgement')
    .selectAll()
    .where('mailing_id', '=', mailingId)
    .orderBy('signed_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Filters of the accountant's review; every one optional, combined with AND. */
export interface AcknowledgementFilter {
  /** Signed at or after this instant (ISO-8601). */
  from?: string;
  /** Signed before this instant (ISO-8601, exclusive). */
  to?: string;
  senderEntityId?: string;
  /** Part of the signer's name, case-insensitive. */
  signer?: string;
  mailingId?: string;
}

/**
 * Acknowledgements matching a filter, oldest first (the order of a year's file).
 *
 * @example
 * const rows = await listAcknowledgements(store.db, { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' });
 */
export async function listAcknowledgements(db: AcknowledgementDb, filter: AcknowledgementFilter = {}): Promise<AcknowledgementRow[]> {
  let query = db.selectFrom('acknowledgement').selectAll();
  if (filter.from !== undefined) query = query.where('signed_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('signed_at', '<', filter.to);
  if (filter.senderEntityId !== undefined) query = query.where('sender_entity_id', '=', filter.senderEntityId);
  if (filter.mailingId !== undefined) query = query.where('mailing_id', '=', filter.mailingId);
  if (filter.signer !== undefined && filter.signer !== '') {
    // instr on lower() instead of LIKE: a % or _ in the name must not act as a wildcard.
    const needle = filter.signer.toLowerCase();
    query = query.where((eb) => eb(eb.fn('instr', [eb.fn('lower', ['signer_name']), eb.val(needle)]), '>', 0));
  }
  return query.orderBy('signed_at', 'asc').orderBy('id', 'asc').execute();
}

/**
 * The complaint rate of the sender entity's latest marketing mailing other than `mailingId` that has
 * delivered mail (M10): complaints about it divided by its delivered messages. Undefined for a first mailing.
 *
 * @example
 * const previous = await findPreviousMarketingMailingRates(store.db, { mailingId, senderEntityId });
 * if (previous && previous.complaintRate >= 0.003) console.log('M10');
 */
export async function findPreviousMarketingMailingRates(
  db: AcknowledgementDb,
  options: { mailingId: string; senderEntityId: string },
): Promise<{ mailingId: string; delivered: number; complaints: number; complaintRate: number } | undefined> {
  const previous = await db
    .selectFrom('mailing')
    .innerJoin('delivery', 'delivery.mailing_id', 'mailing.id')
    .select(['mailing.id as id'])
    .select((eb) => eb.fn.max('delivery.sent_at').as('last_sent_at'))
    .where('mailing.sender_entity_id', '=', options.senderEntityId)
    .where('mailing.id', '!=', options.mailingId)
    .where('mailing.content', 'in', ['MARKETING', 'MIXED'])
    .where('delivery.state', '=', 'SENT')
    .groupBy('mailing.id')
    .orderBy('last_sent_at', 'desc')
    .orderBy('mailing.id', 'desc')
    .executeTakeFirst();
  if (!previous) return undefined;
  const delivered = await db
    .selectFrom('delivery')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('mailing_id', '=', previous.id)
    .where('state', '=', 'SENT')
    .executeTakeFirstOrThrow();
  const complaints = await db
    .selectFrom('complaint')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('mailing_id', '=', previous.id)
    .executeTakeFirstOrThrow();
  const sent = Number(delivered.n);
  const complained = Number(complaints.n);
  return { mailingId: previous.id, delivered: sent, complaints: complained, complaintRate: sent === 0 ? 0 : complained / sent };
}

/**
 * The latest abuse notice (M13: spamklacht.nl, hoster, datacenter) received after `since` about the
 * sender entity's mail, or not tied to any mailing (a notice about the server hits every sender on it).
 *
 * @example
 * const notice = await findLatestAbuseNoticeSince(store.db, { senderEntityId, since: row.signed_at });
 */
export async function findLatestAbuseNoticeSince(
  db: AcknowledgementDb,
  options: { senderEntityId: string; since: string },
): Promise<{ receivedAt: string; source: string } | undefined> {
  // Abuse notices are rare, and their times come from outside (a notice's own date): compare instants in
  // code rather than strings in SQL, so "2026-03-01T10:00:00+01:00" and "…Z" forms compare correctly.
  const rows = await db
    .selectFrom('complaint')
    .leftJoin('mailing', 'mailing.id', 'complaint.mailing_id')
    .select(['complaint.received_at as receivedAt', 'complaint.source as source'])
    .where('complaint.source', 'in', [...ABUSE_NOTICE_COMPLAINT_SOURCES])
    .where((eb) =>
      eb.or([eb('complaint.mailing_id', 'is', null), eb('mailing.sender_entity_id', '=', options.senderEntityId)]),
    )
    .execute();
  const since = Date.parse(options.since);
  let latest: { receivedAt: string; source: string } | undefined;
  for (const row of rows) {
    const at = Date.parse(row.receivedAt);
    if (!(at > since)) continue;
    if (latest === undefined || at > Date.parse(latest.receivedAt)) latest = row;
  }
  return latest;
}
