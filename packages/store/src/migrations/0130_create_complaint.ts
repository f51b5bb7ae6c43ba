import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

// Frozen copy of the policy enum as it was when this migration was written: a migration must
// create the same schema forever, even after the enum grows (a later migration widens the CHECK).
const COMPLAINT_SOURCES = ['ARF', 'SPAMKLACHT', 'HOSTER', 'DATACENTER', 'MANUAL'] as const;

/** Spam complaints (ARF reports, spamklacht.nl, hoster, datacenter, entered by hand): rules G2, M10, M13. */
export const createComplaint: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE complaint (
        id INTEGER PRIMARY KEY,
        address_hash TEXT,
        contact_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,
        mailing_id TEXT REFERENCES mailing (id),
        delivery_id INTEGER REFERENCES delivery (id),
        source TEXT NOT NULL ${inList('source', COMPLAINT_SOURCES)},
        received_at TEXT NOT NULL,
        reference TEXT,
        detail TEXT,
        created_at TEXT NOT NULL
      ) STRICT`,
      'CREATE INDEX complaint_by_mailing_id ON complaint (mailing_id)',
      'CREATE INDEX complaint_by_received_at ON complaint (received_at)',
      'CREATE INDEX complaint_by_address_hash ON complaint (address_hash)',
    ]);
  },
};
