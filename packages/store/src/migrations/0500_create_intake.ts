import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

// Frozen with this migration (a later kind needs a migration that widens the CHECK).
const MESSAGE_KINDS = [
  'DSN',
  'COMPLAINT',
  'UNSUBSCRIBE',
  'STOP_REPLY',
  'AUTO_REPLY',
  'OTHER',
  'UNRECOGNISED',
] as const;
const ATTRIBUTIONS = [
  'VERP_TOKEN',
  'HEADER_TOKEN',
  'LIST_UNSUBSCRIBE_TOKEN',
  'MESSAGE_ID',
  'ADDRESS',
  'NONE',
] as const;

/**
 * Mailbox intake (issue 16): the IMAP mailboxes read for bounces, complaints and e-mailed unsubscribes
 * (never a password: `secret_ref` names where it lives), a checkpoint per folder by UIDVALIDITY + UID, one
 * row per message read (so a restart never processes one twice, also after UIDVALIDITY changes: the
 * source's sha256 is unique per mailbox), and the alerts for the owner when receiving servers refuse the
 * sender (SPF/DKIM/DMARC, blocklists).
 */
export const createIntake: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE intake_mailbox (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        host TEXT NOT NULL,
        port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
        security TEXT NOT NULL ${inList('security', ['TLS', 'STARTTLS', 'NONE'])},
        username TEXT NOT NULL,
        secret_ref TEXT NOT NULL,
        folder TEXT NOT NULL,
        processed_folder TEXT NOT NULL,
        unrecognised_folder TEXT NOT NULL,
        poll_seconds INTEGER NOT NULL CHECK (poll_seconds >= 10),
        last_run_at TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT`,
      `CREATE TABLE intake_checkpoint (
        mailbox_id TEXT NOT NULL REFERENCES intake_mailbox (id),
        folder TEXT NOT NULL,
        uid_validity INTEGER NOT NULL,
        last_uid INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (mailbox_id, folder)
      ) STRICT`,
      `CREATE TABLE intake_message (
        id INTEGER PRIMARY KEY,
        mailbox_id TEXT NOT NULL REFERENCES intake_mailbox (id),
        folder TEXT NOT NULL,
        uid_validity INTEGER NOT NULL,
        uid INTEGER NOT NULL,
        source_sha256 TEXT NOT NULL CHECK (length(source_sha256) = 64),
        kind TEXT NOT NULL ${inList('kind', MESSAGE_KINDS)},
        attribution TEXT NOT NULL ${inList('attribution', ATTRIBUTIONS)},
        mailing_id TEXT REFERENCES mailing (id),
        delivery_id INTEGER REFERENCES delivery (id),
        contact_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,
        address_hash TEXT,
        outcome TEXT NOT NULL CHECK (json_valid(outcome)),
        needs_review INTEGER NOT NULL DEFAULT 0 CHECK (needs_review IN (0, 1)),
        reviewed_at TEXT,
        move_to TEXT,
        moved_at TEXT,
        received_at TEXT,
        processed_at TEXT NOT NULL
      ) STRICT`,
      'CREATE UNIQUE INDEX intake_message_by_mailbox_id_folder_uid ON intake_message (mailbox_id, folder, uid_validity, uid)',
      'CREATE UNIQUE INDEX intake_message_by_mailbox_id_source_sha256 ON intake_message (mailbox_id, source_sha256)',
      'CREATE INDEX intake_message_by_mailing_id ON intake_message (mailing_id)',
      'CREATE INDEX intake_message_by_address_hash ON intake_message (address_hash)',
      `CREATE TABLE sender_alert (
        id INTEGER PRIMARY KEY,
        mailing_id TEXT REFERENCES mailing (id),
        delivery_id INTEGER REFERENCES delivery (id),
        source TEXT NOT NULL ${inList('source', ['SMTP', 'INTAKE'])},
        category TEXT NOT NULL,
        status TEXT,
        diagnostic TEXT,
        recipient_domain TEXT,
        received_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        acknowledged_at TEXT
      ) STRICT`,
      'CREATE INDEX sender_alert_by_mailing_id ON sender_alert (mailing_id)',
    ]);
  },
};
