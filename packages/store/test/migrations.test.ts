import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, openStore, schemaStatus } from '../src/index.js';
import {
  changedChecks,
  checkExpressions,
  destructiveChanges,
  readChecks,
  readSchema,
  type CheckShape,
  type SchemaShape,
} from './schema-snapshot.js';
import { tempDir } from '../src/testing/index.js';

// The committed baseline: the schema as released. Additive changes pass; anything that breaks existing
// rows or code fails. After a release, copy .test-results/schema.json over it to move the baseline.
const BASELINE = join(import.meta.dirname, 'schema-baseline.json');
// The CHECK constraints of that release, kept apart so the column baseline stays readable.
const CHECK_BASELINE = join(import.meta.dirname, 'schema-checks-baseline.json');

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function freshFile(): string {
  const { dir, cleanup } = tempDir('store-migrations-');
  cleanups.push(cleanup);
  return join(dir, 'db.sqlite');
}

describe('the migration chain', () => {
  it('runs every migration on an empty database and reports them applied', async () => {
    const store = await openStore({ path: freshFile() });
    const status = await schemaStatus(store.db);
    expect(status.applied).toEqual(Object.keys(MIGRATIONS).sort());
    expect(status.pending).toEqual([]);
    await store.close();
  });

  it('creates only STRICT tables with snake_case names and indexes named <table>_by_<columns>', async () => {
    const store = await openStore({ path: freshFile() });
    const tables = store.sqlite
      .prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%'",
      )
      .all() as { name: string; sql: string }[];
    // FTS5 tables (and the shadow tables FTS5 makes for them) cannot be STRICT: SQLite's own format.
    const virtual = tables.filter((table) => /^CREATE VIRTUAL TABLE/i.test(table.sql)).map((t) => t.name);
    const shadow = (name: string) =>
      virtual.some((v) => new RegExp(`^${v}_(data|idx|content|docsize|config)$`).test(name));
    expect(tables.length).toBeGreaterThanOrEqual(17);
    expect(virtual).toEqual(['contact_search']);
    for (const table of tables) {
      expect(table.name).toMatch(/^[a-z][a-z0-9_]*$/);
      if (virtual.includes(table.name) || shadow(table.name)) continue;
      expect(table.sql, table.name).toMatch(/\)\s*STRICT(,\s*WITHOUT ROWID)?$/);
    }
    const indexes = store.sqlite
      .prepare("SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL")
      .all() as { name: string; tbl_name: string }[];
    for (const index of indexes)
      expect(index.name.startsWith(`${index.tbl_name}_by_`), index.name).toBe(true);
    await store.close();
  });

  it('makes no destructive change to the released schema', async () => {
    const store = await openStore({ path: freshFile() });
    const current = readSchema(store.sqlite);
    await store.close();
    const outDir = join(import.meta.dirname, '..', '.test-results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'schema.json'), `${JSON.stringify(current, null, 2)}\n`);
    const baseline = JSON.parse(readFileSync(BASELINE, 'utf8')) as SchemaShape;
    expect(destructiveChanges(baseline, current)).toEqual([]);
  });

  it('builds the released CHECK constraints exactly (a widened enum needs its own migration)', async () => {
    const store = await openStore({ path: freshFile() });
    const current = readChecks(store.sqlite);
    await store.close();
    const outDir = join(import.meta.dirname, '..', '.test-results');
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'schema-checks.json'), `${JSON.stringify(current, null, 2)}\n`);
    const schema = JSON.parse(readFileSync(BASELINE, 'utf8')) as SchemaShape;
    const checks = JSON.parse(readFileSync(CHECK_BASELINE, 'utf8')) as CheckShape;
    expect(Object.values(checks).flat().length).toBeGreaterThan(20);
    expect(changedChecks({ schema, checks }, current)).toEqual([]);
  });

  it('catches a CHECK widened or dropped on a released column, and allows one on a new column', () => {
    const before = {
      schema: {
        delivery: {
          consent_method: { type: 'TEXT', notNull: false, default: null, primaryKey: false },
          state: { type: 'TEXT', notNull: true, default: null, primaryKey: false },
        },
      },
      checks: { delivery: ["consent_method IN ('WEB_DOI', 'PHONE')", "state IN ('QUEUED', 'SENT')"] },
    };
    const widened = checkExpressions(
      `CREATE TABLE delivery (consent_method TEXT CHECK (consent_method IN ('WEB_DOI', 'PHONE', 'NEW')),
        state TEXT NOT NULL, note TEXT CHECK (length(note) < 10 AND note <> ')')) STRICT`,
    );
    expect(widened).toEqual([
      "consent_method IN ('WEB_DOI', 'PHONE', 'NEW')",
      "length(note) < 10 AND note <> ')'",
    ]);
    expect(changedChecks(before, { delivery: widened })).toEqual([
      "CHECK (consent_method IN ('WEB_DOI', 'PHONE')) on delivery was removed or changed",
      "CHECK (state IN ('QUEUED', 'SENT')) on delivery was removed or changed",
      "CHECK (consent_method IN ('WEB_DOI', 'PHONE', 'NEW')) on delivery is new on released columns",
    ]);
  });

  it('catches a dropped column, a renamed column and a new NOT NULL column without default', async () => {
    const path = freshFile();
    await (await openStore({ path })).close();
    // A plain connection: the store's row tracking (bounce and complaint are sealed) would refuse the
    // dropped column, and this test is about the schema comparison only.
    const sqlite = new BetterSqlite3(path);
    const before = readSchema(sqlite);
    sqlite.exec(`ALTER TABLE bounce DROP COLUMN diagnostic;
      ALTER TABLE complaint RENAME COLUMN reference TO ref;
      ALTER TABLE contact ADD COLUMN phone TEXT NOT NULL DEFAULT '';
      CREATE TABLE extra (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;`);
    const after = readSchema(sqlite);
    // SQLite cannot add a NOT NULL column without a default, so compare against a hand-made "after" too.
    after.suppression = {
      ...after.suppression,
      region: { type: 'TEXT', notNull: true, default: null, primaryKey: false },
    };
    expect(destructiveChanges(before, after)).toEqual([
      'column bounce.diagnostic was dropped or renamed',
      'column complaint.reference was dropped or renamed',
      'new column suppression.region is NOT NULL without a default (existing rows have no value)',
    ]);
    sqlite.close();
  });

  it('brings a database made by an older version up to date without touching its rows', async () => {
    const path = freshFile();
    const names = Object.keys(MIGRATIONS).sort();
    const firstHalf = names.slice(0, 6);
    const sqlite = new BetterSqlite3(path);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    const old = new Migrator({
      db,
      provider: {
        getMigrations: () =>
          Promise.resolve(
            Object.fromEntries(
              firstHalf
                .map((name) => [name, MIGRATIONS[name]])
                .filter(
                  (entry): entry is [string, NonNullable<(typeof MIGRATIONS)[string]>] =>
                    entry[1] !== undefined,
                ),
            ),
          ),
      },
    });
    const result = await old.migrateToLatest();
    expect(result.error).toBeUndefined();
    await sql`INSERT INTO contact (email, address_hash, recipient_kind, address_kind, created_at, updated_at)
      VALUES ('jan@example.nl', ${'a'.repeat(64)}, 'CONSUMER', 'PERSONAL', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`.execute(
      db,
    );
    await db.destroy();

    const store = await openStore({ path });
    const status = await schemaStatus(store.db);
    expect(status.applied).toEqual(names);
    const contacts = await store.db.selectFrom('contact').select('email').execute();
    expect(contacts).toEqual([{ email: 'jan@example.nl' }]);
    await store.close();
  });
});
