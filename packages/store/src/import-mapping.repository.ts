// Column mappings saved by name, so the next file from the same tool is mapped the same way.
import { UserError } from '@consent-mailer/policy';
import type { Executor } from './event-log.js';
import type { ImportMappingRow } from './import-mapping.table.js';

/**
 * Saves (or replaces) a named column mapping for reuse.
 *
 * @example
 * await saveImportMapping(db, { name: 'Mailchimp', mapping: { columns: [...] }, at });
 */
export async function saveImportMapping(
  db: Executor,
  input: { name: string; mapping: unknown; at: string },
): Promise<ImportMappingRow> {
  return db
    .insertInto('import_mapping')
    .values({
      name: input.name,
      mapping: JSON.stringify(input.mapping),
      created_at: input.at,
      updated_at: input.at,
    })
    .onConflict((conflict) =>
      conflict.column('name').doUpdateSet({ mapping: JSON.stringify(input.mapping), updated_at: input.at }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Saved mappings by name.
 *
 * @example
 * const mappings = await listImportMappings(db);
 */
export async function listImportMappings(db: Executor): Promise<ImportMappingRow[]> {
  return db.selectFrom('import_mapping').selectAll().orderBy('name').execute();
}

/**
 * A saved mapping by name.
 *
 * @throws {UserError} IMPORT_MAPPING_NOT_FOUND
 * @example
 * const saved = await getImportMapping(db, 'Mailchimp');
 */
export async function getImportMapping(db: Executor, name: string): Promise<ImportMappingRow> {
  const row = await db.selectFrom('import_mapping').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) {
    throw new UserError('IMPORT_MAPPING_NOT_FOUND', {
      en: `There is no saved mapping named "${name}". Save one from an import preview first, or leave out the name.`,
      nl: `Er is geen opgeslagen koppeling met de naam "${name}". Sla er eerst een op vanuit een importvoorbeeld, of laat de naam weg.`,
    });
  }
  return row;
}
