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
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const returned: R[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const slice = rows.slice(start, start + perStatement);
    const key = `${table}|${columns.join(',')}|${slice.length}|${suffix}`;
    let text = statementCache.get(key);
    if (text === undefined) {
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      text = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: slice.length }, () => tuple).join(', ')} ${suffix}`;
      statementCache.set(key, text);
    }
    const parameters: unknown[] = [];
    for (const row of slice) for (const value of row) parameters.push(value);
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
