import type BetterSqlite3 from 'better-sqlite3';

/** Column facts that existing data and code depend on. */
export interface ColumnShape {
  type: string;
  notNull: boolean;
  default: string | null;
  primaryKey: boolean;
}
export type SchemaShape = Record<string, Record<string, ColumnShape>>;

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
