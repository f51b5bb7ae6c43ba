// One contact with one consent, added or merged (the contact form, the opt-in feed, tests).
import { addressIdentity, lookupHashes } from './address-identity.js';
import { evidenceToColumns, mergeConsent, type ConsentEvidence } from './consent-evidence.js';
import { appendEvent, type Executor } from './event-log.js';
import { suppressedHashes } from './suppression.repository.js';
import { inTransaction } from './transaction.js';
import {
  columnsForEvent,
  mergeContact,
  sameContact,
  suppressedError,
  type ContactInput,
} from './contact-merge.js';

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
