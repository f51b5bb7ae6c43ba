import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

// A frozen copy of the consent methods as they were when this migration was written: a migration must
// create the same schema forever, even after the live enum grows (a later migration widens the CHECK).
const CONSENT_METHODS = [
  'WEB_DOI',
  'WEB_SOI',
  'PHONE',
  'PAPER',
  'CUSTOMER',
  'B2B_PUBLISHED',
  'IMPORTED_UNKNOWN',
  'THIRD_PARTY',
] as const;

/**
 * What sending needs beyond the core schema (mailer range 0300–0390):
 * - sender_entity: VAT number, website and the business's own https unsubscribe page (RFC 8058).
 * - smtp_profile: parallel connections, DKIM domain and selector (the key is a secret), and the owner's
 *   statement that SPF / DMARC are set up for the From domain (rule M7; not checked over DNS).
 * - mailing: language, the worker that holds the send (crash recovery), and the error that stopped it.
 * - delivery: the per-recipient unsubscribe token, consent method and first-mailing flag frozen at queue
 *   time, when the message was handed to SMTP (crash safety), and when it became uncertain.
 */
export const addSendingColumns: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      'ALTER TABLE sender_entity ADD COLUMN vat_number TEXT',
      'ALTER TABLE sender_entity ADD COLUMN website TEXT',
      'ALTER TABLE sender_entity ADD COLUMN unsubscribe_url TEXT',

      'ALTER TABLE smtp_profile ADD COLUMN connections INTEGER NOT NULL DEFAULT 2 CHECK (connections BETWEEN 1 AND 20)',
      'ALTER TABLE smtp_profile ADD COLUMN dkim_domain TEXT',
      'ALTER TABLE smtp_profile ADD COLUMN dkim_selector TEXT',
      'ALTER TABLE smtp_profile ADD COLUMN spf_declared INTEGER NOT NULL DEFAULT 0 CHECK (spf_declared IN (0, 1))',
      'ALTER TABLE smtp_profile ADD COLUMN dmarc_declared INTEGER NOT NULL DEFAULT 0 CHECK (dmarc_declared IN (0, 1))',

      `ALTER TABLE mailing ADD COLUMN lang TEXT NOT NULL DEFAULT 'nl' ${inList('lang', ['nl', 'en'])}`,
      'ALTER TABLE mailing ADD COLUMN worker_id TEXT',
      'ALTER TABLE mailing ADD COLUMN worker_pid INTEGER',
      'ALTER TABLE mailing ADD COLUMN worker_host TEXT',
      'ALTER TABLE mailing ADD COLUMN worker_heartbeat_at TEXT',
      'ALTER TABLE mailing ADD COLUMN last_error_code TEXT',
      'ALTER TABLE mailing ADD COLUMN last_error TEXT',

      'ALTER TABLE delivery ADD COLUMN unsubscribe_token TEXT',
      `ALTER TABLE delivery ADD COLUMN consent_method TEXT ${inList('consent_method', CONSENT_METHODS)}`,
      'ALTER TABLE delivery ADD COLUMN first_mailing INTEGER NOT NULL DEFAULT 0 CHECK (first_mailing IN (0, 1))',
      'ALTER TABLE delivery ADD COLUMN handed_over_at TEXT',
      'ALTER TABLE delivery ADD COLUMN uncertain_at TEXT',
      'CREATE UNIQUE INDEX delivery_by_unsubscribe_token ON delivery (unsubscribe_token)',
      'CREATE INDEX delivery_by_state_sent_at ON delivery (state, sent_at)',
    ]);
  },
};
