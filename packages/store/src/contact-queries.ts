// Reading contacts for the screens and the CLI: one contact, pages of the list, counts, the history.
import {
  normalizeEmailAddress,
  type AddressKind,
  type Classification,
  type ConsentMethod,
  type ContactRecord,
  type RecipientKind,
} from '@consent-mailer/policy';
import { sql } from 'kysely';
import { lookupHashes } from './address-identity.js';
import { inChunks } from './sql-batch.js';
import { toContactRecord } from './consent-evidence.js';
import { contactSearchCondition } from './contact-search.js';
import type { ConsentRow } from './consent.table.js';
import type { ContactRow } from './contact.table.js';
import { type Executor } from './event-log.js';
import { suppressionsAsEvidence } from './suppression.repository.js';

/**
 * The id of the contact with this address, whatever its case or the spelling it was stored under before
 * addresses had one identity; undefined when the address is not a contact.
 *
 * @example
 * const id = await findContactId(db, 'Jan@Example.NL');
 */
export async function findContactId(db: Executor, email: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('contact')
    .select('id')
    .where('address_hash', 'in', lookupHashes(email))
    .executeTakeFirst();
  return row?.id;
}

/**
 * The addresses of these contacts (who a message row or a count is about; those rows keep only ids).
 *
 * @example
 * const byId = new Map((await contactEmails(db, [3, 7])).map((c) => [c.id, c.email]));
 */
export async function contactEmails(
  db: Executor,
  ids: readonly number[],
): Promise<{ id: number; email: string }[]> {
  if (ids.length === 0) return [];
  const rows: { id: number; email: string }[] = [];
  for (const chunk of inChunks([...ids]))
    rows.push(...(await db.selectFrom('contact').select(['id', 'email']).where('id', 'in', chunk).execute()));
  return rows;
}

/**
 * Which of these (normalised) addresses are contacts already.
 *
 * @example
 * const known = await existingEmails(db, ['jan@example.nl', 'piet@example.nl']);
 */
export async function existingEmails(db: Executor, emails: readonly string[]): Promise<Set<string>> {
  const existing = new Set<string>();
  for (const chunk of inChunks([...emails], 500))
    for (const row of await db.selectFrom('contact').select('email').where('email', 'in', chunk).execute())
      existing.add(row.email);
  return existing;
}

/** A contact with its consents, as `getContact` returns it. */
export interface ContactDetail {
  contact: ContactRow;
  consents: ConsentRow[];
  /** The records the rules judge, one per consent (suppressions applied as status dates). */
  records: ContactRecord[];
  suppressions: { reason: string; source: string; createdAt: string }[];
  lists: string[];
}

/**
 * Finds a contact by address (normalised first) with its consents, records, suppressions and lists.
 * Returns null when there is none.
 *
 * @example
 * const detail = await getContactByEmail(db, 'jan@example.nl');
 */
export async function getContactByEmail(db: Executor, email: string): Promise<ContactDetail | null> {
  const normalized = normalizeEmailAddress(email);
  const contact = await db
    .selectFrom('contact')
    .selectAll()
    .where('email', '=', normalized)
    .executeTakeFirst();
  if (contact === undefined) return null;
  const consents = await db
    .selectFrom('consent')
    .selectAll()
    .where('contact_id', '=', contact.id)
    .orderBy('id')
    .execute();
  const suppressions = await db
    .selectFrom('suppression')
    .select(['reason', 'source', 'created_at'])
    .where('address_hash', '=', contact.address_hash)
    .orderBy('id')
    .execute();
  const lists = await db
    .selectFrom('list_membership')
    .select('list_id')
    .where('contact_id', '=', contact.id)
    .execute();
  const evidence = suppressionsAsEvidence(suppressions);
  return {
    contact,
    consents,
    records: consents.map((consent) => ({ ...toContactRecord(contact, consent), ...evidence })),
    suppressions: suppressions.map((row) => ({
      reason: row.reason,
      source: row.source,
      createdAt: row.created_at,
    })),
    lists: lists.map((row) => row.list_id),
  };
}

/** Filters of the contact list; all optional, combined with AND. */
export interface ContactListFilter {
  /** The class of the contact's latest assessment; `UNASSESSED` for contacts never assessed. */
  classification?: Classification | 'UNASSESSED';
  /** Has a consent recorded with this method. */
  method?: ConsentMethod;
  /** Is a member of this list. */
  listId?: string;
  /** Part of the address, first or last name or organisation (case-insensitive for ASCII). */
  search?: string;
}

/** One line of the contact list. */
export interface ContactSummary {
  id: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
  organisation: string | null;
  recipientKind: RecipientKind;
  addressKind: AddressKind;
  lastClassification: Classification | null;
  methods: ConsentMethod[];
}

/** A page of contacts and the cursor of the next page (null on the last page). */
export interface ContactPage {
  items: ContactSummary[];
  nextCursor: number | null;
}

/**
 * Lists contacts in id order with keyset pagination (`after` = the previous page's `nextCursor`), so page
 * 20,000 costs what page 1 costs. Two queries per page: the contacts, then their consent methods.
 *
 * @example
 * let page = await listContacts(db, { method: 'WEB_DOI', search: 'bakkerij' }, { limit: 50 });
 * page = await listContacts(db, { method: 'WEB_DOI', search: 'bakkerij' }, { limit: 50, after: page.nextCursor });
 */
export async function listContacts(
  db: Executor,
  filter: ContactListFilter,
  page: { limit?: number; after?: number | null } = {},
): Promise<ContactPage> {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 1000);
  let query = db.selectFrom('contact').selectAll('contact');
  // With a list, order and cursor run on the membership key (list_id, contact_id): SQLite then walks the
  // list's members in order and joins each contact, instead of walking all contacts and probing the list.
  const key = filter.listId === undefined ? 'contact.id' : 'list_membership.contact_id';
  if (filter.classification === 'UNASSESSED') query = query.where('contact.last_classification', 'is', null);
  else if (filter.classification !== undefined)
    query = query.where('contact.last_classification', '=', filter.classification);
  if (filter.method !== undefined) {
    const method = filter.method;
    // EXISTS probes consent_by_method_contact_id while contacts are walked in id order: a page stops
    // after `limit` hits instead of materialising every contact with that method first.
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('consent')
          .select(sql.lit(1).as('one'))
          .whereRef('consent.contact_id', '=', 'contact.id')
          .where('consent.method', '=', method),
      ),
    );
  }
  if (filter.listId !== undefined) {
    const listId = filter.listId;
    // A join lets SQLite walk the list's own (list_id, contact_id) key in order: fast for small and big lists.
    query = query.innerJoin('list_membership', (join) =>
      join.onRef('list_membership.contact_id', '=', 'contact.id').on('list_membership.list_id', '=', listId),
    );
  }
  if (page.after !== undefined && page.after !== null) query = query.where(sql.ref(key), '>', page.after);
  const search = filter.search?.trim();
  if (search !== undefined && search.length > 0) {
    // The trigram index for a rare term, LIKE for a common or short one (contact-search.ts).
    query = query.where(await contactSearchCondition(db, search));
  }
  const contacts = await query
    .orderBy(sql.ref(key))
    .limit(limit + 1)
    .execute();
  const pageRows = contacts.slice(0, limit);
  const methods = new Map<number, ConsentMethod[]>();
  if (pageRows.length > 0) {
    const consents = await db
      .selectFrom('consent')
      .select(['contact_id', 'method'])
      .where(
        'contact_id',
        'in',
        pageRows.map((contact) => contact.id),
      )
      .orderBy('id')
      .execute();
    for (const consent of consents)
      methods.set(consent.contact_id, [...(methods.get(consent.contact_id) ?? []), consent.method]);
  }
  return {
    items: pageRows.map((contact) => ({
      id: contact.id,
      email: contact.email,
      firstName: contact.first_name,
      lastName: contact.last_name,
      organisation: contact.organisation,
      recipientKind: contact.recipient_kind,
      addressKind: contact.address_kind,
      lastClassification: contact.last_classification,
      methods: methods.get(contact.id) ?? [],
    })),
    nextCursor: contacts.length > limit ? (pageRows.at(-1)?.id ?? null) : null,
  };
}

/**
 * Counts contacts (all, or by the stored class), for status screens.
 *
 * @example
 * const total = await countContacts(db);
 */
export async function countContacts(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('contact')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** One entry of a contact's history. */
export interface ContactHistoryEntry {
  seq: number;
  at: string;
  type: string;
  entity: string;
  entityId: string | null;
  data: unknown;
  /** The personal payload, while it has not been erased. */
  personal: unknown;
}

/**
 * The events about a contact and its consents (sign-up, changes, withdrawals), oldest first, with their
 * personal payloads: what a person or a regulator asks to see (docs/policy-rules.md section 7). Bulk imports
 * appear as the batch's `contacts.imported` event, found through the consent's import batch.
 *
 * @example
 * const history = await getContactHistory(db, detail);
 */
export async function getContactHistory(
  db: Executor,
  detail: Pick<ContactDetail, 'contact' | 'consents'>,
): Promise<ContactHistoryEntry[]> {
  const consentIds = detail.consents.map((consent) => String(consent.id));
  const batchIds = [
    ...new Set(
      detail.consents.flatMap((consent) =>
        consent.import_batch_id === null ? [] : [consent.import_batch_id],
      ),
    ),
  ];
  const rows = await db
    .selectFrom('event')
    .leftJoin('event_personal', 'event_personal.event_seq', 'event.seq')
    .select([
      'event.seq',
      'event.at',
      'event.type',
      'event.entity',
      'event.entity_id',
      'event.data',
      'event_personal.payload',
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb('event.entity', '=', 'contact'), eb('event.entity_id', '=', String(detail.contact.id))]),
        ...(consentIds.length > 0
          ? [eb.and([eb('event.entity', '=', 'consent'), eb('event.entity_id', 'in', consentIds)])]
          : []),
        ...(batchIds.length > 0
          ? [eb.and([eb('event.entity', '=', 'import_batch'), eb('event.entity_id', 'in', batchIds)])]
          : []),
        eb('event_personal.subject_hash', '=', detail.contact.address_hash),
      ]),
    )
    .orderBy('event.seq')
    .execute();
  return rows.map((row) => ({
    seq: row.seq,
    at: row.at,
    type: row.type,
    entity: row.entity,
    entityId: row.entity_id,
    data: JSON.parse(row.data) as unknown,
    personal: row.payload === null ? null : (JSON.parse(row.payload) as unknown),
  }));
}

/**
 * Counts of the main tables, for status screens.
 *
 * @example
 * const { contacts, consents, mailings, events } = await countRecords(db);
 */
export async function countRecords(
  db: Executor,
): Promise<{ contacts: number; consents: number; mailings: number; events: number; suppressions: number }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('contact').select(eb.fn.countAll<number>().as('n')).as('contacts'),
      eb.selectFrom('consent').select(eb.fn.countAll<number>().as('n')).as('consents'),
      eb.selectFrom('mailing').select(eb.fn.countAll<number>().as('n')).as('mailings'),
      eb.selectFrom('event').select(eb.fn.countAll<number>().as('n')).as('events'),
      eb.selectFrom('suppression').select(eb.fn.countAll<number>().as('n')).as('suppressions'),
    ])
    .executeTakeFirstOrThrow();
  return {
    contacts: Number(row.contacts ?? 0),
    consents: Number(row.consents ?? 0),
    mailings: Number(row.mailings ?? 0),
    events: Number(row.events ?? 0),
    suppressions: Number(row.suppressions ?? 0),
  };
}
