import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Issue 12: from this step on, the rows of `smtp_profile`, `authentication_check`, `domain_pacing`,
 * `bounce`, `complaint`, `consent_text_version` and `intake_message` are sealed into the event chain
 * (SEALED_TABLES in row-seal.ts, SEALED_SINCE in ledger-verification.ts). The schema does not change: the
 * step marks the file, so that the open that runs it commits those tables' current rows (`ledger.resealed`,
 * only over a file that checked clean) and every later open holds the file to them.
 */
export const sealSendingAndFeedback: Migration = {
  async up(_db: Kysely<unknown>) {
    // Nothing to change in the schema; the store reseals after migrating.
  },
};
