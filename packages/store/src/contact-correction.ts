// Correcting the evidence of a phone or paper consent, recorded as an event of its own.
import { UserError } from '@consent-mailer/policy';
import { addressIdentity, lookupHashes } from './address-identity.js';
import { type ConsentColumns } from './consent-evidence.js';
import { appendEvent, type Executor } from './event-log.js';
import { suppressedHashes } from './suppression.repository.js';
import { inTransaction } from './transaction.js';
import { suppressedError, columnsForEvent } from './contact-merge.js';

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
