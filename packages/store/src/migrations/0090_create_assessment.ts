import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

// Frozen copy of the policy enum as it was when this migration was written: a migration must
// create the same schema forever, even after the enum grows (a later migration widens the CHECK).
const CLASSIFICATIONS = ['ALLOWED_PROVEN', 'ALLOWED_GREY', 'TRANSFER_RISK', 'BLOCKED'] as const;

/** The result of assessing a mailing: which policy version said what, and for exactly which recipients. */
export const createAssessment: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE assessment (
        id TEXT PRIMARY KEY,
        mailing_id TEXT NOT NULL REFERENCES mailing (id),
        policy_version TEXT NOT NULL,
        assessed_at TEXT NOT NULL,
        classification TEXT NOT NULL ${inList('classification', CLASSIFICATIONS)},
        counts TEXT NOT NULL,
        reasons TEXT NOT NULL DEFAULT '[]',
        recipient_set_hash TEXT NOT NULL,
        recipient_count INTEGER NOT NULL,
        included_count INTEGER NOT NULL,
        excluded_count INTEGER NOT NULL,
        needs_acknowledgement_count INTEGER NOT NULL
      ) STRICT`,
      'CREATE INDEX assessment_by_mailing_id_assessed_at ON assessment (mailing_id, assessed_at)',
    ]);
  },
};
