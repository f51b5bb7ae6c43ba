// Acknowledgements (the signed risk transfers) with their covered recipients and events, and the facts the
// M10/M13 rules read about earlier mailings and abuse notices.
import {
  ABUSE_NOTICE_SOURCES,
  COMPLAINT_SOURCES,
  type AbuseNoticeSource,
  type ComplaintSource,
} from '@consent-mailer/policy';
import type {
  AcknowledgementRecipientRow,
  NewAcknowledgementRecipientRow,
} from './acknowledgement-recipient.table.js';
import type { AcknowledgementRow, NewAcknowledgementRow } from './acknowledgement.table.js';
import type { EventRow } from './event.table.js';
import { appendEvent, type Executor, type JsonValue } from './event-log.js';
import { mailingComplaintRate, type MailingComplaintRate } from './mailing-complaint-rate.js';

/**
 * Complaint sources that count as an abuse notice for M13: the policy's list (spamklacht.nl, ACM, the hoster,
 * the datacenter) as far as a complaint row can hold it, so the store never decides on its own which
 * complaints lapse an acknowledgement.
 */
export const ABUSE_NOTICE_COMPLAINT_SOURCES = ABUSE_NOTICE_SOURCES.filter(
  (source): source is AbuseNoticeSource & ComplaintSource =>
    (COMPLAINT_SOURCES as readonly string[]).includes(source),
);

const isAbuseNoticeSource = (source: string): source is AbuseNoticeSource =>
  (ABUSE_NOTICE_SOURCES as readonly string[]).includes(source);

/** The event types this repository writes. */
export const ACKNOWLEDGEMENT_EVENT_TYPES = {
  signed: 'acknowledgement.signed',
  lapsed: 'acknowledgement.lapsed',
} as const;

// better-sqlite3 limits bound parameters per statement; 4 columns a row keeps a chunk well under it.
const RECIPIENT_CHUNK = 200;

/**
 * Records a signed acknowledgement, the recipients it covers and its `acknowledgement.signed` event in one
 * transaction: all of it is written, or none. `eventData` holds the non-personal facts the chain keeps
 * (document hash, signature, key fingerprint); never names or addresses.
 *
 * @example
 * const { seq, hash } = await insertAcknowledgement(store.db, row, recipients, { documentSha256, signature });
 */
export async function insertAcknowledgement(
  db: Executor,
  row: NewAcknowledgementRow,
  recipients: readonly Omit<NewAcknowledgementRecipientRow, 'acknowledgement_id'>[],
  eventData: Record<string, JsonValue | undefined>,
): Promise<{ seq: number; hash: string }> {
  const write = async (trx: Executor) => {
    await trx.insertInto('acknowledgement').values(row).execute();
    for (let start = 0; start < recipients.length; start += RECIPIENT_CHUNK) {
      const chunk = recipients
        .slice(start, start + RECIPIENT_CHUNK)
        .map((recipient) => ({ ...recipient, acknowledgement_id: row.id }));
      await trx.insertInto('acknowledgement_recipient').values(chunk).execute();
    }
    return appendEvent(trx, {
      type: ACKNOWLEDGEMENT_EVENT_TYPES.signed,
      entity: 'acknowledgement',
      entityId: row.id,
      data: { mailingId: row.mailing_id, ...eventData },
      at: row.signed_at,
    });
  };
  return db.isTransaction ? write(db) : db.transaction().execute(write);
}

/**
 * Records that an acknowledgement lapsed (M10, M13, M14) with its event; a second call keeps the first
 * record. `reason` starts with the rule id, e.g. "M13 abuse notice (SPAMKLACHT) received …".
 *
 * @example
 * await markAcknowledgementLapsed(store.db, id, { at: now, reason: 'M14 sending IP on a blocklist' });
 */
export async function markAcknowledgementLapsed(
  db: Executor,
  id: string,
  lapse: { at: string; reason: string },
): Promise<boolean> {
  const write = async (trx: Executor) => {
    const result = await trx
      .updateTable('acknowledgement')
      .set({ lapsed_at: lapse.at, lapse_reason: lapse.reason })
      .where('id', '=', id)
      .where('lapsed_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await appendEvent(trx, {
      type: ACKNOWLEDGEMENT_EVENT_TYPES.lapsed,
      entity: 'acknowledgement',
      entityId: id,
      data: { rule: lapse.reason.split(' ', 1)[0] ?? '', reason: lapse.reason },
      at: lapse.at,
    });
    return true;
  };
  return db.isTransaction ? write(db) : db.transaction().execute(write);
}

/**
 * The recipients an acknowledgement covers, by address hash.
 *
 * @example
 * const covered = await findAcknowledgementRecipients(store.db, id);
 */
export async function findAcknowledgementRecipients(
  db: Executor,
  id: string,
): Promise<AcknowledgementRecipientRow[]> {
  return db
    .selectFrom('acknowledgement_recipient')
    .selectAll()
    .where('acknowledgement_id', '=', id)
    .orderBy('address_hash')
    .execute();
}

/** What happened to one covered recipient under an acknowledgement (the accountant's review). */
export interface CoveredRecipientHistory {
  addressHash: string;
  /** The address while the contact exists; null once it was erased (only the hash remains). */
  email: string | null;
  method: string;
  reasons: string[];
  delivery: { state: string; sentAt: string | null; smtpCode: number | null } | undefined;
  bounces: { kind: string; status: string | null; receivedAt: string }[];
  complaints: { source: string; receivedAt: string }[];
  /** Suppressions recorded for the address after signing (unsubscribes, objections …). */
  suppressions: { reason: string; source: string; at: string }[];
}

/**
 * Every covered recipient with its delivery of the acknowledgement's mailing, and the bounces,
 * complaints and suppressions (unsubscribes) recorded for it since signing. Read from the outbox and
 * feedback tables the mailer fills.
 *
 * @example
 * const history = await findCoveredRecipientHistory(store.db, row);
 * history.filter((item) => item.complaints.length > 0).length; // complaints under this signature
 */
export async function findCoveredRecipientHistory(
  db: Executor,
  acknowledgement: Pick<AcknowledgementRow, 'id' | 'mailing_id' | 'signed_at'>,
): Promise<CoveredRecipientHistory[]> {
  const covered = await findAcknowledgementRecipients(db, acknowledgement.id);
  const byHash = new Map<string, CoveredRecipientHistory>();
  for (const row of covered) {
    byHash.set(row.address_hash, {
      addressHash: row.address_hash,
      email: null,
      method: row.method,
      reasons: parseReasons(row.reasons),
      delivery: undefined,
      bounces: [],
      complaints: [],
      suppressions: [],
    });
  }
  if (byHash.size === 0) return [];
  const deliveries = await db
    .selectFrom('delivery')
    .select(['address_hash', 'state', 'sent_at', 'smtp_code'])
    .where('mailing_id', '=', acknowledgement.mailing_id)
    .execute();
  for (const delivery of deliveries) {
    const item = byHash.get(delivery.address_hash);
    if (item)
      item.delivery = { state: delivery.state, sentAt: delivery.sent_at, smtpCode: delivery.smtp_code };
  }
  const bounces = await db
    .selectFrom('bounce')
    .select(['address_hash', 'kind', 'status', 'received_at'])
    .where('mailing_id', '=', acknowledgement.mailing_id)
    .execute();
  for (const bounce of bounces) {
    byHash
      .get(bounce.address_hash)
      ?.bounces.push({ kind: bounce.kind, status: bounce.status, receivedAt: bounce.received_at });
  }
  const complaints = await db
    .selectFrom('complaint')
    .select(['address_hash', 'source', 'received_at'])
    .where('mailing_id', '=', acknowledgement.mailing_id)
    .execute();
  for (const complaint of complaints) {
    if (complaint.address_hash === null) continue;
    byHash
      .get(complaint.address_hash)
      ?.complaints.push({ source: complaint.source, receivedAt: complaint.received_at });
  }
  const signedAt = Date.parse(acknowledgement.signed_at);
  const hashes = [...byHash.keys()];
  for (let start = 0; start < hashes.length; start += RECIPIENT_CHUNK * 4) {
    const suppressions = await db
      .selectFrom('suppression')
      .select(['address_hash', 'reason', 'source', 'created_at'])
      .where('address_hash', 'in', hashes.slice(start, start + RECIPIENT_CHUNK * 4))
      .execute();
    const contacts = await db
      .selectFrom('contact')
      .select(['address_hash', 'email'])
      .where('address_hash', 'in', hashes.slice(start, start + RECIPIENT_CHUNK * 4))
      .execute();
    for (const contact of contacts) {
      const item = byHash.get(contact.address_hash);
      if (item) item.email = contact.email;
    }
    for (const suppression of suppressions) {
      if (!(Date.parse(suppression.created_at) >= signedAt)) continue;
      byHash.get(suppression.address_hash)?.suppressions.push({
        reason: suppression.reason,
        source: suppression.source,
        at: suppression.created_at,
      });
    }
  }
  return [...byHash.values()];
}

/**
 * The events about an acknowledgement, its mailing, and that mailing's deliveries from signing on, in
 * chain order, at most `limit`: the excerpt of the chain an evidence bundle carries.
 *
 * @example
 * const events = await findAcknowledgementEvents(store.db, row, { limit: 5000 });
 */
export async function findAcknowledgementEvents(
  db: Executor,
  acknowledgement: Pick<AcknowledgementRow, 'id' | 'mailing_id'>,
  options: { limit?: number } = {},
): Promise<EventRow[]> {
  const signed = await db
    .selectFrom('event')
    .select('seq')
    .where('entity', '=', 'acknowledgement')
    .where('entity_id', '=', acknowledgement.id)
    .where('type', '=', ACKNOWLEDGEMENT_EVENT_TYPES.signed)
    .executeTakeFirst();
  if (!signed) return [];
  const deliveryIds = db
    .selectFrom('delivery')
    .select((eb) => eb.cast<string>('id', 'text').as('id'))
    .where('mailing_id', '=', acknowledgement.mailing_id);
  return db
    .selectFrom('event')
    .selectAll()
    .where('seq', '>=', signed.seq)
    .where((eb) =>
      eb.or([
        eb.and([eb('entity', '=', 'acknowledgement'), eb('entity_id', '=', acknowledgement.id)]),
        eb.and([eb('entity', '=', 'mailing'), eb('entity_id', '=', acknowledgement.mailing_id)]),
        eb.and([eb('entity', '=', 'delivery'), eb('entity_id', 'in', deliveryIds)]),
      ]),
    )
    .orderBy('seq')
    .limit(options.limit ?? 5000)
    .execute();
}

function parseReasons(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * The public key (PEM) the database's first acknowledgement was signed with; undefined when nothing was
 * signed yet (a host makes a new installation key only then).
 *
 * @example
 * const pem = await firstAcknowledgementPublicKey(store.db);
 */
export async function firstAcknowledgementPublicKey(db: Executor): Promise<string | undefined> {
  const row = await db.selectFrom('acknowledgement').select('public_key').limit(1).executeTakeFirst();
  return row?.public_key;
}

/**
 * One acknowledgement by id.
 *
 * @example
 * const row = await findAcknowledgementById(store.db, 'ack-1');
 */
export async function findAcknowledgementById(
  db: Executor,
  id: string,
): Promise<AcknowledgementRow | undefined> {
  return db.selectFrom('acknowledgement').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The acknowledgements signed for a mailing, newest first.
 *
 * @example
 * const rows = await findAcknowledgementsByMailing(store.db, mailingId);
 */
export async function findAcknowledgementsByMailing(
  db: Executor,
  mailingId: string,
): Promise<AcknowledgementRow[]> {
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
export async function listAcknowledgements(
  db: Executor,
  filter: AcknowledgementFilter = {},
): Promise<AcknowledgementRow[]> {
  let query = db.selectFrom('acknowledgement').selectAll();
  if (filter.from !== undefined) query = query.where('signed_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('signed_at', '<', filter.to);
  if (filter.senderEntityId !== undefined)
    query = query.where('sender_entity_id', '=', filter.senderEntityId);
  if (filter.mailingId !== undefined) query = query.where('mailing_id', '=', filter.mailingId);
  if (filter.signer !== undefined && filter.signer !== '') {
    // instr on lower() instead of LIKE: a % or _ in the name must not act as a wildcard.
    const needle = filter.signer.toLowerCase();
    query = query.where((eb) =>
      eb(eb.fn('instr', [eb.fn('lower', ['signer_name']), eb.val(needle)]), '>', 0),
    );
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
  db: Executor,
  options: { mailingId: string; senderEntityId: string },
): Promise<({ mailingId: string } & MailingComplaintRate) | undefined> {
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
  return { mailingId: previous.id, ...(await mailingComplaintRate(db, previous.id)) };
}

/**
 * The latest abuse notice (M13: spamklacht.nl, hoster, datacenter) received after `since` about the
 * sender entity's mail, or not tied to any mailing (a notice about the server hits every sender on it).
 *
 * @example
 * const notice = await findLatestAbuseNoticeSince(store.db, { senderEntityId, since: row.signed_at });
 */
export async function findLatestAbuseNoticeSince(
  db: Executor,
  options: { senderEntityId: string; since: string },
): Promise<{ receivedAt: string; source: AbuseNoticeSource } | undefined> {
  // Abuse notices are rare, and their times come from outside (a notice's own date): compare instants in
  // code rather than strings in SQL, so "2026-03-01T10:00:00+01:00" and "…Z" forms compare correctly.
  const rows = await db
    .selectFrom('complaint')
    .leftJoin('mailing', 'mailing.id', 'complaint.mailing_id')
    .select(['complaint.received_at as receivedAt', 'complaint.source as source'])
    .where('complaint.source', 'in', ABUSE_NOTICE_COMPLAINT_SOURCES)
    .where((eb) =>
      eb.or([
        eb('complaint.mailing_id', 'is', null),
        eb('mailing.sender_entity_id', '=', options.senderEntityId),
      ]),
    )
    .execute();
  const since = Date.parse(options.since);
  let latest: { receivedAt: string; source: AbuseNoticeSource } | undefined;
  for (const { receivedAt, source } of rows) {
    const at = Date.parse(receivedAt);
    if (!(at > since) || !isAbuseNoticeSource(source)) continue;
    if (latest === undefined || at > Date.parse(latest.receivedAt)) latest = { receivedAt, source };
  }
  return latest;
}
