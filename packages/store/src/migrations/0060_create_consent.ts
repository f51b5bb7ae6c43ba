import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

// Frozen copy of the policy enum as it was when this migration was written: a migration must
// create the same schema forever, even after the enum grows (a later migration widens the CHECK).
const COMPLAINT_SOURCES = ['ARF', 'SPAMKLACHT', 'HOSTER', 'DATACENTER', 'MANUAL'] as const;

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

const OPT_OUT_AT_COLLECTION = ['YES', 'NO', 'TERMS_ONLY', 'UNKNOWN'] as const;

/**
 * A contact's consent (or soft opt-in basis) for one sender entity, with every evidence field of
 * docs/policy-rules.md section 3 as its own column (snake_case of the policy name), so a regulator's question
 * "show me how you got this address" is one row. List-valued fields are JSON text.
 * The consent text ids are not foreign keys: imported evidence may name texts kept outside the app.
 */
export const createConsent: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE consent (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
        sender_entity_id TEXT NOT NULL REFERENCES sender_entity (id),
        method TEXT NOT NULL ${inList('method', CONSENT_METHODS)},
        scope_lists TEXT NOT NULL DEFAULT '"ALL"',
        status TEXT NOT NULL DEFAULT 'ACTIVE' ${inList('status', ['ACTIVE', 'WITHDRAWN'])},
        import_batch_id TEXT REFERENCES import_batch (id),

        signup_at TEXT,
        signup_ip TEXT,
        signup_user_agent TEXT,
        source TEXT,
        consent_text_version_id TEXT,

        confirm_mail_sent_at TEXT,
        confirm_token_id TEXT,
        confirmed_at TEXT,
        confirm_ip TEXT,
        confirm_user_agent TEXT,

        phone_agent TEXT,
        phone_recording_ref TEXT,
        paper_scan_ref TEXT,

        order_ref TEXT,
        order_paid INTEGER CHECK (order_paid IN (0, 1)),
        order_at TEXT,
        last_purchase_at TEXT,
        purchase_categories TEXT,
        opt_out_offered_at_collection TEXT ${inList('opt_out_offered_at_collection', OPT_OUT_AT_COLLECTION)},
        collection_text_version_id TEXT,

        published_url TEXT,
        published_captured_at TEXT,
        published_purpose TEXT,

        attestation_id TEXT,

        unsubscribed_at TEXT,
        objected_at TEXT,
        complaint_at TEXT,
        complaint_source TEXT ${inList('complaint_source', COMPLAINT_SOURCES)},
        hard_bounce_at TEXT,
        hard_bounce_status TEXT,
        soft_bounces TEXT,
        last_delivered_at TEXT,
        last_engaged_at TEXT,
        reconfirmed_at TEXT,

        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT`,
      'CREATE UNIQUE INDEX consent_by_contact_id_sender_entity_id ON consent (contact_id, sender_entity_id)',
      'CREATE INDEX consent_by_method_contact_id ON consent (method, contact_id)',
      'CREATE INDEX consent_by_import_batch_id ON consent (import_batch_id)',
    ]);
  },
};
