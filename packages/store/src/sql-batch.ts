import { CompiledQuery } from 'kysely';
import type { Executor } from './event-log.js';

// SQLite allows 32,766 bound parameters per statement; 8,000 keeps each statement's parameter array (8 bytes a
// value) under V8's large-object size (128 KB), so it dies young instead of waiting for a full collection:
// a million-row import otherwise piles up hundreds of MB of dead arrays before the heap shrinks again.
const MAX_PARAMETERS = 8000;
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
  return insertRowsWith<readonly unknown[], R>(db, table, columns, rows, copyRow, suffix);
}

function copyRow(target: unknown[], offset: number, row: readonly unknown[]): void {
  for (let index = 0; index < row.length; index += 1) target[offset + index] = row[index];
}

/**
 * {@link insertRows} for rows of any shape: `writeRow` writes the `columns.length` values of one row into the
 * statement's parameter array at `offset`, so the bulk import builds no array per row.
 *
 * @example
 * await insertRowsWith(trx, 'list_membership', ['list_id', 'contact_id', 'added_at', 'source'], contactIds,
 *   (target, offset, id) => { target[offset] = listId; target[offset + 1] = id; target[offset + 2] = at; target[offset + 3] = null; });
 */
export async function insertRowsWith<T, R = unknown>(
  db: Executor,
  table: string,
  columns: readonly string[],
  rows: readonly T[],
  writeRow: (target: unknown[], offset: number, row: T) => void,
  suffix = '',
): Promise<R[]> {
  const width = columns.length;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / width));
  const returned: R[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const count = Math.min(perStatement, rows.length - start);
    const key = `${table}|${columns.join(',')}|${count}|${suffix}`;
    let text = statementCache.get(key);
    if (text === undefined) {
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      text = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: count }, () => tuple).join(', ')} ${suffix}`;
      statementCache.set(key, text);
    }
    const parameters: unknown[] = new Array(count * width);
    for (let index = 0; index < count; index += 1) {
      writeRow(parameters, index * width, rows[start + index] as T);
    }
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
