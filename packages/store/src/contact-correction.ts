// Correcting the evidence of a phone, paper or customer consent, recorded as an event of its own.
import {
  UserError,
  type ConsentMethod,
  type CustomerRelationship,
  type OptOutAtCollection,
} from '@consent-mailer/policy';
import { addressIdentity, lookupHashes } from './address-identity.js';
import { type ConsentColumns } from './consent-evidence.js';
import { appendEvent, type Executor } from './event-log.js';
import { suppressedHashes } from './suppression.repository.js';
import { inTransaction } from './transaction.js';
import { suppressedError, columnsForEvent } from './contact-merge.js';

/**
 * Evidence that may be corrected (a mistyped staff name, the wrong date, the wrong order…): for a phone or
 * paper consent the sign-up and its record, for an existing customer the purchase and the opt-out offered.
 * `null` clears a stored answer the owner no longer stands behind (the policy then reads it as not known);
 * what a phone or paper consent cannot be without (its date, its text) is only ever replaced.
 */
export interface EvidenceCorrection {
  signupAt?: string;
  phoneAgent?: string | null;
  phoneRecordingRef?: string | null;
  paperScanRef?: string | null;
  consentTextVersionId?: string;
  orderRef?: string | null;
  orderPaid?: boolean | null;
  orderAt?: string | null;
  lastPurchaseAt?: string | null;
  purchaseCategories?: string[] | null;
  optOutOfferedAtCollection?: OptOutAtCollection | null;
  collectionTextVersionId?: string | null;
  customerRelationship?: CustomerRelationship | null;
}

type Field = keyof EvidenceCorrection;

/** The column of each field, and how its value is stored there. */
const COLUMNS = {
  signupAt: 'signup_at',
  phoneAgent: 'phone_agent',
  phoneRecordingRef: 'phone_recording_ref',
  paperScanRef: 'paper_scan_ref',
  consentTextVersionId: 'consent_text_version_id',
  orderRef: 'order_ref',
  orderPaid: 'order_paid',
  orderAt: 'order_at',
  lastPurchaseAt: 'last_purchase_at',
  purchaseCategories: 'purchase_categories',
  optOutOfferedAtCollection: 'opt_out_offered_at_collection',
  collectionTextVersionId: 'collection_text_version_id',
  customerRelationship: 'customer_relationship',
} as const satisfies Record<Field, keyof ConsentColumns>;

const stored = (field: Field, value: unknown): string | number | null =>
  value === null
    ? null
    : field === 'orderPaid'
      ? value
        ? 1
        : 0
      : field === 'purchaseCategories'
        ? JSON.stringify(value)
        : (value as string);

const PHONE_OR_PAPER: readonly Field[] = [
  'signupAt',
  'phoneAgent',
  'phoneRecordingRef',
  'paperScanRef',
  'consentTextVersionId',
];

/** Which fields each correctable method's evidence has; the method itself is never corrected. */
const CORRECTABLE: Partial<Record<ConsentMethod, readonly Field[]>> = {
  PHONE: PHONE_OR_PAPER,
  PAPER: PHONE_OR_PAPER,
  CUSTOMER: [
    'orderRef',
    'orderPaid',
    'orderAt',
    'lastPurchaseAt',
    'purchaseCategories',
    'optOutOfferedAtCollection',
    'collectionTextVersionId',
    'customerRelationship',
  ],
};

/**
 * Corrects the evidence of a contact's PHONE, PAPER or CUSTOMER consent for a sender entity (what the owner
 * typed wrong when adding or importing it), with a `consent.updated` event naming the corrected fields and
 * holding the evidence after it; the method, the scope and every status date (unsubscribed, complaint,
 * bounce) stay as they are. Refused for a suppressed address, and for a field the method's evidence does not
 * have (a scan reference on a customer).
 *
 * @throws {UserError} CONSENT_NOT_CORRECTABLE, CONSENT_FIELD_NOT_FOR_METHOD, STORE_ADDRESS_SUPPRESSED
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
    const fields = consent === undefined ? undefined : CORRECTABLE[consent.method];
    if (consent === undefined || fields === undefined) {
      throw new UserError('CONSENT_NOT_CORRECTABLE', {
        en: `${email} has no consent by phone, on paper or as an existing customer for this sender to correct. Add one with "Add contact" (or "contact add").`,
        nl: `${email} heeft geen toestemming per telefoon, op papier of als bestaande klant voor deze afzender om te corrigeren. Voeg er een toe met "Contact toevoegen" (of "contact add").`,
      });
    }
    const foreign = (Object.keys(input.changes) as Field[]).filter(
      (field) => input.changes[field] !== undefined && !fields.includes(field),
    );
    if (foreign.length > 0) throw fieldNotForMethod(email, consent.method);
    const set: Record<string, string | number | null> = {};
    for (const field of fields) {
      const value = input.changes[field];
      if (value === undefined) continue;
      const column = COLUMNS[field];
      const next = stored(field, value);
      if (next !== consent[column]) set[column] = next;
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

function fieldNotForMethod(email: string, method: ConsentMethod): UserError {
  return method === 'CUSTOMER'
    ? new UserError('CONSENT_FIELD_NOT_FOR_METHOD', {
        en: `${email} is an existing customer: correct the order, the last purchase, the product categories or the opt-out offered, not the details of a call or a form.`,
        nl: `${email} is een bestaande klant: corrigeer de bestelling, de laatste aankoop, de productcategorieën of de aangeboden afmeldmogelijkheid, niet de gegevens van een gesprek of formulier.`,
      })
    : new UserError('CONSENT_FIELD_NOT_FOR_METHOD', {
        en: `${email} gave consent by phone or on paper: correct the date, who served them, the scan or recording reference or the consent text, not the details of a purchase.`,
        nl: `${email} gaf toestemming per telefoon of op papier: corrigeer de datum, wie hen hielp, de scan- of opnameverwijzing of de toestemmingstekst, niet de gegevens van een aankoop.`,
      });
}
