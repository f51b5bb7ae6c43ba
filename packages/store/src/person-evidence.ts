// Everything the store holds about one person, for a proof bundle (the api packs and signs it).
import { UserError } from '@consent-mailer/policy';
import type BetterSqlite3 from 'better-sqlite3';
import type { ChainAnchor } from './chain-anchor.js';
import type { ConsentTextVersionRow } from './consent-text-version.table.js';
import { getContactByEmail, getContactHistory, type ContactDetail } from './contact-queries.js';
import type { EventRow } from './event.table.js';
import { eventsBetween } from './event-queries.js';
import type { Executor } from './event-log.js';
import { rowCommitment, type RowCommitment } from './row-commitment.js';
import type { SenderEntityRow } from './sender-entity.table.js';

/** One mailing the person got (or that was meant for them), from its delivery row. */
export interface PersonDelivery {
  deliveryId: number;
  mailingId: string;
  mailingName: string;
  subject: string;
  content: string;
  state: string;
  sentAt: string | null;
  smtpCode: number | null;
  smtpReply: string | null;
  messageId: string | null;
  classification: string | null;
  acknowledgementId: string | null;
  senderEntityId: string;
}

/** A complaint recorded about the person's address. */
export interface PersonComplaint {
  id: number;
  source: string;
  receivedAt: string;
  mailingId: string | null;
  deliveryId: number | null;
  reference: string | null;
}

/** Everything the store holds about one person that goes into the proof bundle. */
export interface PersonEvidence {
  detail: ContactDetail;
  entities: SenderEntityRow[];
  texts: ConsentTextVersionRow[];
  deliveries: PersonDelivery[];
  complaints: PersonComplaint[];
  suppressions: { id: number; reason: string; source: string; createdAt: string }[];
  /** The events about the person (sequence numbers), oldest first. */
  personEvents: number[];
  /** The chain from the first event about the person up to the anchored head, as stored. */
  segment: EventRow[];
  /** The personal payloads of the person's events that are still held (erased ones are absent). */
  personal: Record<string, unknown>;
  /** Inclusion proofs of the person's rows (contact, consents, suppressions, deliveries). */
  rows: RowCommitment[];
}

/**
 * Collects the evidence about the contact with this address, up to the anchored head `anchor`.
 *
 * @throws {UserError} `PROOF_CONTACT_UNKNOWN` when there is no contact with that address.
 */
export async function collectPersonEvidence(
  db: Executor,
  sqlite: BetterSqlite3.Database,
  email: string,
  anchor: ChainAnchor,
): Promise<PersonEvidence> {
  const detail = await getContactByEmail(db, email);
  if (detail === null) {
    throw new UserError('PROOF_CONTACT_UNKNOWN', {
      en: `There is no contact with the address ${email}. Check the spelling, or look the person up in the contact list.`,
      nl: `Er is geen contact met het adres ${email}. Controleer de spelling, of zoek de persoon op in de contactenlijst.`,
    });
  }
  const { contact, consents } = detail;
  const entityIds = [...new Set(consents.map((consent) => consent.sender_entity_id))];
  const entities =
    entityIds.length === 0
      ? []
      : await db.selectFrom('sender_entity').selectAll().where('id', 'in', entityIds).execute();
  const textIds = [
    ...new Set(
      consents.flatMap((consent) =>
        [consent.consent_text_version_id, consent.collection_text_version_id].filter(
          (id): id is string => id !== null,
        ),
      ),
    ),
  ];
  const texts =
    textIds.length === 0
      ? []
      : await db
          .selectFrom('consent_text_version')
          .selectAll()
          .where('id', 'in', textIds)
          .orderBy('id')
          .execute();
  const deliveryRows = await db
    .selectFrom('delivery')
    .innerJoin('mailing', 'mailing.id', 'delivery.mailing_id')
    .select([
      'delivery.id as deliveryId',
      'delivery.mailing_id as mailingId',
      'mailing.name as mailingName',
      'mailing.subject as subject',
      'mailing.content as content',
      'mailing.sender_entity_id as senderEntityId',
      'delivery.state as state',
      'delivery.sent_at as sentAt',
      'delivery.smtp_code as smtpCode',
      'delivery.smtp_reply as smtpReply',
      'delivery.message_id as messageId',
      'delivery.classification as classification',
      'delivery.acknowledgement_id as acknowledgementId',
    ])
    .where('delivery.address_hash', '=', contact.address_hash)
    .orderBy('delivery.id')
    .execute();
  const complaints = await db
    .selectFrom('complaint')
    .select([
      'id',
      'source',
      'received_at as receivedAt',
      'mailing_id as mailingId',
      'delivery_id as deliveryId',
      'reference',
    ])
    .where('address_hash', '=', contact.address_hash)
    .orderBy('id')
    .execute();
  const suppressions = await db
    .selectFrom('suppression')
    .select(['id', 'reason', 'source', 'created_at as createdAt'])
    .where('address_hash', '=', contact.address_hash)
    .orderBy('id')
    .execute();

  // The person's rows and where the chain committed them.
  const rowKeys: [string, number][] = [
    ['contact', contact.id],
    ...consents.map((consent): [string, number] => ['consent', consent.id]),
    ...suppressions.map((row): [string, number] => ['suppression', row.id]),
    ...deliveryRows.map((row): [string, number] => ['delivery', row.deliveryId]),
  ];
  const rows = rowKeys
    .map(([table, id]) => rowCommitment(sqlite, table, id, anchor.seq))
    .filter((proof): proof is RowCommitment => proof !== undefined);

  // The person's events: their history (contact, consents, import batch, personal payloads), the events
  // that committed their rows, and the complaints about them.
  const history = await getContactHistory(db, detail);
  const complaintIds = complaints.map((row) => String(row.id));
  const complaintEvents =
    complaintIds.length === 0
      ? []
      : await db
          .selectFrom('event')
          .select('seq')
          .where('entity', '=', 'complaint')
          .where('entity_id', 'in', complaintIds)
          .execute();
  const personEvents = [
    ...new Set([
      ...history.map((entry) => entry.seq),
      ...rows.map((proof) => proof.eventSeq),
      ...complaintEvents.map((row) => row.seq),
    ]),
  ]
    .filter((seq) => seq <= anchor.seq)
    .sort((a, b) => a - b);
  const from = personEvents[0] ?? anchor.seq;
  const segment = await eventsBetween(db, from, anchor.seq);
  const personalRows =
    personEvents.length === 0
      ? []
      : await db
          .selectFrom('event_personal')
          .select(['event_seq', 'payload'])
          .where('event_seq', 'in', personEvents)
          // Only the person's own payloads: an import batch's event may hold others'.
          .where('subject_hash', '=', contact.address_hash)
          .execute();
  const personal = Object.fromEntries(
    personalRows.map((row) => [String(row.event_seq), JSON.parse(row.payload) as unknown]),
  );
  return {
    detail,
    entities,
    texts,
    deliveries: deliveryRows,
    complaints,
    suppressions,
    personEvents,
    segment,
    personal,
    rows,
  };
}

/**
 * The opt-in services' feed events about a person: those linked to the contact, and those carrying the
 * address hash (an event pulled before the contact existed, or after it was erased), per service in feed
 * order.
 *
 * @example
 * const rows = await optinEventsAbout(db, { id: contact.id, address_hash: contact.address_hash });
 */
export async function optinEventsAbout(db: Executor, contact: { id: number; address_hash: string }) {
  return db
    .selectFrom('optin_event')
    .innerJoin('optin_service', 'optin_service.id', 'optin_event.service_id')
    .select([
      'optin_event.seq',
      'optin_event.event_id',
      'optin_event.type',
      'optin_event.at',
      'optin_event.data',
      'optin_event.signature',
      'optin_service.id as service_id',
      'optin_service.url',
      'optin_service.key_fingerprint',
      'optin_service.public_key',
    ])
    .where((eb) =>
      eb.or([
        eb('optin_event.contact_id', '=', contact.id),
        eb(
          eb.fn<string>('json_extract', [eb.ref('optin_event.data'), eb.val('$.emailHash')]),
          '=',
          contact.address_hash,
        ),
      ]),
    )
    .orderBy('optin_event.service_id')
    .orderBy('optin_event.seq')
    .execute();
}

/** One signed feed event of an opt-in service about a person, with the service whose key signed it. */
export type PersonOptinEventRow = Awaited<ReturnType<typeof optinEventsAbout>>[number];
