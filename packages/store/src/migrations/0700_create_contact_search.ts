import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { runStatements } from './migration-sql.js';

/**
 * A trigram full-text index over the searchable contact columns (address, names, organisation), so a
 * search for part of a name is an index lookup instead of a LIKE scan of every contact (issue 19).
 *
 * - Contentless (`content=''`): the text is not stored a second time, only its trigrams; with
 *   `contentless_delete=1` a row can be removed by rowid alone, and `secure-delete` removes an erased
 *   contact's trigrams from the index at once instead of leaving them until the next merge.
 * - `detail=none`: no positions, so the index is a third of the size and quicker to build; a match is a
 *   candidate that the query checks with LIKE against the contact row itself (contact-search.ts).
 * - Indexing is not done row by row in a trigger: that made inserts about 10x slower. A trigger only notes
 *   the id of a new or changed contact in `contact_search_pending` (one integer key); the store indexes
 *   the pending rows in bulk (`indexPendingContacts`) and searches them with LIKE until then.
 */
export const createContactSearch: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, [
      `CREATE VIRTUAL TABLE contact_search USING fts5(
        text, content='', contentless_delete=1, detail=none, tokenize='trigram'
      )`,
      `INSERT INTO contact_search (contact_search, rank) VALUES ('secure-delete', 1)`,
      'CREATE TABLE contact_search_pending (contact_id INTEGER PRIMARY KEY) STRICT',
      `CREATE TRIGGER contact_search_after_insert AFTER INSERT ON contact BEGIN
        INSERT INTO contact_search_pending (contact_id) SELECT new.id
          WHERE NOT EXISTS (SELECT 1 FROM contact_search_pending WHERE contact_id = new.id);
      END`,
      `CREATE TRIGGER contact_search_after_update AFTER UPDATE OF email, first_name, last_name, organisation
        ON contact
        WHEN old.email IS NOT new.email OR old.first_name IS NOT new.first_name
          OR old.last_name IS NOT new.last_name OR old.organisation IS NOT new.organisation
      BEGIN
        INSERT INTO contact_search_pending (contact_id) SELECT new.id
          WHERE NOT EXISTS (SELECT 1 FROM contact_search_pending WHERE contact_id = new.id);
      END`,
      // Not INSERT OR IGNORE above: inside a trigger the outer statement's conflict policy (an import's
      // upsert) would replace the IGNORE.
      // An erased contact leaves the index in the same transaction (secure-delete, see above).
      `CREATE TRIGGER contact_search_after_delete AFTER DELETE ON contact BEGIN
        DELETE FROM contact_search WHERE rowid = old.id;
        DELETE FROM contact_search_pending WHERE contact_id = old.id;
      END`,
      // Contacts stored before this migration are indexed by the first indexPendingContacts.
      'INSERT INTO contact_search_pending (contact_id) SELECT id FROM contact',
    ]);
  },
};
