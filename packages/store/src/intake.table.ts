import type { Generated, Insertable, Selectable } from 'kysely';

/** `intake_mailbox`: an IMAP mailbox the intake reads. Never a password: `secret_ref` names the secret. */
export interface IntakeMailboxTable {
  id: string;
  name: string;
  host: string;
  port: number;
  security: 'TLS' | 'STARTTLS' | 'NONE';
  username: string;
  secret_ref: string;
  folder: string;
  processed_folder: string;
  unrecognised_folder: string;
  poll_seconds: number;
  last_run_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}
export type IntakeMailboxRow = Selectable<IntakeMailboxTable>;

/** `intake_checkpoint`: the highest UID read per folder, valid only with its UIDVALIDITY. */
export interface IntakeCheckpointTable {
  mailbox_id: string;
  folder: string;
  uid_validity: number;
  last_uid: number;
  updated_at: string;
}

/** What a message read by the intake was. */
export type IntakeMessageKind =
  'DSN' | 'COMPLAINT' | 'UNSUBSCRIBE' | 'STOP_REPLY' | 'AUTO_REPLY' | 'OTHER' | 'UNRECOGNISED';

/** How a message was tied to a delivery, strongest first (issue 16, "attribution in tiers"). */
export type IntakeAttribution =
  'VERP_TOKEN' | 'HEADER_TOKEN' | 'LIST_UNSUBSCRIBE_TOKEN' | 'MESSAGE_ID' | 'ADDRESS' | 'NONE';

/** `intake_message`: one row per message read; `outcome` is JSON without addresses (hashes only). */
export interface IntakeMessageTable {
  id: Generated<number>;
  mailbox_id: string;
  folder: string;
  uid_validity: number;
  uid: number;
  source_sha256: string;
  kind: IntakeMessageKind;
  attribution: IntakeAttribution;
  mailing_id: string | null;
  delivery_id: number | null;
  contact_id: number | null;
  address_hash: string | null;
  outcome: string;
  needs_review: Generated<0 | 1>;
  reviewed_at: string | null;
  /** The folder it is to be moved to; `moved_at` is set once the IMAP move succeeded. */
  move_to: string | null;
  moved_at: string | null;
  received_at: string | null;
  processed_at: string;
}
export type IntakeMessageRow = Selectable<IntakeMessageTable>;
export type NewIntakeMessageRow = Insertable<IntakeMessageTable>;

/** `sender_alert`: a receiving server refused the sender (not the recipient's fault). */
export interface SenderAlertTable {
  id: Generated<number>;
  mailing_id: string | null;
  delivery_id: number | null;
  source: 'SMTP' | 'INTAKE';
  category: string;
  status: string | null;
  diagnostic: string | null;
  recipient_domain: string | null;
  received_at: string;
  created_at: string;
  acknowledged_at: string | null;
}
export type SenderAlertRow = Selectable<SenderAlertTable>;
