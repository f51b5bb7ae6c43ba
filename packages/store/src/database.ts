/**
 * The kysely table map of the store. Every table of DESIGN.md "Core data" gets an entry here, with its
 * own `<name>.table.ts` file.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled table by table
export interface Database {}
