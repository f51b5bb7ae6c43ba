import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

// Frozen with this migration (a later change of the policy's enum needs a migration of its own).
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

/** Columns of `acknowledgement` fixed by the signature: only the lapse columns may ever change. */
const SIGNED_COLUMNS = [
  'id',
  'mailing_id',
  'assessment_id',
  'sender_entity_id',
  'signer_name',
  'signer_role',
  'legal_name',
  'kvk_number',
  'signed_at',
  'policy_version',
  'text_version_id',
  'text_hash',
  'language',
  'counts',
  'recipient_set_hash',
  'recipient_count',
  'payload',
  'signature',
  'public_key',
];

/**
 * The recipients a signed acknowledgement covers, by address hash with the method and reason codes that
 * made them TRANSFER_RISK: the review shows them, exports carry them, and deliveries are matched to them
 * without keeping addresses. Signed evidence is immutable: triggers refuse changes to these rows, to the
 * signed columns of `acknowledgement`, and deletion of either (a lapse is recorded, never a deletion).
 */
export const createAcknowledgementRecipient: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE acknowledgement_recipient (
        acknowledgement_id TEXT NOT NULL REFERENCES acknowledgement (id),
        address_hash TEXT NOT NULL CHECK (length(address_hash) = 64),
        method TEXT NOT NULL ${inList('method', CONSENT_METHODS)},
        reasons TEXT NOT NULL CHECK (json_valid(reasons)),
        PRIMARY KEY (acknowledgement_id, address_hash)
      ) STRICT`,
      'CREATE INDEX acknowledgement_recipient_by_address_hash ON acknowledgement_recipient (address_hash)',
      `CREATE TRIGGER acknowledgement_recipient_refuse_update BEFORE UPDATE ON acknowledgement_recipient
        BEGIN SELECT RAISE(ABORT, 'signed acknowledgement recipients cannot be changed'); END`,
      `CREATE TRIGGER acknowledgement_recipient_refuse_delete BEFORE DELETE ON acknowledgement_recipient
        BEGIN SELECT RAISE(ABORT, 'signed acknowledgement recipients cannot be deleted'); END`,
      `CREATE TRIGGER acknowledgement_refuse_update BEFORE UPDATE OF ${SIGNED_COLUMNS.join(', ')} ON acknowledgement
        BEGIN SELECT RAISE(ABORT, 'a signed acknowledgement cannot be changed; only its lapse is recorded'); END`,
      `CREATE TRIGGER acknowledgement_refuse_delete BEFORE DELETE ON acknowledgement
        BEGIN SELECT RAISE(ABORT, 'a signed acknowledgement cannot be deleted'); END`,
    ]);
  },
};
