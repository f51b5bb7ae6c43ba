import type { Insertable, Selectable, Updateable } from 'kysely';

/** `acknowledgement`: a signed risk transfer; `payload` is the signed canonical JSON, `counts` JSON text. */
export interface AcknowledgementTable {
  id: string;
  mailing_id: string;
  assessment_id: string | null;
  sender_entity_id: string;
  signer_name: string;
  signer_role: string;
  legal_name: string;
  kvk_number: string | null;
  signed_at: string;
  policy_version: string;
  text_version_id: string;
  text_hash: string;
  language: string;
  counts: string;
  recipient_set_hash: string;
  recipient_count: number;
  payload: string;
  signature: string;
  public_key: string;
  lapsed_at: string | null;
  lapse_reason: string | null;
}
export type AcknowledgementRow = Selectable<AcknowledgementTable>;
export type NewAcknowledgementRow = Insertable<AcknowledgementTable>;
export type AcknowledgementRowUpdate = Updateable<AcknowledgementTable>;
