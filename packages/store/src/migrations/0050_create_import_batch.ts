import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { inList, runStatements } from './migration-sql.js';

/**
 * One imported file: what it was (name, sha256), how its columns were mapped, what came of it (counts)
 * and the sender's attestation for addresses of unknown origin (rule U2).
 */
export const createImportBatch: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE TABLE import_batch (
        id TEXT PRIMARY KEY,
        file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        file_size INTEGER,
        sender_entity_id TEXT REFERENCES sender_entity (id),
        list_id TEXT REFERENCES list (id),
        mapping TEXT NOT NULL DEFAULT '{}',
        default_method TEXT,
        status TEXT NOT NULL DEFAULT 'RUNNING' ${inList('status', ['RUNNING', 'DONE', 'FAILED', 'CANCELLED'])},
        rows_total INTEGER NOT NULL DEFAULT 0,
        imported_count INTEGER NOT NULL DEFAULT 0,
        updated_count INTEGER NOT NULL DEFAULT 0,
        duplicate_count INTEGER NOT NULL DEFAULT 0,
        suppressed_count INTEGER NOT NULL DEFAULT 0,
        rejected_count INTEGER NOT NULL DEFAULT 0,
        attestation_id TEXT,
        attestation TEXT,
        rejects_path TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        error TEXT
      ) STRICT`,
      'CREATE INDEX import_batch_by_file_sha256 ON import_batch (file_sha256)',
    ]);
  },
};
