import type { Classification } from '@consent-mailer/policy';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type DeliveryState = 'QUEUED' | 'SENDING' | 'SENT' | 'DEFERRED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';

/** `delivery`: the outbox, one row per recipient of a mailing. */
export interface DeliveryTable {
  id: Generated<number>;
  mailing_id: string;
  contact_id: number | null;
  /** Null after erasure; `address_hash` stays. */
  email: string | null;
  address_hash: string;
  classification: Classification | null;
  acknowledgement_id: string | null;
  state: Generated<DeliveryState>;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  claimed_at: string | null;
  claimed_by: string | null;
  sent_at: string | null;
  smtp_code: number | null;
  smtp_reply: string | null;
  message_id: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}
export type DeliveryRow = Selectable<DeliveryTable>;
export type NewDeliveryRow = Insertable<DeliveryTable>;
export type DeliveryRowUpdate = Updateable<DeliveryTable>;
