// Contacts as the policy reads them (records for an assessment), and the class an assessment leaves.
import { type Classification, type ContactRecord } from '@consent-mailer/policy';
import { sql } from 'kysely';
import { CONSENT_COLUMNS, toContactRecord } from './consent-evidence.js';
import type { ConsentRow } from './consent.table.js';
import type { ContactRow } from './contact.table.js';
import { rawConnection, type Executor } from './event-log.js';
import { inChunks } from './sql-batch.js';
import { perConnection } from './statement-cache.js';
import { suppressionsAsEvidence } from './suppression.repository.js';
import { inTransaction } from './transaction.js';

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

/** The consent columns an assessment reads: the evidence and the row's own. */
const RECORD_CONSENT_COLUMNS = [
  'id',
  'contact_id',
  'status',
  'created_at',
  'updated_at',
  ...CONSENT_COLUMNS,
] as const;

/**
 * How many of a loaded consent's columns (in RECORD_CONSENT_COLUMNS order) come as columns of their own; the
 * rest, the evidence columns (mostly NULL), come packed in one JSON array. better-sqlite3 costs about 90 ns a
 * value: at a million recipients the 37 evidence columns one by one took 6.5 s of reading, packed 3.9 s
 * (issue 19). The consent table is STRICT, so its values are TEXT, INTEGER or NULL and survive JSON as is.
 */
const UNPACKED_CONSENT_COLUMNS = 8;

/**
 * A list's members with their consent for one sender entity, as raw rows, in contact-id order from the
 * membership key (ordering by `contact.id` made SQLite sort every page in a temporary b-tree).
 * Parameters: sender entity, list, after contact id, limit (-1: all). Each row: the contact's columns, the
 * first {@link UNPACKED_CONSENT_COLUMNS} consent columns, then the other consent columns as a JSON array.
 */
const listMembersStatement = perConnection((sqlite) => {
  const packed = RECORD_CONSENT_COLUMNS.slice(UNPACKED_CONSENT_COLUMNS).map((column) => `consent.${column}`);
  const columns = [
    ...LIST_MEMBER_CONTACT_COLUMNS.map((column) => `contact.${column}`),
    ...RECORD_CONSENT_COLUMNS.slice(0, UNPACKED_CONSENT_COLUMNS).map((column) => `consent.${column}`),
    `json_array(${packed.join(', ')})`,
  ].join(', ');
  return sqlite
    .prepare(
      `SELECT ${columns} FROM list_membership
         INNER JOIN contact ON contact.id = list_membership.contact_id
         LEFT JOIN consent ON consent.contact_id = contact.id AND consent.sender_entity_id = ?
         WHERE list_membership.list_id = ? AND list_membership.contact_id > ?
         ORDER BY list_membership.contact_id LIMIT ?`,
    )
    .raw();
});

/** The suppressions of a list's members, or of those with a contact id in `range` (a page's first and last). */
function listSuppressions(
  db: Executor,
  listId: string,
  range?: { first: number; last: number },
): Promise<{ address_hash: string; reason: string; created_at: string }[]> {
  return db
    .selectFrom('list_membership')
    .innerJoin('contact', 'contact.id', 'list_membership.contact_id')
    .innerJoin('suppression', 'suppression.address_hash', 'contact.address_hash')
    .select(['suppression.address_hash', 'suppression.reason', 'suppression.created_at'])
    .where('list_membership.list_id', '=', listId)
    .$if(range !== undefined, (query) =>
      query
        .where('list_membership.contact_id', '>=', range?.first ?? 0)
        .where('list_membership.contact_id', '<=', range?.last ?? 0),
    )
    .execute();
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
  const consentColumns = RECORD_CONSENT_COLUMNS;
  const consentSelect = consentColumns.map((column) => sql.ref(`consent.${column}`).as(`k_${column}`));
  // Built once: copying ~50 named columns per row in a loop, not Object.entries/filter/fromEntries per row,
  // which was about a quarter of an assessment's time at 100,000 recipients (issue 19).
  const consentKeys = consentColumns.map((column) => [column, `k_${column}`] as const);
  const rows: Joined[] = [];
  type ContactPart = Pick<ContactRow, 'id' | 'email' | 'recipient_kind' | 'address_kind' | 'address_hash'>;
  // The raw path's rows: the contact's columns, then consent's in `consentColumns` order (see listMembersStatement).
  let memberCells: unknown[][] = [];
  const suppressionRows: { address_hash: string; reason: string; created_at: string }[] = [];
  const raw = 'listId' in selector ? await rawConnection(db) : undefined;
  if ('listId' in selector && raw !== undefined) {
    const page = selector.page;
    const joined = listMembersStatement(raw).all(
      selector.senderEntityId,
      selector.listId,
      page?.afterContactId ?? -1,
      page?.limit ?? -1,
    ) as unknown[][];
    memberCells = joined;
    const first = joined[0]?.[0] as number | undefined;
    const last = joined.at(-1)?.[0] as number | undefined;
    if (first !== undefined && last !== undefined)
      suppressionRows.push(...(await listSuppressions(db, selector.listId, { first, last })));
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
    if (selector.page === undefined) suppressionRows.push(...(await listSuppressions(db, selector.listId)));
    else if (first !== undefined && last !== undefined)
      suppressionRows.push(...(await listSuppressions(db, selector.listId, { first, last })));
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
    for (let column = 0; column < UNPACKED_CONSENT_COLUMNS; column += 1)
      scratch[consentColumns[column] as string] = cells[offset + column];
    const packed = JSON.parse(cells[offset + UNPACKED_CONSENT_COLUMNS] as string) as unknown[];
    for (let column = 0; column < packed.length; column += 1)
      scratch[consentColumns[UNPACKED_CONSENT_COLUMNS + column] as string] = packed[column];
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
 * an assessment with its verdicts (one statement and transaction per 5,000 contacts). Only contacts whose class changed are
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
  // A transaction per chunk, with the event loop let through between them (the desktop main process must not
  // stall): the class is a cache of the latest assessment, sealed by nothing, so a half-written set is only
  // a stale filter. Never a yield inside a transaction: the outbox's synchronous writes would join it.
  let chunks = 0;
  for (const chunk of inChunks(input.items, 5000)) {
    if (chunks++ > 0 && !db.isTransaction) await new Promise((resolve) => setImmediate(resolve));
    const values = sql.join(chunk.map((item) => sql`(${item.contactId}, ${item.classification})`));
    await inTransaction(db, (trx) =>
      sql`WITH v(id, classification) AS (VALUES ${values})
        UPDATE contact SET last_classification = v.classification, last_classified_at = ${input.at},
          last_classified_mailing_id = ${input.mailingId}
        FROM v WHERE contact.id = v.id AND contact.last_classification IS NOT v.classification`.execute(trx),
    );
  }
}
