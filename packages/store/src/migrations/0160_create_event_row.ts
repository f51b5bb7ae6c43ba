import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { runStatements } from './migration-sql.js';

/**
 * The row digests each event commits (issue 12: the chain covers the rows that decide who is mailed, not
 * only the events). One row per event, sealed table and part: `keys` is a JSON array of primary keys,
 * `digests` their 32-byte sha256 digests in the same order (all zero: the row was removed). The event's
 * `data.sealedRows` holds the hash of each part, so the chain covers these rows; triggers make them
 * append-only like the events. No personal data: keys are ids, digests are hashes.
 */
export const createEventRow: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE event_row (
        tbl TEXT NOT NULL,
        event_seq INTEGER NOT NULL REFERENCES event (seq),
        part INTEGER NOT NULL,
        keys TEXT NOT NULL,
        digests BLOB NOT NULL,
        PRIMARY KEY (tbl, event_seq, part)
      ) STRICT, WITHOUT ROWID`,
      `CREATE TRIGGER event_row_refuse_update BEFORE UPDATE ON event_row
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END`,
      `CREATE TRIGGER event_row_refuse_delete BEFORE DELETE ON event_row
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END`,
    ]);
  },
};
