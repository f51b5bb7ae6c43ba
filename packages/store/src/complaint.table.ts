import type { ComplaintSource } from '@consent-mailer/policy';
import type { Generated, Insertable, Selectable } from 'kysely';

/** `complaint`: `detail` may hold personal data and is cleared on erasure. */
export interface ComplaintTable {
  id: Generated<number>;
  address_hash: string | null;
  contact_id: number | null;
  mailing_id: string | null;
  delivery_id: number | null;
  source: ComplaintSource;
  received_at: string;
  reference: string | null;
  detail: string | null;
  created_at: string;
}
export type ComplaintRow = Selectable<ComplaintTable>;
export type NewComplaintRow = Insertable<ComplaintTable>;
