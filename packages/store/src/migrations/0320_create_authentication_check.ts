import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { runStatements } from './migration-sql.js';

/**
 * The last SPF / DKIM / DMARC check read from DNS per SMTP profile (issue 18), with its time: shown in the
 * SMTP settings, fed into rule M7, and used when DNS cannot be reached (then labelled with its age). The
 * whole report is kept as JSON; the four verdicts M7 needs are columns so they can be read without it.
 */
export const createAuthenticationCheck: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE authentication_check (
        smtp_profile_id TEXT PRIMARY KEY REFERENCES smtp_profile (id),
        checked_at TEXT NOT NULL,
        spf_pass INTEGER NOT NULL CHECK (spf_pass IN (0, 1)),
        dkim_pass INTEGER NOT NULL CHECK (dkim_pass IN (0, 1)),
        dmarc_present INTEGER NOT NULL CHECK (dmarc_present IN (0, 1)),
        aligned INTEGER NOT NULL CHECK (aligned IN (0, 1)),
        report TEXT NOT NULL CHECK (json_valid(report))
      ) STRICT`,
    ]);
  },
};
