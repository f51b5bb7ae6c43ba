import type {
  ComplaintSource,
  ConsentMethod,
  CustomerRelationship,
  OptOutAtCollection,
} from '@consent-mailer/policy';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type ConsentStatus = 'ACTIVE' | 'WITHDRAWN';

/**
 * `consent`: one per (contact, sender entity), with the evidence fields of docs/policy-rules.md section 3 in
 * snake_case. JSON text columns: `scope_lists` (`"ALL"` or `["list-id", …]`), `purchase_categories`
 * (string[]), `soft_bounces` ({ at, mailingId }[]). `order_paid` is 0/1.
 */
export interface ConsentTable {
  id: Generated<number>;
  contact_id: number;
  sender_entity_id: string;
  method: ConsentMethod;
  scope_lists: Generated<string>;
  status: Generated<ConsentStatus>;
  import_batch_id: string | null;

  signup_at: string | null;
  signup_ip: string | null;
  signup_user_agent: string | null;
  source: string | null;
  consent_text_version_id: string | null;

  confirm_mail_sent_at: string | null;
  confirm_token_id: string | null;
  confirmed_at: string | null;
  confirm_ip: string | null;
  confirm_user_agent: string | null;

  phone_agent: string | null;
  phone_recording_ref: string | null;
  paper_scan_ref: string | null;

  order_ref: string | null;
  order_paid: 0 | 1 | null;
  order_at: string | null;
  last_purchase_at: string | null;
  purchase_categories: string | null;
  opt_out_offered_at_collection: OptOutAtCollection | null;
  collection_text_version_id: string | null;

  published_url: string | null;
  published_captured_at: string | null;
  published_purpose: string | null;

  attestation_id: string | null;

  unsubscribed_at: string | null;
  objected_at: string | null;
  complaint_at: string | null;
  complaint_source: ComplaintSource | null;
  hard_bounce_at: string | null;
  hard_bounce_status: string | null;
  soft_bounces: string | null;
  last_delivered_at: string | null;
  last_engaged_at: string | null;
  reconfirmed_at: string | null;

  /** Policy 2026.12.1 (migration 0410): the customer relationship (C5, C11) and tracking consent (K1). */
  customer_relationship: CustomerRelationship | null;
  tracking_consent_at: string | null;

  created_at: string;
  updated_at: string;
}
export type ConsentRow = Selectable<ConsentTable>;
export type NewConsentRow = Insertable<ConsentTable>;
export type ConsentRowUpdate = Updateable<ConsentTable>;
