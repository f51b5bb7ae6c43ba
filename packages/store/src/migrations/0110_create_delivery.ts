import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

// Frozen copy of the policy enum as it was when this migration was written: a migration must
// create the same schema forever, even after the enum grows (a later migration widens the CHECK).
const CLASSIFICATIONS = ['ALLOWED_PROVEN', 'ALLOWED_GREY', 'TRANSFER_RISK', 'BLOCKED'] as const;

/**
 * The outbox: one row per recipient of a mailing. A worker claims rows (state SENDING, claimed_at) and
 * completes them in one transaction each, so a crash never sends twice without a trace. The address is
 * copied so the outbox survives contact edits; erasure blanks `email` and keeps `address_hash`.
 */
export const createDelivery: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE delivery (
        id INTEGER PRIMARY KEY,
        mailing_id TEXT NOT NULL REFERENCES mailing (id),
        contact_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,
        email TEXT,
        address_hash TEXT NOT NULL,
        classification TEXT ${inList('classification', CLASSIFICATIONS)},
        acknowledgement_id TEXT REFERENCES acknowledgement (id),
        state TEXT NOT NULL DEFAULT 'QUEUED'
          ${inList('state', ['QUEUED', 'SENDING', 'SENT', 'DEFERRED', 'FAILED', 'SKIPPED', 'CANCELLED'])},
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        claimed_at TEXT,
        claimed_by TEXT,
        sent_at TEXT,
        smtp_code INTEGER,
        smtp_reply TEXT,
        message_id TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT`,
      'CREATE UNIQUE INDEX delivery_by_mailing_id_address_hash ON delivery (mailing_id, address_hash)',
      'CREATE INDEX delivery_by_mailing_id_state_next_attempt_at ON delivery (mailing_id, state, next_attempt_at)',
      'CREATE INDEX delivery_by_contact_id ON delivery (contact_id)',
      'CREATE INDEX delivery_by_message_id ON delivery (message_id)',
    ]);
  },
};
