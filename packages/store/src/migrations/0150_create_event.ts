import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { runStatements } from './migration-sql.js';

/**
 * The append-only, hash-chained event log. `event` is the chained record: it holds no personal data,
 * only `personal_hash`, the sha256 of the personal payload kept in `event_personal`. Erasure (GDPR art.
 * 17) deletes `event_personal` rows; the chain still verifies because it covers the hash, not the data.
 * Triggers refuse UPDATE and DELETE on `event`, and UPDATE on `event_personal`.
 */
export const createEvent: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE event (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        type TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT,
        data TEXT NOT NULL,
        personal_hash TEXT,
        prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
        hash TEXT NOT NULL CHECK (length(hash) = 64)
      ) STRICT`,
      'CREATE INDEX event_by_entity_entity_id ON event (entity, entity_id)',
      `CREATE TRIGGER event_refuse_update BEFORE UPDATE ON event
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END`,
      `CREATE TRIGGER event_refuse_delete BEFORE DELETE ON event
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END`,
      `CREATE TABLE event_personal (
        event_seq INTEGER PRIMARY KEY REFERENCES event (seq),
        subject_hash TEXT,
        payload TEXT NOT NULL
      ) STRICT`,
      'CREATE INDEX event_personal_by_subject_hash ON event_personal (subject_hash)',
      `CREATE TRIGGER event_personal_refuse_update BEFORE UPDATE ON event_personal
        BEGIN SELECT RAISE(ABORT, 'personal event data can be erased, never changed'); END`,
    ]);
  },
};
