import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

// Frozen with this migration; the type's list lives in suppression.table.ts.
const SUPPRESSION_REASONS = [
  'UNSUBSCRIBED',
  'OBJECTED',
  'COMPLAINT',
  'HARD_BOUNCE',
  'ERASED',
  'MANUAL',
] as const;

/**
 * Addresses that must not be mailed, by the sha256 of the normalised address only, so the list outlives
 * erasure (docs/policy-rules.md section 7) without keeping the address itself.
 */
export const createSuppression: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE suppression (
        id INTEGER PRIMARY KEY,
        address_hash TEXT NOT NULL CHECK (length(address_hash) = 64),
        reason TEXT NOT NULL ${inList('reason', SUPPRESSION_REASONS)},
        source TEXT NOT NULL,
        note TEXT,
        created_at TEXT NOT NULL
      ) STRICT`,
      'CREATE UNIQUE INDEX suppression_by_address_hash_reason ON suppression (address_hash, reason)',
    ]);
  },
};
