import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { runStatements } from './migration-sql.js';

/**
 * The outbox claims the next queued deliveries of a mailing in id order many times per send: with this
 * index that is a range read instead of a scan and sort of the whole mailing.
 */
export const indexDeliveryClaims: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      'CREATE INDEX delivery_by_mailing_id_state_id ON delivery (mailing_id, state, id)',
    ]);
  },
};
