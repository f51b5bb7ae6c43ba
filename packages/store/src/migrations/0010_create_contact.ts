import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

// Frozen copy of the policy enum as it was when this migration was written: a migration must
// create the same schema forever, even after the enum grows (a later migration widens the CHECK).
const ADDRESS_KINDS = ['PERSONAL', 'ROLE', 'UNKNOWN'] as const;

const CLASSIFICATIONS = ['ALLOWED_PROVEN', 'ALLOWED_GREY', 'TRANSFER_RISK', 'BLOCKED'] as const;

const RECIPIENT_KINDS = ['CONSUMER', 'SOLE_TRADER', 'LEGAL_PERSON', 'UNKNOWN'] as const;

/**
 * One row per person or mailbox, keyed by the normalised address; `address_hash` (sha256 of it) joins
 * the suppression list, deliveries and erasable event payloads without touching the address. `last_classification` is written by
 * the api after each assessment so the contact list can filter by class without classifying a million
 * contacts per page (see the package README, "Class filter").
 */
export const createContact: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE contact (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL,
        address_hash TEXT NOT NULL CHECK (length(address_hash) = 64),
        first_name TEXT,
        last_name TEXT,
        organisation TEXT,
        recipient_kind TEXT NOT NULL ${inList('recipient_kind', RECIPIENT_KINDS)},
        address_kind TEXT NOT NULL ${inList('address_kind', ADDRESS_KINDS)},
        last_classification TEXT ${inList('last_classification', CLASSIFICATIONS)},
        last_classified_at TEXT,
        last_classified_mailing_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT`,
      'CREATE UNIQUE INDEX contact_by_email ON contact (email)',
      'CREATE UNIQUE INDEX contact_by_address_hash ON contact (address_hash)',
      'CREATE INDEX contact_by_last_classification_id ON contact (last_classification, id)',
    ]);
  },
};
