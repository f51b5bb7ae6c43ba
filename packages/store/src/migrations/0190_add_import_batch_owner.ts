import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { runStatements } from './migration-sql.js';

/**
 * Who runs an import (issue 12): the process id and host that write a RUNNING batch, and the heartbeat it
 * refreshes with every chunk. Another process (a second app window, the CLI's `imports list`) then marks a
 * batch interrupted only when that owner is gone, as the mailing worker's claim does (0300's worker_*
 * columns on mailing), instead of whenever the batch is not one of its own jobs.
 */
export const addImportBatchOwner: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      'ALTER TABLE import_batch ADD COLUMN worker_pid INTEGER',
      'ALTER TABLE import_batch ADD COLUMN worker_host TEXT',
      'ALTER TABLE import_batch ADD COLUMN worker_heartbeat_at TEXT',
    ]);
  },
};
