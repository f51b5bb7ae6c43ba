import type { AddressKind, Classification, RecipientKind } from '@consent-mailer/policy';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** `contact`: one row per normalised e-mail address. Timestamps are ISO-8601 text. */
export interface ContactTable {
  id: Generated<number>;
  /** The address identity (see `normalizeEmailAddress` in @consent-mailer/policy): every match uses it. */
  email: string;
  /**
   * The address as it was given (local part's case kept), what mail is sent to; null when it equals
   * `email`. Never used to match: see `addressIdentity`.
   */
  email_spelling: string | null;
  /** sha256 (hex) of `email`: see `addressHash`. */
  address_hash: string;
  first_name: string | null;
  last_name: string | null;
  organisation: string | null;
  recipient_kind: RecipientKind;
  address_kind: AddressKind;
  /** The class of the latest assessment that included this contact (written by the api). */
  last_classification: Classification | null;
  last_classified_at: string | null;
  last_classified_mailing_id: string | null;
  created_at: string;
  updated_at: string;
}
export type ContactRow = Selectable<ContactTable>;
export type NewContactRow = Insertable<ContactTable>;
export type ContactRowUpdate = Updateable<ContactTable>;
