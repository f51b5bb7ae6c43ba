import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

/** Delivery status notifications (RFC 3464) and SMTP rejections: rules G3, G4, M12. */
export const createBounce: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE bounce (
        id INTEGER PRIMARY KEY,
        address_hash TEXT NOT NULL,
        contact_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,
        mailing_id TEXT REFERENCES mailing (id),
        delivery_id INTEGER REFERENCES delivery (id),
        kind TEXT NOT NULL ${inList('kind', ['HARD', 'SOFT'])},
        status TEXT,
        diagnostic TEXT,
        received_at TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT`,
      'CREATE INDEX bounce_by_mailing_id_kind ON bounce (mailing_id, kind)',
      'CREATE INDEX bounce_by_address_hash ON bounce (address_hash)',
    ]);
  },
};
