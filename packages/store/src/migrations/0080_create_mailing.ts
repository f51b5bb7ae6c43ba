import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

// Frozen copy of the policy enum as it was when this migration was written: a migration must
// create the same schema forever, even after the enum grows (a later migration widens the CHECK).
const MAILING_CONTENTS = ['MARKETING', 'TRANSACTIONAL', 'MIXED'] as const;

/** A newsletter: its content, who sends it, to which list, and where it is in its life. */
export const createMailing: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE mailing (
        id TEXT PRIMARY KEY,
        sender_entity_id TEXT NOT NULL REFERENCES sender_entity (id),
        list_id TEXT NOT NULL REFERENCES list (id),
        smtp_profile_id TEXT REFERENCES smtp_profile (id),
        name TEXT NOT NULL,
        subject TEXT NOT NULL,
        from_name TEXT,
        from_address TEXT,
        reply_to TEXT,
        body_html TEXT,
        body_text TEXT,
        content TEXT NOT NULL ${inList('content', MAILING_CONTENTS)},
        product_categories TEXT,
        promotes_third_party INTEGER NOT NULL DEFAULT 0 CHECK (promotes_third_party IN (0, 1)),
        status TEXT NOT NULL DEFAULT 'DRAFT'
          ${inList('status', ['DRAFT', 'ASSESSED', 'QUEUED', 'SENDING', 'PAUSED', 'SENT', 'CANCELLED'])},
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        queued_at TEXT,
        sent_at TEXT
      ) STRICT`,
      'CREATE INDEX mailing_by_status_created_at ON mailing (status, created_at)',
    ]);
  },
};
