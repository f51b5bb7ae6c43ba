import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

/**
 * How to reach the business's SMTP server and its limits. No secrets: `secret_ref` names the entry in
 * the OS keychain (desktop) or the environment variable (CLI) that holds the password.
 */
export const createSmtpProfile: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE smtp_profile (
        id TEXT PRIMARY KEY,
        sender_entity_id TEXT REFERENCES sender_entity (id),
        name TEXT NOT NULL,
        host TEXT NOT NULL,
        port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
        security TEXT NOT NULL ${inList('security', ['TLS', 'STARTTLS', 'NONE'])},
        username TEXT,
        secret_ref TEXT,
        from_name TEXT,
        from_address TEXT NOT NULL,
        reply_to TEXT,
        max_per_minute INTEGER,
        max_per_hour INTEGER,
        max_per_day INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT`,
      'CREATE UNIQUE INDEX smtp_profile_by_name ON smtp_profile (name)',
    ]);
  },
};
