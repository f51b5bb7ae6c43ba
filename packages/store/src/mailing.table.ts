import type { MailingContent } from '@consent-mailer/policy';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type MailingStatus = 'DRAFT' | 'ASSESSED' | 'QUEUED' | 'SENDING' | 'PAUSED' | 'SENT' | 'CANCELLED';

/** `mailing`: `product_categories` is JSON text (string[]); `promotes_third_party` is 0/1. */
export interface MailingTable {
  id: string;
  sender_entity_id: string;
  list_id: string;
  smtp_profile_id: string | null;
  name: string;
  subject: string;
  from_name: string | null;
  from_address: string | null;
  reply_to: string | null;
  body_html: string | null;
  body_text: string | null;
  content: MailingContent;
  product_categories: string | null;
  promotes_third_party: Generated<0 | 1>;
  status: Generated<MailingStatus>;
  created_at: string;
  updated_at: string;
  queued_at: string | null;
  sent_at: string | null;
}
export type MailingRow = Selectable<MailingTable>;
export type NewMailingRow = Insertable<MailingTable>;
export type MailingRowUpdate = Updateable<MailingTable>;
