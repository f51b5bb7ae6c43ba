import type { Generated, Insertable, Selectable } from 'kysely';

/** `import_mapping`: a column mapping saved by name (JSON text), reused for the next file of the same kind. */
export interface ImportMappingTable {
  id: Generated<number>;
  name: string;
  mapping: string;
  created_at: string;
  updated_at: string;
}
export type ImportMappingRow = Selectable<ImportMappingTable>;
export type NewImportMappingRow = Insertable<ImportMappingTable>;
