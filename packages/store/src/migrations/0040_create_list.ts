import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { runStatements } from './migration-sql.js';

/** Mailing lists and who is on them. A consent's scope names list ids (or "ALL"), see rule G6. */
export const createList: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE list (
        id TEXT PRIMARY KEY,
        sender_entity_id TEXT REFERENCES sender_entity (id),
        name TEXT NOT NULL,
        description TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        archived_at TEXT
      ) STRICT`,
      'CREATE UNIQUE INDEX list_by_name ON list (name)',
      `CREATE TABLE list_membership (
        list_id TEXT NOT NULL REFERENCES list (id),
        contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
        added_at TEXT NOT NULL,
        source TEXT,
        PRIMARY KEY (list_id, contact_id)
      ) STRICT, WITHOUT ROWID`,
      'CREATE INDEX list_membership_by_contact_id ON list_membership (contact_id)',
    ]);
  },
};
