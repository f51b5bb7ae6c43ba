import {
  UserError,
  deriveAddressKind,
  emailAddressSpelling,
  normalizeEmailAddress,
  type AddressKind,
  type Classification,
  type ConsentMethod,
  type ContactRecord,
  type RecipientKind,
} from '@consent-mailer/policy';
import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { addressHash } from './address-hash.js';
import { addressIdentity, lookupHashes } from './address-identity.js';
import {
  CONSENT_COLUMNS,
  evidenceToColumns,
  mergeConsent,
  writeConsentValues,
  toContactRecord,
  type ConsentColumns,
  type ConsentEvidence,
} from './consent-evidence.js';
import { contactSearchCondition } from './contact-search.js';
import type { ConsentRow } from './consent.table.js';
import type { ContactRow } from './contact.table.js';
import { appendEvent, rawConnection, type Executor } from './event-log.js';
import { inChunks, insertRows, insertRowsWith } from './sql-batch.js';
import { suppressedHashes, suppressionsAsEvidence } from './suppression.repository.js';
import { inTransaction } from './transaction.js';

/** The contact's own fields, as a caller provides them. */
export interface ContactInput {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  organisation?: string | null;
  recipientKind?: RecipientKind;
  /** Derived from the address (`deriveAddressKind`) when absent. */
  addressKind?: AddressKind;
}

/** One row of an import: a policy `ContactRecord` (contact + consent evidence) plus names. */
export type ImportContactRow = ContactRecord & {
  /**
   * The address as the file spelled it, when `email` is already the identity (the importer passes both);
   * absent: `email` itself is taken as the spelling. Only sending uses it.
   */
  emailSpelling?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  organisation?: string | null;
};

/** What `importContacts` did with the rows it was given. */
export interface ImportCounts {
  /** New contacts. */
  imported: number;
  /** Existing contacts whose data or consent changed (never downgraded). */
  updated: number;
  /** Rows that brought nothing new: repeated in the input, or already stored as given. */
  duplicates: number;
  /** Rows skipped because the address is on the suppression list. */
  suppressed: number;
  /** Ids of the contacts created or updated, in input order of first appearance. */
  contactIds: number[];
}

const CONTACT_COLUMNS = [
  'email',
  'address_hash',
  'first_name',
  'last_name',
  'organisation',
  'recipient_kind',
  'address_kind',
  'created_at',
  'updated_at',
  'email_spelling',
] as const;
const CONTACT_INSERT_NEW = 'ON CONFLICT (email) DO NOTHING RETURNING id, email';
const CONTACT_UPSERT = `ON CONFLICT (email) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
  organisation = excluded.organisation, recipient_kind = excluded.recipient_kind, address_kind = excluded.address_kind,
  updated_at = excluded.updated_at`;
const CONSENT_INSERT_COLUMNS = ['contact_id', ...CONSENT_COLUMNS, 'created_at', 'updated_at'] as const;
const CONSENT_UPSERT = `ON CONFLICT (contact_id, sender_entity_id) DO UPDATE SET ${[
  ...CONSENT_COLUMNS,
  'updated_at',
]
  .map((column) => `${column} = excluded.${column}`)
  .join(', ')}`;

function suppressedError(email: string): UserError {
  return new UserError('STORE_ADDRESS_SUPPRESSED', {
    en: `${email} is on the suppression list (unsubscribed, objected, complained, bounced or erased), so no consent can be recorded for it. Only the person can subscribe again, through a confirmed opt-in.`,
    nl: `${email} staat op de blokkeerlijst (afgemeld, bezwaar, klacht, gebounced of gewist), dus er kan geen toestemming voor worden vastgelegd. Alleen de persoon zelf kan zich opnieuw aanmelden, met een bevestigde opt-in.`,
  });
}

interface MergedContact {
  email: string;
  hash: string;
  first_name: string | null;
  last_name: string | null;
  organisation: string | null;
  recipient_kind: RecipientKind;
  address_kind: AddressKind;
}

function mergeContact(
  existing: MergedContact | undefined,
  input: ContactInput,
  email: string,
  hash: string,
): MergedContact {
  const incomingKind = input.recipientKind ?? 'UNKNOWN';
  const incomingAddressKind = input.addressKind ?? deriveAddressKind(email);
  if (existing === undefined) {
    return {
      email,
      hash,
      first_name: input.firstName ?? null,
      last_name: input.lastName ?? null,
      organisation: input.organisation ?? null,
      recipient_kind: incomingKind,
      address_kind: incomingAddressKind,
    };
  }
  // Names follow the newest source; the kinds that rules depend on are only filled in, never flipped.
  return {
    email,
    hash,
    first_name: input.firstName ?? existing.first_name,
    last_name: input.lastName ?? existing.last_name,
    organisation: input.organisation ?? existing.organisation,
    recipient_kind: existing.recipient_kind === 'UNKNOWN' ? incomingKind : existing.recipient_kind,
    address_kind: existing.address_kind === 'UNKNOWN' ? incomingAddressKind : existing.address_kind,
  };
}

function sameContact(a: MergedContact, b: MergedContact): boolean {
  return (
    a.first_name === b.first_name &&
    a.last_name === b.last_name &&
    a.organisation === b.organisation &&
    a.recipient_kind === b.recipient_kind &&
    a.address_kind === b.address_kind
  );
}

function normalizeRow(row: ImportContactRow, index: number): { email: string; spelling: string | null } {
  try {
    const email = normalizeEmailAddress(row.email);
    const given = row.emailSpelling ?? row.email;
    // The common case (an all-lower-case address) costs nothing more than before.
    if (given === email) return { email, spelling: null };
    const spelling = emailAddressSpelling(given);
    if (normalizeEmailAddress(spelling) !== email)
      throw new Error('emailSpelling is not a spelling of email');
    return { email, spelling: spelling === email ? null : spelling };
  } catch (error) {
    if (error instanceof UserError) {
      throw new UserError(error.code, {
        en: `Row ${index + 1}: ${error.text.en}`,
        nl: `Rij ${index + 1}: ${error.text.nl}`,
      });
    }
    throw error;
  }
}

/**
 * Writes a batch of imported contacts with their consents in one transaction, fast (multi-row statements,
 * a fixed number of queries per call): new addresses are inserted; existing ones are merged without ever
 * downgrading evidence or clearing an unsubscribe/objection/complaint/bounce; addresses on the suppression
 * list are skipped. Writes one `contacts.imported` event (counts and the created and updated contact ids as
 * [first, last] ranges; the evidence itself is personal data and stays out of the chain, which commits to the
 * import file and mapping instead: see `createImportBatch`).
 * Call it per chunk (1,000–10,000 rows) so the importer can report progress between chunks.
 *
 * @example
 * const counts = await importContacts(db, rows, { at: now.toISOString(), importBatchId: batch.id, listId });
 * // { imported: 950, updated: 30, duplicates: 15, suppressed: 5, contactIds: [...] }
 */
export async function importContacts(
  db: Executor,
  rows: readonly ImportContactRow[],
  options: { at: string; importBatchId?: string | null; listId?: string | null },
): Promise<ImportCounts> {
  const counts: ImportCounts = { imported: 0, updated: 0, duplicates: 0, suppressed: 0, contactIds: [] };
  if (rows.length === 0) return counts;
  const importBatchId = options.importBatchId ?? null;
  const at = options.at;

  // 1. Normalise and fold repeated addresses (and repeated consents for the same entity) into one. The
  //    common case (each address once) keeps only the row: its consent columns are read from it in step 5.
  const byEmail = new Map<string, FoldedRow>();
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index] as ImportContactRow;
    const { email, spelling } = normalizeRow(row, index);
    const seen = byEmail.get(email);
    if (seen === undefined) {
      byEmail.set(email, {
        hash: addressHash(email),
        input: row,
        consents: null,
        spelling,
        legacyHashes: spelling === null ? null : [addressHash(spelling)],
      });
      continue;
    }
    counts.duplicates += 1;
    // JAN@ and jan@ are one contact; each spelling's pre-identity suppression hash still blocks it.
    if (spelling !== null) {
      seen.spelling ??= spelling;
      const legacy = addressHash(spelling);
      if (!(seen.legacyHashes ?? []).includes(legacy))
        seen.legacyHashes = [...(seen.legacyHashes ?? []), legacy];
    }
    const consents =
      seen.consents ?? new Map([[seen.input.senderEntityId, evidenceToColumns(seen.input, importBatchId)]]);
    const incoming = evidenceToColumns(row, importBatchId);
    const earlier = consents.get(row.senderEntityId);
    consents.set(
      row.senderEntityId,
      earlier === undefined ? incoming : mergeConsent(earlier, incoming).columns,
    );
    seen.consents = consents;
    seen.input = {
      ...seen.input,
      ...Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined && value !== null)),
    };
  }

  return inTransaction(db, async (trx) => {
    // 2. Suppressed addresses are skipped whole: an import never makes them mailable again.
    const asked = Array.from(byEmail.values(), (entry) => entry.hash);
    for (const entry of byEmail.values()) if (entry.legacyHashes !== null) asked.push(...entry.legacyHashes);
    const suppressed = await suppressedHashes(trx, asked);
    if (suppressed.size > 0) {
      for (const [email, entry] of byEmail) {
        if (suppressed.has(entry.hash) || (entry.legacyHashes ?? []).some((hash) => suppressed.has(hash))) {
          counts.suppressed += 1;
          byEmail.delete(email);
        }
      }
    }

    // 3. Insert every address as new; the database says which ones it already had (not returned). In
    //    a fresh import that is all of them, so no lookup query is needed for the common case.
    const ids = new Map<string, number>();
    const inserted = await insertRowsWith<[string, FoldedRow], { id: number; email: string }>(
      trx,
      'contact',
      CONTACT_COLUMNS,
      [...byEmail],
      (target, offset, [email, { hash, input, spelling }]) => {
        target[offset] = email;
        target[offset + 1] = hash;
        target[offset + 2] = input.firstName ?? null;
        target[offset + 3] = input.lastName ?? null;
        target[offset + 4] = input.organisation ?? null;
        target[offset + 5] = input.recipientKind ?? 'UNKNOWN';
        target[offset + 6] = input.addressKind ?? deriveAddressKind(email);
        target[offset + 7] = at;
        target[offset + 8] = at;
        target[offset + 9] = spelling;
      },
      CONTACT_INSERT_NEW,
    );
    for (const row of inserted) ids.set(row.email, row.id);
    const existingEmails =
      ids.size === byEmail.size ? [] : [...byEmail.keys()].filter((email) => !ids.has(email));
    const existing = new Set(existingEmails);

    // 4. Existing contacts: merge without downgrading, write only what changed.
    const changedEmails = new Set<string>();
    const existingConsents = new Map<string, ConsentRow>();
    if (existingEmails.length > 0) {
      const changedContacts: unknown[][] = [];
      for (const chunk of inChunks(existingEmails)) {
        for (const stored of await trx
          .selectFrom('contact')
          .selectAll()
          .where('email', 'in', chunk)
          .execute()) {
          ids.set(stored.email, stored.id);
          const entry = byEmail.get(stored.email);
          if (entry === undefined) continue;
          const before = { ...stored, hash: stored.address_hash };
          const merged = mergeContact(before, entry.input, stored.email, entry.hash);
          if (sameContact(before, merged)) continue;
          changedEmails.add(stored.email);
          changedContacts.push([
            stored.email,
            entry.hash,
            merged.first_name,
            merged.last_name,
            merged.organisation,
            merged.recipient_kind,
            merged.address_kind,
            at,
            at,
            stored.email_spelling,
          ]);
        }
      }
      await insertRows(trx, 'contact', CONTACT_COLUMNS, changedContacts, CONTACT_UPSERT);
      const existingIds = existingEmails.flatMap((email) => {
        const id = ids.get(email);
        return id === undefined ? [] : [id];
      });
      for (const chunk of inChunks(existingIds)) {
        for (const consent of await trx
          .selectFrom('consent')
          .selectAll()
          .where('contact_id', 'in', chunk)
          .execute()) {
          existingConsents.set(`${consent.contact_id}|${consent.sender_entity_id}`, consent);
        }
      }
    }

    // 5. Consents: new ones as given (read straight from the row), existing ones merged.
    const consentRows: ConsentWrite[] = [];
    for (const [email, entry] of byEmail) {
      const contactId = ids.get(email);
      if (contactId === undefined) throw new Error('a contact id is missing after the upsert');
      if (entry.consents === null && !existing.has(email)) {
        consentRows.push({ contactId, evidence: entry.input, columns: null });
        continue;
      }
      const consents =
        entry.consents ??
        new Map([[entry.input.senderEntityId, evidenceToColumns(entry.input, importBatchId)]]);
      for (const [entityId, incoming] of consents) {
        const stored = existingConsents.get(`${contactId}|${entityId}`);
        let columns: ConsentColumns = incoming;
        if (stored !== undefined) {
          const merged = mergeConsent(stored, incoming);
          if (!merged.changed) continue;
          columns = merged.columns;
          changedEmails.add(email);
        } else if (existing.has(email)) {
          // A new consent (another sender entity) for a contact that was already there.
          changedEmails.add(email);
        }
        consentRows.push({ contactId, evidence: null, columns });
      }
    }
    await insertRowsWith(
      trx,
      'consent',
      CONSENT_INSERT_COLUMNS,
      consentRows,
      (target, offset, row) => {
        target[offset] = row.contactId;
        let next = offset + 1;
        if (row.columns === null) {
          next = writeConsentValues(target, next, row.evidence, importBatchId);
        } else {
          for (const column of CONSENT_COLUMNS) target[next++] = row.columns[column];
        }
        target[next] = at;
        target[next + 1] = at;
      },
      CONSENT_UPSERT,
    );

    const newIds: number[] = [];
    const updatedIds: number[] = [];
    for (const email of byEmail.keys()) {
      const id = ids.get(email);
      if (id === undefined) continue;
      if (!existing.has(email)) {
        counts.imported += 1;
        newIds.push(id);
        counts.contactIds.push(id);
      } else if (changedEmails.has(email)) {
        counts.updated += 1;
        updatedIds.push(id);
        counts.contactIds.push(id);
      } else {
        counts.duplicates += 1;
      }
    }
    if (options.listId !== undefined && options.listId !== null) {
      const listId = options.listId;
      const memberIds: number[] = [];
      for (const email of byEmail.keys()) {
        const id = ids.get(email);
        if (id !== undefined) memberIds.push(id);
      }
      await insertRowsWith(
        trx,
        'list_membership',
        ['list_id', 'contact_id', 'added_at', 'source'],
        memberIds,
        (target, offset, id) => {
          target[offset] = listId;
          target[offset + 1] = id;
          target[offset + 2] = at;
          target[offset + 3] = importBatchId;
        },
        'ON CONFLICT DO NOTHING',
      );
    }
    await appendEvent(trx, {
      type: 'contacts.imported',
      entity: 'import_batch',
      entityId: importBatchId,
      at,
      data: {
        imported: counts.imported,
        updated: counts.updated,
        duplicates: counts.duplicates,
        suppressed: counts.suppressed,
        // [first, last] runs: a fresh import's ids are consecutive, so a chunk is one or a few pairs.
        createdContactIdRanges: idRanges(newIds),
        updatedContactIdRanges: idRanges(updatedIds),
        listId: options.listId ?? null,
      },
    });
    return counts;
  });
}

/**
 * Sorted ids as [first, last] runs of consecutive ids.
 *
 * @example
 * idRanges([3, 4, 5, 9]); // [[3, 5], [9, 9]]
 */
function idRanges(ids: readonly number[]): [number, number][] {
  const sorted = [...ids].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const id of sorted) {
    const last = ranges.at(-1);
    if (last !== undefined && id === last[1] + 1) last[1] = id;
    else if (last === undefined || id !== last[1]) ranges.push([id, id]);
  }
  return ranges;
}

/** One consent row to write: a new one read from the import row, or merged columns. */
type ConsentWrite =
  | { contactId: number; evidence: ImportContactRow; columns: null }
  | { contactId: number; evidence: null; columns: ConsentColumns };

/** An address of an import call after folding: its first row, and its consents once a repeat merged some. */
interface FoldedRow {
  hash: string;
  /** The first spelling that differs from the identity (what mail goes to), or null. */
  spelling: string | null;
  /** Hashes of the spellings as the pre-identity normalisation made them (see `AddressIdentity`). */
  legacyHashes: string[] | null;
  input: ImportContactRow;
  /** null while the address appeared once: its only consent is the one in `input`. */
  consents: Map<string, ConsentColumns> | null;
}

/** The result of `upsertContact`. */
export interface UpsertContactResult {
  contactId: number;
  created: boolean;
  consentId: number | null;
}

/**
 * Creates or updates one contact by its normalised address and, when given, records its consent for a
 * sender entity (merged with an existing one without downgrading). Refuses a consent for a suppressed
 * address. Writes `contact.created`/`contact.updated` and `consent.recorded`/`consent.updated` events, their
 * personal payload (address, names, evidence) kept apart so erasure can remove it.
 *
 * @example
 * const { contactId } = await upsertContact(db, {
 *   email: 'Jan@Example.NL', firstName: 'Jan', recipientKind: 'CONSUMER',
 *   consent: { method: 'WEB_DOI', senderEntityId: 'bakkerij', scopeLists: 'ALL', signupAt: '2026-01-05T10:00:00Z' },
 * }, { at: now.toISOString() });
 */
export async function upsertContact(
  db: Executor,
  input: ContactInput & { consent?: ConsentEvidence; importBatchId?: string | null },
  options: { at: string },
): Promise<UpsertContactResult> {
  const identity = addressIdentity(input.email);
  const { email, hash } = identity;
  return inTransaction(db, async (trx) => {
    if (input.consent !== undefined && (await suppressedHashes(trx, lookupHashes(input.email))).size > 0)
      throw suppressedError(email);
    const stored = await trx.selectFrom('contact').selectAll().where('email', '=', email).executeTakeFirst();
    const before = stored === undefined ? undefined : { ...stored, hash: stored.address_hash };
    const merged = mergeContact(before, input, email, hash);
    let contactId: number;
    if (stored === undefined) {
      const inserted = await trx
        .insertInto('contact')
        .values({
          email,
          email_spelling: identity.spelling === email ? null : identity.spelling,
          address_hash: hash,
          first_name: merged.first_name,
          last_name: merged.last_name,
          organisation: merged.organisation,
          recipient_kind: merged.recipient_kind,
          address_kind: merged.address_kind,
          created_at: options.at,
          updated_at: options.at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      contactId = inserted.id;
    } else {
      contactId = stored.id;
    }
    if (before === undefined || !sameContact(before, merged)) {
      if (before !== undefined) {
        await trx
          .updateTable('contact')
          .set({
            first_name: merged.first_name,
            last_name: merged.last_name,
            organisation: merged.organisation,
            recipient_kind: merged.recipient_kind,
            address_kind: merged.address_kind,
            updated_at: options.at,
          })
          .where('id', '=', contactId)
          .execute();
      }
      await appendEvent(trx, {
        type: before === undefined ? 'contact.created' : 'contact.updated',
        entity: 'contact',
        entityId: contactId,
        at: options.at,
        data: { recipientKind: merged.recipient_kind, addressKind: merged.address_kind },
        personal: {
          email,
          firstName: merged.first_name,
          lastName: merged.last_name,
          organisation: merged.organisation,
        },
        subjectHash: hash,
      });
    }
    if (input.consent === undefined) return { contactId, created: stored === undefined, consentId: null };

    const incoming = evidenceToColumns(input.consent, input.importBatchId ?? null);
    const existing = await trx
      .selectFrom('consent')
      .selectAll()
      .where('contact_id', '=', contactId)
      .where('sender_entity_id', '=', input.consent.senderEntityId)
      .executeTakeFirst();
    const { columns, changed } =
      existing === undefined ? { columns: incoming, changed: true } : mergeConsent(existing, incoming);
    let consentId = existing?.id ?? null;
    if (changed) {
      const row = await trx
        .insertInto('consent')
        .values({ contact_id: contactId, ...columns, created_at: options.at, updated_at: options.at })
        .onConflict((conflict) =>
          conflict
            .columns(['contact_id', 'sender_entity_id'])
            .doUpdateSet({ ...columns, updated_at: options.at }),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      consentId = row.id;
      await appendEvent(trx, {
        type: existing === undefined ? 'consent.recorded' : 'consent.updated',
        entity: 'consent',
        entityId: consentId,
        at: options.at,
        data: {
          contactId,
          senderEntityId: columns.sender_entity_id,
          method: columns.method,
          importBatchId: columns.import_batch_id,
        },
        personal: { email, evidence: columnsForEvent(columns) },
        subjectHash: hash,
      });
    }
    return { contactId, created: stored === undefined, consentId };
  });
}

function columnsForEvent(columns: ConsentColumns): Record<string, string | number | null> {
  return Object.fromEntries(CONSENT_COLUMNS.map((column) => [column, columns[column]]));
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

/** A record ready for the rules, with the row ids it came from. */
export interface LoadedContactRecord {
  contactId: number;
  /** Null when the contact has no consent for the sender entity (the record then fails G6/U1). */
  consentId: number | null;
  record: ContactRecord;
}

/** Which records to load: a set of contacts, or the members of a list (a mailing's recipients). */
export type ContactRecordSelector =
  | { contactIds: readonly number[]; senderEntityId?: string }
  | {
      listId: string;
      senderEntityId: string;
      /** One page of the list in contact-id order (keyset), so a big list can be loaded in chunks. */
      page?: { afterContactId: number; limit: number };
    };

/** The contact columns a loaded record is made of (the rest of the row is not read for an assessment). */
const LIST_MEMBER_CONTACT_COLUMNS = [
  'id',
  'email',
  'recipient_kind',
  'address_kind',
  'address_hash',
] as const;

const listMemberStatements = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

/**
 * A list's members with their consent for one sender entity, as raw rows, in contact-id order from the
 * membership key (ordering by `contact.id` made SQLite sort every page in a temporary b-tree).
 * Parameters: sender entity, list, after contact id, limit (-1: all).
 */
function listMembersStatement(
  sqlite: BetterSqlite3.Database,
  consentColumns: readonly string[],
): BetterSqlite3.Statement {
  let statement = listMemberStatements.get(sqlite);
  if (statement === undefined) {
    const columns = [
      ...LIST_MEMBER_CONTACT_COLUMNS.map((column) => `contact.${column}`),
      ...consentColumns.map((column) => `consent.${column}`),
    ].join(', ');
    statement = sqlite
      .prepare(
        `SELECT ${columns} FROM list_membership
         INNER JOIN contact ON contact.id = list_membership.contact_id
         LEFT JOIN consent ON consent.contact_id = contact.id AND consent.sender_entity_id = ?
         WHERE list_membership.list_id = ? AND list_membership.contact_id > ?
         ORDER BY list_membership.contact_id LIMIT ?`,
      )
      .raw();
    listMemberStatements.set(sqlite, statement);
  }
  return statement;
}

/**
 * Loads the policy `ContactRecord`s for a page of contacts or a whole mailing's list in a fixed number of
 * queries (contacts with consents, then suppressions), never one per contact. For a mailing, each member
 * gets the consent for the mailing's sender entity; a member without one gets an IMPORTED_UNKNOWN record
 * with an empty scope, which the rules block (G6, U1) with a reason the user can read. Suppressions are
 * applied as status dates (unsubscribedAt, objectedAt, complaintAt, hardBounceAt), so a suppressed address
 * is never judged mailable even if its consent row was not updated.
 *
 * @example
 * const records = await loadContactRecords(db, { listId: mailing.list_id, senderEntityId: mailing.sender_entity_id });
 * const verdicts = records.map(({ record }) => classifyContact(record, context, { now }));
 */
export async function loadContactRecords(
  db: Executor,
  selector: ContactRecordSelector,
): Promise<LoadedContactRecord[]> {
  type Joined = ContactRow & { consent_id: number | null } & {
    [K in keyof ConsentRow as `k_${K & string}`]: ConsentRow[K] | null;
  };
  const consentColumns = [
    'id',
    'contact_id',
    'status',
    'created_at',
    'updated_at',
    ...CONSENT_COLUMNS,
  ] as const;
  const consentSelect = consentColumns.map((column) => sql.ref(`consent.${column}`).as(`k_${column}`));
  // Built once: copying ~50 named columns per row in a loop, not Object.entries/filter/fromEntries per row,
  // which was about a quarter of an assessment's time at 100,000 recipients (issue 19).
  const consentKeys = consentColumns.map((column) => [column, `k_${column}`] as const);
  const rows: Joined[] = [];
  type ContactPart = Pick<ContactRow, 'id' | 'email' | 'recipient_kind' | 'address_kind' | 'address_hash'>;
  // The raw path's rows: the contact's columns, then consent's in `consentColumns` order.
  let memberCells: unknown[][] = [];
  const suppressionRows: { address_hash: string; reason: string; created_at: string }[] = [];
  const raw = 'listId' in selector ? await rawConnection(db) : undefined;
  if ('listId' in selector && raw !== undefined) {
    const page = selector.page;
    const joined = listMembersStatement(raw, consentColumns).all(
      selector.senderEntityId,
      selector.listId,
      page?.afterContactId ?? -1,
      page?.limit ?? -1,
    ) as unknown[][];
    memberCells = joined;
    const first = joined[0]?.[0] as number | undefined;
    const last = joined.at(-1)?.[0] as number | undefined;
    if (first !== undefined && last !== undefined)
      suppressionRows.push(
        ...(await db
          .selectFrom('list_membership')
          .innerJoin('contact', 'contact.id', 'list_membership.contact_id')
          .innerJoin('suppression', 'suppression.address_hash', 'contact.address_hash')
          .select(['suppression.address_hash', 'suppression.reason', 'suppression.created_at'])
          .where('list_membership.list_id', '=', selector.listId)
          .where('list_membership.contact_id', '>=', first)
          .where('list_membership.contact_id', '<=', last)
          .execute()),
      );
  } else if ('listId' in selector) {
    const joined = await db
      .selectFrom('list_membership')
      .innerJoin('contact', 'contact.id', 'list_membership.contact_id')
      .leftJoin('consent', (join) =>
        join
          .onRef('consent.contact_id', '=', 'contact.id')
          .on('consent.sender_entity_id', '=', selector.senderEntityId),
      )
      .selectAll('contact')
      .select(consentSelect)
      .where('list_membership.list_id', '=', selector.listId)
      .$if(selector.page !== undefined, (query) =>
        query
          .where('list_membership.contact_id', '>', selector.page?.afterContactId ?? 0)
          .limit(selector.page?.limit ?? 0),
      )
      .orderBy('contact.id')
      .execute();
    rows.push(...(joined as unknown as Joined[]));
    const first = joined[0]?.id;
    const last = joined.at(-1)?.id;
    if (selector.page === undefined || (first !== undefined && last !== undefined))
      suppressionRows.push(
        ...(await db
          .selectFrom('list_membership')
          .innerJoin('contact', 'contact.id', 'list_membership.contact_id')
          .innerJoin('suppression', 'suppression.address_hash', 'contact.address_hash')
          .select(['suppression.address_hash', 'suppression.reason', 'suppression.created_at'])
          .where('list_membership.list_id', '=', selector.listId)
          .$if(selector.page !== undefined, (query) =>
            query
              .where('list_membership.contact_id', '>=', first ?? 0)
              .where('list_membership.contact_id', '<=', last ?? 0),
          )
          .execute()),
      );
  } else {
    for (const chunk of inChunks(selector.contactIds)) {
      let query = db
        .selectFrom('contact')
        .leftJoin('consent', 'consent.contact_id', 'contact.id')
        .selectAll('contact')
        .select(consentSelect)
        .where('contact.id', 'in', chunk);
      if (selector.senderEntityId !== undefined)
        query = query.where('consent.sender_entity_id', '=', selector.senderEntityId);
      rows.push(...((await query.orderBy('contact.id').execute()) as unknown as Joined[]));
      suppressionRows.push(
        ...(await db
          .selectFrom('contact')
          .innerJoin('suppression', 'suppression.address_hash', 'contact.address_hash')
          .select(['suppression.address_hash', 'suppression.reason', 'suppression.created_at'])
          .where('contact.id', 'in', chunk)
          .execute()),
      );
    }
  }
  const byHash = new Map<string, { reason: string; created_at: string }[]>();
  for (const row of suppressionRows)
    byHash.set(row.address_hash, [...(byHash.get(row.address_hash) ?? []), row]);

  const senderEntityId = selector.senderEntityId;
  const toLoaded = (contact: ContactPart, consent: ConsentRow | null): LoadedContactRecord => {
    const suppressions = byHash.get(contact.address_hash);
    const evidence = suppressions === undefined ? undefined : suppressionsAsEvidence(suppressions);
    if (consent === null) {
      return {
        contactId: contact.id,
        consentId: null,
        record: {
          email: contact.email,
          recipientKind: contact.recipient_kind,
          addressKind: contact.address_kind,
          method: 'IMPORTED_UNKNOWN',
          senderEntityId: senderEntityId ?? '(none)',
          scopeLists: [],
          ...evidence,
        },
      };
    }
    const record = toContactRecord(contact, consent);
    return {
      contactId: contact.id,
      consentId: consent.id,
      // Most contacts have no suppression: their record is not copied again.
      record: evidence === undefined ? record : { ...record, ...evidence },
    };
  };
  const loaded: LoadedContactRecord[] = new Array<LoadedContactRecord>(memberCells.length + rows.length);
  let index = 0;
  // No object per row from the driver and one consent object for the whole page, refilled per row:
  // toContactRecord copies what it needs, so at 100,000 recipients no 50-column object is made per row.
  const offset = LIST_MEMBER_CONTACT_COLUMNS.length;
  const scratch: Record<string, unknown> = {};
  for (const cells of memberCells) {
    const contact: ContactPart = {
      id: cells[0] as number,
      email: cells[1] as string,
      recipient_kind: cells[2] as ContactRow['recipient_kind'],
      address_kind: cells[3] as ContactRow['address_kind'],
      address_hash: cells[4] as string,
    };
    if (cells[offset] === null) {
      loaded[index++] = toLoaded(contact, null);
      continue;
    }
    for (let column = 0; column < consentColumns.length; column += 1)
      scratch[consentColumns[column] as string] = cells[offset + column];
    loaded[index++] = toLoaded(contact, scratch as unknown as ConsentRow);
  }
  for (const row of rows) {
    if (row.k_id === null) {
      loaded[index++] = toLoaded(row, null);
      continue;
    }
    const source = row as unknown as Record<string, unknown>;
    const copied: Record<string, unknown> = {};
    for (const [column, alias] of consentKeys) copied[column] = source[alias];
    loaded[index++] = toLoaded(row, copied as unknown as ConsentRow);
  }
  return loaded;
}

/**
 * Stores the class each contact got in an assessment, for the contact list's class filter. Call it after
 * an assessment with its verdicts (one statement per 5,000 contacts). Only contacts whose class changed are
 * written, so looking at the same assessment again writes nothing: `last_classified_at` and
 * `last_classified_mailing_id` say since when, and by which mailing's assessment, the contact has its class.
 *
 * @example
 * await recordClassifications(db, { mailingId, at, items: verdicts.map((v) => ({ contactId: v.contactId, classification: v.classification })) });
 */
export async function recordClassifications(
  db: Executor,
  input: {
    mailingId: string;
    at: string;
    items: readonly { contactId: number; classification: Classification }[];
  },
): Promise<void> {
  await inTransaction(db, async (trx) => {
    let chunks = 0;
    for (const chunk of inChunks(input.items, 5000)) {
      // Let the host's event loop run between chunks (the desktop main process must not stall for seconds).
      if (chunks++ > 0) await new Promise((resolve) => setImmediate(resolve));
      const values = sql.join(chunk.map((item) => sql`(${item.contactId}, ${item.classification})`));
      await sql`WITH v(id, classification) AS (VALUES ${values})
        UPDATE contact SET last_classification = v.classification, last_classified_at = ${input.at},
          last_classified_mailing_id = ${input.mailingId}
        FROM v WHERE contact.id = v.id AND contact.last_classification IS NOT v.classification`.execute(trx);
    }
  });
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

/** Evidence of a phone or paper consent that may be corrected (a mistyped staff name, the wrong date…). */
export interface EvidenceCorrection {
  signupAt?: string;
  phoneAgent?: string | null;
  phoneRecordingRef?: string | null;
  paperScanRef?: string | null;
  consentTextVersionId?: string;
}

const CORRECTABLE = {
  signupAt: 'signup_at',
  phoneAgent: 'phone_agent',
  phoneRecordingRef: 'phone_recording_ref',
  paperScanRef: 'paper_scan_ref',
  consentTextVersionId: 'consent_text_version_id',
} as const satisfies Record<keyof EvidenceCorrection, keyof ConsentColumns>;

/**
 * Corrects the evidence of a contact's PHONE or PAPER consent for a sender entity (what the owner typed
 * wrong when adding it), with a `consent.updated` event naming the corrected fields; the method, the scope
 * and every status date (unsubscribed, complaint, bounce) stay as they are. Refused for a suppressed address.
 *
 * @throws {UserError} CONTACT_NOT_FOUND, CONSENT_NOT_CORRECTABLE, STORE_ADDRESS_SUPPRESSED
 * @example
 * await correctConsentEvidence(db, { email: 'jan@example.nl', senderEntityId: 'bakkerij', changes: { phoneAgent: 'Kees' } }, { at });
 */
export async function correctConsentEvidence(
  db: Executor,
  input: { email: string; senderEntityId: string; changes: EvidenceCorrection },
  options: { at: string },
): Promise<{ consentId: number; corrected: string[] }> {
  const { email, hash } = addressIdentity(input.email);
  return inTransaction(db, async (trx) => {
    if ((await suppressedHashes(trx, lookupHashes(input.email))).size > 0) throw suppressedError(email);
    const consent = await trx
      .selectFrom('consent')
      .innerJoin('contact', 'contact.id', 'consent.contact_id')
      .selectAll('consent')
      .where('contact.email', '=', email)
      .where('consent.sender_entity_id', '=', input.senderEntityId)
      .executeTakeFirst();
    if (consent === undefined || (consent.method !== 'PHONE' && consent.method !== 'PAPER')) {
      throw new UserError('CONSENT_NOT_CORRECTABLE', {
        en: `${email} has no consent by phone or on paper for this sender to correct. Add one with "Add contact" (or "contact add").`,
        nl: `${email} heeft geen telefonische of papieren toestemming voor deze afzender om te corrigeren. Voeg er een toe met "Contact toevoegen" (of "contact add").`,
      });
    }
    const set: Record<string, string | null> = {};
    for (const [field, column] of Object.entries(CORRECTABLE) as [
      keyof EvidenceCorrection,
      keyof ConsentColumns,
    ][]) {
      const value = input.changes[field];
      if (value !== undefined && value !== consent[column]) set[column] = value;
    }
    const corrected = Object.keys(set);
    if (corrected.length === 0) return { consentId: consent.id, corrected };
    await trx
      .updateTable('consent')
      .set({ ...set, updated_at: options.at })
      .where('id', '=', consent.id)
      .execute();
    const after = { ...consent, ...set };
    await appendEvent(trx, {
      type: 'consent.updated',
      entity: 'consent',
      entityId: consent.id,
      at: options.at,
      data: {
        contactId: consent.contact_id,
        senderEntityId: consent.sender_entity_id,
        method: consent.method,
        corrected,
      },
      personal: { email, evidence: columnsForEvent(after) },
      subjectHash: hash,
    });
    return { consentId: consent.id, corrected };
  });
}
