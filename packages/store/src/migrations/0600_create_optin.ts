import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { runStatements } from './migration-sql.js';

/**
 * Pairing with the opt-in service (issue 15): the service the desktop pulls sign-ups, confirmations and
 * unsubscribes from, with its pinned Ed25519 key (never the feed token: that is a secret, `token_ref`
 * names where it lives), and every signed event pulled, kept with its signature as evidence. An event is
 * stored once per service (its id is unique), in feed order.
 */
export const createOptin: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE optin_service (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        public_key TEXT NOT NULL,
        key_fingerprint TEXT NOT NULL CHECK (length(key_fingerprint) = 64),
        sender_entity_id TEXT NOT NULL REFERENCES sender_entity (id),
        token_ref TEXT NOT NULL,
        paired_at TEXT NOT NULL,
        unpaired_at TEXT,
        last_pulled_seq INTEGER NOT NULL DEFAULT 0 CHECK (last_pulled_seq >= 0),
        last_pull_at TEXT,
        last_pull_ok_at TEXT,
        last_pull_error TEXT
      ) STRICT`,
      `CREATE TABLE optin_event (
        id INTEGER PRIMARY KEY,
        service_id TEXT NOT NULL REFERENCES optin_service (id),
        seq INTEGER NOT NULL CHECK (seq > 0),
        event_id TEXT NOT NULL,
        type TEXT NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL CHECK (json_valid(data)),
        signature TEXT NOT NULL,
        contact_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,
        outcome TEXT NOT NULL,
        pulled_at TEXT NOT NULL
      ) STRICT`,
      'CREATE UNIQUE INDEX optin_event_by_service_id_event_id ON optin_event (service_id, event_id)',
      'CREATE INDEX optin_event_by_service_id_seq ON optin_event (service_id, seq)',
      'CREATE INDEX optin_event_by_contact_id ON optin_event (contact_id)',
    ]);
  },
};
