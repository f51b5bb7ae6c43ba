import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

/**
 * Evidence fields of policy 2026.12.1 on `consent`. Numbered 0170 so the columns exist before 0180 merges
 * consents (it writes every evidence column); the CHECK lists a frozen copy of the enum:
 * - customer_relationship: PAID_ORDER, FREE_TIER_OF_PAID_SERVICE or FREE_ONLY (rules C1, C5, C11 after
 *   CJEU C-654/23). NULL for existing rows: the rules then read order_paid exactly as before.
 * - tracking_consent_at: when the person consented to their opens and clicks being measured (rule K1).
 */
/** Frozen copy of policy's CUSTOMER_RELATIONSHIPS as of 2026.12.1: a migration creates the same schema forever. */
const FROZEN_CUSTOMER_RELATIONSHIPS = ['PAID_ORDER', 'FREE_TIER_OF_PAID_SERVICE', 'FREE_ONLY'] as const;

export const addCustomerRelationshipAndTrackingConsent: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `ALTER TABLE consent ADD COLUMN customer_relationship TEXT ${inList('customer_relationship', FROZEN_CUSTOMER_RELATIONSHIPS)}`,
      'ALTER TABLE consent ADD COLUMN tracking_consent_at TEXT',
    ]);
  },
};
