import type { ConsentMethod } from '@consent-mailer/policy';
import type { Insertable, Selectable } from 'kysely';

/** `acknowledgement_recipient`: one covered recipient; `reasons` is JSON text (reason codes). */
export interface AcknowledgementRecipientTable {
  acknowledgement_id: string;
  address_hash: string;
  method: ConsentMethod;
  reasons: string;
}
export type AcknowledgementRecipientRow = Selectable<AcknowledgementRecipientTable>;
export type NewAcknowledgementRecipientRow = Insertable<AcknowledgementRecipientTable>;
