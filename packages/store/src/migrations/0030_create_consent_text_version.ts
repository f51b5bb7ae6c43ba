import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

/**
 * The exact texts a person saw (sign-up form, phone script, collection notice, acknowledgement text).
 * Addressed by the sha256 of the body, so an id proves the wording; triggers make rows immutable.
 */
export const createConsentTextVersion: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE consent_text_version (
        id TEXT PRIMARY KEY CHECK (length(id) = 64),
        kind TEXT NOT NULL ${inList('kind', ['CONSENT', 'COLLECTION', 'PHONE_SCRIPT', 'ACKNOWLEDGEMENT', 'OTHER'])},
        language TEXT NOT NULL,
        label TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT`,
      `CREATE TRIGGER consent_text_version_refuse_update BEFORE UPDATE ON consent_text_version
        BEGIN SELECT RAISE(ABORT, 'consent_text_version is immutable'); END`,
      `CREATE TRIGGER consent_text_version_refuse_delete BEFORE DELETE ON consent_text_version
        BEGIN SELECT RAISE(ABORT, 'consent_text_version is immutable'); END`,
    ]);
  },
};
