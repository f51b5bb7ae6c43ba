import type { Generated, Insertable, Selectable } from 'kysely';

/** `bounce`: `status` is the enhanced status code (e.g. 5.1.1); `diagnostic` is cleared on erasure. */
export interface BounceTable {
  id: Generated<number>;
  address_hash: string;
  contact_id: number | null;
  mailing_id: string | null;
  delivery_id: number | null;
  kind: 'HARD' | 'SOFT';
  status: string | null;
  diagnostic: string | null;
  received_at: string;
  created_at: string;
}
export type BounceRow = Selectable<BounceTable>;
export type NewBounceRow = Insertable<BounceTable>;
