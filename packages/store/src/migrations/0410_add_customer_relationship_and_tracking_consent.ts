import { CUSTOMER_RELATIONSHIPS } from '@consent-mailer/policy';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

/**
 * Evidence fields of policy 2026.12.1 on `consent` (acknowledgement range 0410–0429):
 * - customer_relationship: PAID_ORDER, FREE_TIER_OF_PAID_SERVICE or FREE_ONLY (rules C1, C5, C11 after
 *   CJEU C-654/23). NULL for existing rows: the rules then read order_paid exactly as before.
 * - tracking_consent_at: when the person consented to their opens and clicks being measured (rule K1).
 */
export const addCustomerRelationshipAndTrackingConsent: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `ALTER TABLE consent ADD COLUMN customer_relationship TEXT ${inList('customer_relationship', CUSTOMER_RELATIONSHIPS)}`,
      'ALTER TABLE consent ADD COLUMN tracking_consent_at TEXT',
    ]);
  },
};
