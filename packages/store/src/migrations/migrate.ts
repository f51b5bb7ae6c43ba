import type { Kysely } from 'kysely';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import { UserError } from '@consent-mailer/policy';
import { MIGRATIONS } from './migrations.js';

/** Where the schema stands: what ran, what is still to run. */
export interface SchemaStatus {
  /** The name of the last applied migration, or null on an empty database. */
  version: string | null;
  applied: string[];
  pending: string[];
}

function migratorFor<DB>(db: Kysely<DB>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) },
    // Helpers add migrations in their own number ranges at the same time; a database that already ran
    // 0300 must still accept a later-merged 0210, so order is checked only by name, not enforced.
    allowUnorderedMigrations: true,
  });
}

/**
 * Runs every pending migration, each in its own transaction. Throws a UserError naming the migration
 * that failed; the database stays at the last migration that succeeded.
 *
 * @example
 * const status = await migrateToLatest(store.db);
 * console.log(status.version); // '0150_create_event'
 */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<SchemaStatus> {
  const result: MigrationResultSet = await migratorFor(db).migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((entry) => entry.status === 'Error')?.migrationName ?? 'unknown';
    const reason = result.error instanceof Error ? result.error.message : 'unknown error';
    throw new UserError(
      'STORE_MIGRATION_FAILED',
      {
        en: `Updating the database failed at step ${failed}: ${reason}. Nothing of that step was kept; restore a backup or contact support with this message.`,
        nl: `Het bijwerken van de database is mislukt bij stap ${failed}: ${reason}. Niets van die stap is bewaard; zet een back-up terug of neem contact op met support met deze melding.`,
      },
      { cause: result.error },
    );
  }
  return schemaStatus(db);
}

/**
 * Lists applied and pending migrations without running any.
 *
 * @example
 * const { pending } = await schemaStatus(store.db);
 */
export async function schemaStatus<DB>(db: Kysely<DB>): Promise<SchemaStatus> {
  const migrations = await migratorFor(db).getMigrations();
  const applied = migrations.filter((entry) => entry.executedAt !== undefined).map((entry) => entry.name);
  const pending = migrations.filter((entry) => entry.executedAt === undefined).map((entry) => entry.name);
  return { version: applied.at(-1) ?? null, applied, pending };
}
