import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

/**
 * Per-recipient-domain sending limits of an SMTP profile (issue 18): overrides of the built-in defaults
 * for Gmail, Microsoft, Yahoo, Ziggo, KPN and XS4ALL, or limits for any other domain. And whether the
 * profile's sending domain/IP is NEW (a warm-up schedule applies from its first send) or ESTABLISHED.
 */
export const createDomainPacing: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE domain_pacing (
        smtp_profile_id TEXT NOT NULL REFERENCES smtp_profile (id),
        domain TEXT NOT NULL CHECK (domain = lower(domain) AND length(domain) BETWEEN 1 AND 253),
        per_minute INTEGER CHECK (per_minute > 0),
        per_hour INTEGER CHECK (per_hour > 0),
        per_day INTEGER CHECK (per_day > 0),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (smtp_profile_id, domain)
      ) STRICT`,
      `ALTER TABLE smtp_profile ADD COLUMN sending_history TEXT NOT NULL DEFAULT 'NEW' ${inList('sending_history', ['NEW', 'ESTABLISHED'])}`,
    ]);
  },
};
