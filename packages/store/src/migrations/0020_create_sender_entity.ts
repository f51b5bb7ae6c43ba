import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { runStatements } from './migration-sql.js';

/** The legal entity that sends (and owns consents): identity for the From line and the footer (M1, M5). */
export const createSenderEntity: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE sender_entity (
        id TEXT PRIMARY KEY,
        legal_name TEXT NOT NULL,
        trade_name TEXT,
        postal_address TEXT,
        contact_email TEXT,
        kvk_number TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT`,
    ]);
  },
};
