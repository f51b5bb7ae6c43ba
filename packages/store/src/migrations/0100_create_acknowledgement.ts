import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { runStatements } from './migration-sql.js';

/**
 * A signed risk-transfer acknowledgement (docs/policy-rules.md section 6). `payload` is the canonical JSON
 * that was signed (Ed25519), so it verifies without this database; the columns beside it are for queries.
 */
export const createAcknowledgement: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE acknowledgement (
        id TEXT PRIMARY KEY,
        mailing_id TEXT NOT NULL REFERENCES mailing (id),
        assessment_id TEXT REFERENCES assessment (id),
        sender_entity_id TEXT NOT NULL REFERENCES sender_entity (id),
        signer_name TEXT NOT NULL,
        signer_role TEXT NOT NULL,
        legal_name TEXT NOT NULL,
        kvk_number TEXT,
        signed_at TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        text_version_id TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        language TEXT NOT NULL,
        counts TEXT NOT NULL,
        recipient_set_hash TEXT NOT NULL,
        recipient_count INTEGER NOT NULL,
        payload TEXT NOT NULL,
        signature TEXT NOT NULL,
        public_key TEXT NOT NULL,
        lapsed_at TEXT,
        lapse_reason TEXT
      ) STRICT`,
      'CREATE INDEX acknowledgement_by_mailing_id ON acknowledgement (mailing_id)',
      'CREATE INDEX acknowledgement_by_signed_at ON acknowledgement (signed_at)',
    ]);
  },
};
