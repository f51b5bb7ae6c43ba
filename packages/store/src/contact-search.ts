import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from './event-log.js';
import { inTransaction } from './transaction.js';

// The search index of migration 0700: a trigram FTS5 table of contact text, filled in bulk from
// `contact_search_pending` (ids a trigger noted on insert or change) rather than row by row.

/** The indexed text of a contact row: every searchable column, one space apart. */
const CONTACT_TEXT = sql`contact.email || ' ' || coalesce(contact.first_name, '') || ' ' ||
  coalesce(contact.last_name, '') || ' ' || coalesce(contact.organisation, '')`;

/** Rows indexed per transaction: keeps each commit short so the app stays responsive. */
const INDEX_CHUNK_ROWS = 20_000;

/**
 * Above this many matches in the index a term is common: walking the contacts in id order with LIKE finds
 * a page of them sooner than collecting every match first.
 */
const COMMON_TERM_MATCHES = 5_000;

/** Above this many contacts waiting to be indexed, a search scans instead of using the partial index. */
const MAX_PENDING_FOR_INDEX = 10_000;

/**
 * Indexes the contacts added or changed since the last call (all of them after migration 0700), in chunks
 * of one transaction each, and returns how many it indexed. Cheap when nothing is pending; call it after
 * an import, or let {@link contactSearchCondition}'s callers do it before a search.
 *
 * @example
 * const indexed = await indexPendingContacts(db);
 */
export async function indexPendingContacts(
  db: Executor,
  options: { chunkRows?: number; maxRows?: number } = {},
): Promise<number> {
  const chunk = options.chunkRows ?? INDEX_CHUNK_ROWS;
  let done = 0;
  for (;;) {
    const limit = Math.min(chunk, (options.maxRows ?? Number.POSITIVE_INFINITY) - done);
    if (limit <= 0) return done;
    const count = await inTransaction(db, async (trx) => {
      const { rows } = await sql<{ contact_id: number }>`
        SELECT contact_id FROM contact_search_pending ORDER BY contact_id LIMIT ${limit}`.execute(trx);
      if (rows.length === 0) return 0;
      const first = rows[0]?.contact_id ?? 0;
      const last = rows.at(-1)?.contact_id ?? 0;
      // A changed contact is indexed again: its old trigrams go first (contentless_delete needs only the rowid).
      await sql`DELETE FROM contact_search WHERE rowid IN (
        SELECT p.contact_id FROM contact_search_pending p
        WHERE p.contact_id BETWEEN ${first} AND ${last})`.execute(trx);
      await sql`INSERT INTO contact_search (rowid, text)
        SELECT contact.id, ${CONTACT_TEXT} FROM contact_search_pending p JOIN contact ON contact.id = p.contact_id
        WHERE p.contact_id BETWEEN ${first} AND ${last}`.execute(trx);
      await sql`DELETE FROM contact_search_pending WHERE contact_id BETWEEN ${first} AND ${last}`.execute(
        trx,
      );
      return rows.length;
    });
    done += count;
    if (count < limit) return done;
  }
}

/** How many contacts wait to be indexed. */
export async function pendingSearchRows(db: Executor): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM contact_search_pending`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** The FTS5 query for a substring: its trigrams, each quoted, all required (detail=none keeps no order). */
function trigramQuery(term: string): string | null {
  const chars = Array.from(term.toLowerCase());
  const grams = new Set<string>();
  for (let at = 0; at + 3 <= chars.length; at += 1)
    grams.add(
      `"${chars
        .slice(at, at + 3)
        .join('')
        .replace(/"/g, '""')}"`,
    );
  return grams.size === 0 ? null : [...grams].join(' ');
}

/**
 * The WHERE condition for "part of the address, first or last name or organisation", case-insensitive for
 * ASCII. For a term of three or more characters that is rare enough, the candidates come from the trigram
 * index (plus contacts not yet indexed) and LIKE confirms them; otherwise it is the plain LIKE scan, which
 * for a common term stops after the first page of hits.
 *
 * @example
 * query = query.where(await contactSearchCondition(db, 'de vries'));
 */
export async function contactSearchCondition(db: Executor, term: string): Promise<Expression<SqlBool>> {
  const pattern = `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  const like = sql<SqlBool>`(contact.email LIKE ${pattern} ESCAPE '\\' OR contact.last_name LIKE ${pattern} ESCAPE '\\'
    OR contact.first_name LIKE ${pattern} ESCAPE '\\' OR contact.organisation LIKE ${pattern} ESCAPE '\\')`;
  const match = trigramQuery(term);
  if (match === null) return like;
  if ((await pendingSearchRows(db)) > MAX_PENDING_FOR_INDEX) return like;
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (
    SELECT rowid FROM contact_search WHERE contact_search MATCH ${match} LIMIT ${COMMON_TERM_MATCHES})`.execute(
    db,
  );
  if (Number(rows[0]?.n ?? 0) >= COMMON_TERM_MATCHES) return like;
  return sql<SqlBool>`(contact.id IN (
      SELECT rowid FROM contact_search WHERE contact_search MATCH ${match}
      UNION ALL SELECT contact_id FROM contact_search_pending
    ) AND ${like})`;
}
