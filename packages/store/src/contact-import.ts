// The bulk import of contacts with their consents: one call per chunk, one chained event per call.
import {
  UserError,
  deriveAddressKind,
  emailAddressSpelling,
  normalizeEmailAddress,
  type ContactRecord,
} from '@consent-mailer/policy';
import { addressHash } from './address-hash.js';
import {
  CONSENT_COLUMNS,
  evidenceToColumns,
  mergeConsent,
  writeConsentValues,
  type ConsentColumns,
} from './consent-evidence.js';
import type { ConsentRow } from './consent.table.js';
import { appendEvent, type Executor } from './event-log.js';
import { inChunks, insertRows, insertRowsWith } from './sql-batch.js';
import { suppressedHashes } from './suppression.repository.js';
import { inTransaction } from './transaction.js';
import { mergeContact, sameContact } from './contact-merge.js';

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
