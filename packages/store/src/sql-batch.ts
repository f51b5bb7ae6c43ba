import { CompiledQuery } from 'kysely';
import type { Executor } from './event-log.js';

// SQLite's default limit of bound parameters per statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32).
const MAX_PARAMETERS = 32_000;
const statementCache = new Map<string, string>();

/**
 * Inserts many rows with multi-row INSERT statements whose SQL text is built once per shape and reused,
 * so a million rows cost a few thousand statements instead of a million query-builder runs. Table and
 * column names come from the store's own constants, never from input; values are always bound.
 * Returns the rows of the RETURNING clause, if any.
 *
 * @example
 * await insertRows(trx, 'list_membership', ['list_id', 'contact_id', 'added_at', 'source'], rows, 'ON CONFLICT DO NOTHING');
 */
export async function insertRows<R = unknown>(
  db: Executor,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  suffix = '',
): Promise<R[]> {
  return insertValues<R>(db, table, columns, rows.flat(), suffix);
}

/**
 * {@link insertRows} for values already laid out row after row in one flat array (`columns.length` values
 * per row): the bulk import builds its rows this way, without an array per row.
 *
 * @example
 * await insertValues(trx, 'list_membership', ['list_id', 'contact_id', 'added_at', 'source'], ['l1', 7, at, null]);
 */
export async function insertValues<R = unknown>(
  db: Executor,
  table: string,
  columns: readonly string[],
  values: readonly unknown[],
  suffix = '',
): Promise<R[]> {
  const width = columns.length;
  if (values.length % width !== 0) throw new Error(`${values.length} values do not fill rows of ${width}`);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / width));
  const rowCount = values.length / width;
  const returned: R[] = [];
  for (let start = 0; start < rowCount; start += perStatement) {
    const count = Math.min(perStatement, rowCount - start);
    const key = `${table}|${columns.join(',')}|${count}|${suffix}`;
    let text = statementCache.get(key);
    if (text === undefined) {
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      text = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: count }, () => tuple).join(', ')} ${suffix}`;
      statementCache.set(key, text);
    }
    const parameters = values.slice(start * width, (start + count) * width);
    const result = await db.executeQuery<R>(CompiledQuery.raw(text, parameters));
    for (const row of result.rows) returned.push(row);
  }
  return returned;
}

/**
 * Splits a list into chunks that fit in one `IN (…)` list of bound parameters.
 *
 * @example
 * for (const ids of inChunks(contactIds)) await db.selectFrom('consent').where('contact_id', 'in', ids)…;
 */
export function inChunks<T>(values: readonly T[], size = 10_000): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < values.length; start += size) chunks.push(values.slice(start, start + size));
  return chunks;
}
