import type { Generated, Insertable, Selectable } from 'kysely';

/** Why an address may never be mailed again. */
export const SUPPRESSION_REASONS = [
  'UNSUBSCRIBED',
  'OBJECTED',
  'COMPLAINT',
  'HARD_BOUNCE',
  'ERASED',
  'MANUAL',
] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** `suppression`: by address hash only (sha256 of the normalised address). */
export interface SuppressionTable {
  id: Generated<number>;
  address_hash: string;
  reason: SuppressionReason;
  /** Where it came from: 'UNSUBSCRIBE_LINK', 'ARF', 'DSN', 'IMPORT', 'CLI', 'APP', 'ERASURE' … */
  source: string;
  note: string | null;
  created_at: string;
}
export type SuppressionRow = Selectable<SuppressionTable>;
export type NewSuppressionRow = Insertable<SuppressionTable>;
