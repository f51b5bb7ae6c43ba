import { sql, type Kysely } from 'kysely';

/**
 * Runs DDL statements one by one. Migrations are written in plain SQLite DDL (STRICT tables, CHECKs,
 * triggers) because that is what the schema snapshot test and a reviewer read; better-sqlite3 prepares one
 * statement at a time, hence the list.
 *
 * @example
 * await runStatements(db, ['CREATE TABLE a (id INTEGER PRIMARY KEY) STRICT']);
 */
export async function runStatements(db: Kysely<unknown>, statements: readonly string[]): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}

/** `CHECK (column IN ('A', 'B'))` for an enum column, built from the policy's enum values. */
export function inList(column: string, values: readonly string[]): string {
  return `CHECK (${column} IN (${values.map((value) => `'${value}'`).join(', ')}))`;
}
