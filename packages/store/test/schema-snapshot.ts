import type BetterSqlite3 from 'better-sqlite3';

/** Column facts that existing data and code depend on. */
export interface ColumnShape {
  type: string;
  notNull: boolean;
  default: string | null;
  primaryKey: boolean;
}
export type SchemaShape = Record<string, Record<string, ColumnShape>>;

/** Every CHECK constraint per table, whitespace-normalised, in the order SQLite keeps them. */
export type CheckShape = Record<string, string[]>;

/**
 * The CHECK expressions of one `CREATE TABLE` statement (column and table constraints, including those
 * `ALTER TABLE … ADD COLUMN` appended): the text after each CHECK keyword up to its balanced closing
 * parenthesis, skipping string literals and quoted names so a `)` inside `'a)b'` does not end it.
 */
export function checkExpressions(createSql: string): string[] {
  const checks: string[] = [];
  const keyword = /\bCHECK\s*\(/giy;
  for (let i = 0; i < createSql.length; i++) {
    const ch = createSql[i];
    if (ch === "'" || ch === '"' || ch === '`') {
      i = createSql.indexOf(ch, i + 1);
      if (i === -1) break;
      continue;
    }
    keyword.lastIndex = i;
    if (!keyword.test(createSql)) continue;
    const start = keyword.lastIndex;
    let depth = 1;
    let j = start;
    for (; j < createSql.length && depth > 0; j++) {
      const c = createSql[j];
      if (c === "'" || c === '"') j = createSql.indexOf(c, j + 1);
      else if (c === '(') depth++;
      else if (c === ')') depth--;
    }
    checks.push(
      createSql
        .slice(start, j - 1)
        .replace(/\s+/g, ' ')
        .trim(),
    );
    i = j - 1;
  }
  return checks;
}

/** The CHECK constraints of every table, read from the statements SQLite stores. */
export function readChecks(sqlite: BetterSqlite3.Database): CheckShape {
  const tables = sqlite
    .prepare(
      "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name",
    )
    .all() as { name: string; sql: string }[];
  return Object.fromEntries(tables.map((table) => [table.name, checkExpressions(table.sql)]));
}

/**
 * CHECK constraints over released columns that differ from the baseline. Any difference counts, a widened
 * enum too: the chain must build the same schema forever, so a CHECK changes only through a new migration
 * (then move the baseline). This is what notices a migration that reads a live enum and so silently
 * widens a CHECK on fresh databases but not on old ones. A CHECK that names only new columns is additive.
 */
export function changedChecks(
  before: { schema: SchemaShape; checks: CheckShape },
  after: CheckShape,
): string[] {
  const problems: string[] = [];
  for (const [table, checks] of Object.entries(before.checks)) {
    const columns = Object.keys(before.schema[table] ?? {});
    const releasedOnly = (expressions: string[]) =>
      expressions.filter((expression) =>
        columns.some((column) => new RegExp(`(^|[^a-z0-9_])${column}([^a-z0-9_]|$)`, 'i').test(expression)),
      );
    const was = releasedOnly(checks);
    const now = releasedOnly(after[table] ?? []);
    for (const expression of was.filter((e) => !now.includes(e)))
      problems.push(`CHECK (${expression}) on ${table} was removed or changed`);
    for (const expression of now.filter((e) => !was.includes(e)))
      problems.push(`CHECK (${expression}) on ${table} is new on released columns`);
  }
  return problems;
}

/** Tables (without SQLite's and kysely's own) and their columns, as SQLite reports them. */
export function readSchema(sqlite: BetterSqlite3.Database): SchemaShape {
  const tables = sqlite
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name",
    )
    .all() as { name: string }[];
  const shape: SchemaShape = {};
  for (const { name } of tables) {
    const columns = sqlite.prepare(`PRAGMA table_info(${JSON.stringify(name)})`).all() as {
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }[];
    shape[name] = Object.fromEntries(
      columns.map((column) => [
        column.name,
        {
          type: column.type,
          notNull: column.notnull === 1,
          default: column.dflt_value,
          primaryKey: column.pk > 0,
        },
      ]),
    );
  }
  return shape;
}

/**
 * What a new schema breaks for data and code written against an older one: a dropped table, a dropped or
 * renamed column, a changed type, a column made NOT NULL, or a new NOT NULL column without a default.
 */
export function destructiveChanges(before: SchemaShape, after: SchemaShape): string[] {
  const problems: string[] = [];
  for (const [table, columns] of Object.entries(before)) {
    const now = after[table];
    if (now === undefined) {
      problems.push(`table ${table} was dropped or renamed`);
      continue;
    }
    for (const [column, shape] of Object.entries(columns)) {
      const current = now[column];
      if (current === undefined) problems.push(`column ${table}.${column} was dropped or renamed`);
      else if (current.type !== shape.type)
        problems.push(`column ${table}.${column} changed type ${shape.type} -> ${current.type}`);
      else if (current.notNull && !shape.notNull) problems.push(`column ${table}.${column} became NOT NULL`);
    }
    for (const [column, shape] of Object.entries(now)) {
      if (!(column in columns) && shape.notNull && shape.default === null && !shape.primaryKey) {
        problems.push(
          `new column ${table}.${column} is NOT NULL without a default (existing rows have no value)`,
        );
      }
    }
  }
  return problems;
}
