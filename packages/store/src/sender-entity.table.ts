import type { Insertable, Selectable, Updateable } from 'kysely';

/** `sender_entity`: the legal entity that sends mail and owns consents. */
export interface SenderEntityTable {
  id: string;
  legal_name: string;
  trade_name: string | null;
  postal_address: string | null;
  contact_email: string | null;
  kvk_number: string | null;
  created_at: string;
  updated_at: string;
}
export type SenderEntityRow = Selectable<SenderEntityTable>;
export type NewSenderEntityRow = Insertable<SenderEntityTable>;
export type SenderEntityRowUpdate = Updateable<SenderEntityTable>;
