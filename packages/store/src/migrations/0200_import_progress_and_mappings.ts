import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { runStatements } from './migration-sql.js';

/**
 * What the importer needs beyond the core schema (importer range 0200–0290):
 * - import_batch: the rows committed so far (a cancelled or crashed import says exactly how far it got),
 *   the recognised tool, the encoding and delimiter detected, and the time zone its times were read in.
 * - import_mapping: column mappings a user saved by name to reuse for the next export of the same tool.
 */
export const addImportProgressAndMappings: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      'ALTER TABLE import_batch ADD COLUMN rows_done INTEGER NOT NULL DEFAULT 0',
      'ALTER TABLE import_batch ADD COLUMN source_tool TEXT',
      'ALTER TABLE import_batch ADD COLUMN encoding TEXT',
      'ALTER TABLE import_batch ADD COLUMN delimiter TEXT',
      `CREATE TABLE import_mapping (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        mapping TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT`,
      'CREATE UNIQUE INDEX import_mapping_by_name ON import_mapping (name)',
    ]);
  },
};
