import { UserError } from '@consent-mailer/policy';
import { z } from 'zod';
import { ImportField } from './import-field.js';
import type { SourceRow } from './contact-file.js';
import { detectSourceProfile, getSourceProfile, SOURCE_PROFILES } from './profiles/index.js';

/** The tools whose exports are recognised by their column names (see `profiles/`), and `generic`. */
export const SOURCE_TOOLS = [
  'mailchimp',
  'laposta',
  'mailerlite',
  'listmonk',
  'brevo',
  'klaviyo',
  'activecampaign',
  'mautic',
  'sendy',
  'shopify',
  'woocommerce',
  'lightspeed',
  'google-contacts',
  'outlook',
  'exact-online',
  'moneybird',
  'e-boekhouden',
  'generic',
] as const;
export type SourceTool = (typeof SOURCE_TOOLS)[number];

/** One column of the file and the field it is imported into (`ignore` drops it). */
export const MappedColumn = z.object({
  index: z.number().int().min(0),
  header: z.string(),
  field: ImportField,
});
export type MappedColumn = z.infer<typeof MappedColumn>;

/** How the columns of a file are read. Saved with the batch, and reusable as a named mapping. */
export const ColumnMapping = z.object({
  /** The header row's number, or null when the file has no header row (data starts at its first row). */
  headerRowNumber: z.number().int().min(1).nullable(),
  columns: z.array(MappedColumn),
  /**
   * The source tool whose profile reads the values (statuses, yes/no flags, per-row method); absent or
   * `generic` for a file of no known tool. Stored with the batch, so the chain commits to it.
   */
  tool: z.enum(SOURCE_TOOLS).optional(),
});
export type ColumnMapping = z.infer<typeof ColumnMapping>;

/** User corrections: header (or `#<1-based column number>`) to field. */
export const MappingOverrides = z.record(z.string(), ImportField);
export type MappingOverrides = z.infer<typeof MappingOverrides>;

/**
 * The comparable form of a header: lower-cased, accents, spaces and punctuation removed, so "E-mailadres" and
 * "e-mail adres" meet as "emailadres".
 *
 * @example
 * headerKey('E-mail adres'); // 'emailadres'
 * headerKey('OPTIN_TIME');   // 'optintime'
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

// Everyday headers, Dutch and English, as spreadsheets and CRMs write them.
const GENERIC_ALIASES: Record<string, ImportField> = {
  email: 'email',
  emailaddress: 'email',
  emailadres: 'email',
  mailadres: 'email',
  mail: 'email',
  emailadresse: 'email',
  eadres: 'email',
  mailaddress: 'email',
  firstname: 'firstName',
  voornaam: 'firstName',
  roepnaam: 'firstName',
  fname: 'firstName',
  givenname: 'firstName',
  voornamen: 'firstName',
  tussenvoegsel: 'middleName',
  tussenvoegsels: 'middleName',
  voorvoegsel: 'middleName',
  middlename: 'middleName',
  infix: 'middleName',
  lastname: 'lastName',
  achternaam: 'lastName',
  surname: 'lastName',
  familienaam: 'lastName',
  lname: 'lastName',
  familyname: 'lastName',
  name: 'fullName',
  naam: 'fullName',
  fullname: 'fullName',
  volledigenaam: 'fullName',
  contactpersoon: 'fullName',
  company: 'companyName',
  companyname: 'companyName',
  bedrijf: 'companyName',
  bedrijfsnaam: 'companyName',
  organisatie: 'companyName',
  organization: 'companyName',
  organisation: 'companyName',
  firma: 'companyName',
  handelsnaam: 'companyName',
  recipientkind: 'recipientKind',
  soortrelatie: 'recipientKind',
  method: 'method',
  consentmethod: 'method',
  toestemmingsmethode: 'method',
  signupat: 'signupAt',
  signupdate: 'signupAt',
  aanmelddatum: 'signupAt',
  inschrijfdatum: 'signupAt',
  aangemeldop: 'signupAt',
  optindate: 'signupAt',
  subscribedat: 'signupAt',
  datumaanmelding: 'signupAt',
  signupip: 'signupIp',
  ipadres: 'signupIp',
  ipaddress: 'signupIp',
  ip: 'signupIp',
  useragent: 'signupUserAgent',
  browser: 'signupUserAgent',
  source: 'source',
  bron: 'source',
  herkomst: 'source',
  confirmedat: 'confirmedAt',
  bevestigdop: 'confirmedAt',
  bevestigingsdatum: 'confirmedAt',
  confirmdate: 'confirmedAt',
  confirmip: 'confirmIp',
  bevestigingsip: 'confirmIp',
  unsubscribedat: 'unsubscribedAt',
  afgemeldop: 'unsubscribedAt',
  uitgeschrevenop: 'unsubscribedAt',
  afmelddatum: 'unsubscribedAt',
  status: 'subscriptionStatus',
  ordernumber: 'orderRef',
  orderid: 'orderRef',
  ordernummer: 'orderRef',
  bestelnummer: 'orderRef',
  factuurnummer: 'orderRef',
  orderref: 'orderRef',
  orderdate: 'orderAt',
  orderdatum: 'orderAt',
  besteldatum: 'orderAt',
  factuurdatum: 'orderAt',
  aankoopdatum: 'orderAt',
  purchasedate: 'orderAt',
  lastpurchase: 'lastPurchaseAt',
  lastpurchaseat: 'lastPurchaseAt',
  lastpurchasedate: 'lastPurchaseAt',
  laatsteaankoop: 'lastPurchaseAt',
  laatsteaankoopdatum: 'lastPurchaseAt',
  // Shop and accounting exports (Mijnwebwinkel, CCV Shop, Lightspeed, Exact, Moneybird, e-Boekhouden).
  laatstebestelling: 'lastPurchaseAt',
  datumlaatstebestelling: 'lastPurchaseAt',
  laatstebesteldatum: 'lastPurchaseAt',
  laatsteorder: 'lastPurchaseAt',
  laatsteorderdatum: 'lastPurchaseAt',
  laatstefactuur: 'lastPurchaseAt',
  laatstefactuurdatum: 'lastPurchaseAt',
  lastorder: 'lastPurchaseAt',
  lastorderdate: 'lastPurchaseAt',
  lastorderat: 'lastPurchaseAt',
  dateoflastorder: 'lastPurchaseAt',
  aantalbestellingen: 'ordersCount',
  aantalorders: 'ordersCount',
  numberoforders: 'ordersCount',
  totaalbesteed: 'totalSpent',
  totaleomzet: 'totalSpent',
  omzet: 'totalSpent',
  klantnummer: 'customerId',
  klantnr: 'customerId',
  debiteurnummer: 'customerId',
  relatienummer: 'customerId',
  customernumber: 'customerId',
  paid: 'orderPaid',
  betaald: 'orderPaid',
  orderpaid: 'orderPaid',
  customerrelationship: 'customerRelationship',
  relationship: 'customerRelationship',
  klantrelatie: 'customerRelationship',
  trackingconsentat: 'trackingConsentAt',
  trackingconsent: 'trackingConsentAt',
  toestemmingtracking: 'trackingConsentAt',
  productcategories: 'purchaseCategories',
  categorieen: 'purchaseCategories',
  productgroep: 'purchaseCategories',
  phoneagent: 'phoneAgent',
  medewerker: 'phoneAgent',
  agent: 'phoneAgent',
  paperscanref: 'paperScanRef',
  scan: 'paperScanRef',
  formulier: 'paperScanRef',
};

/**
 * Names the tool a file was exported from by its column names (the header signatures of `profiles/`).
 *
 * @example
 * detectSourceTool(['Email Address', 'First Name', 'OPTIN_TIME', 'CONFIRM_TIME']); // 'mailchimp'
 * detectSourceTool(['E-mailadres', 'Voornaam']);                                  // 'generic'
 */
export function detectSourceTool(headers: string[]): SourceTool {
  const profile = detectSourceProfile(new Set(headers.map(headerKey)));
  return profile ? toSourceTool(profile.id) : 'generic';
}

function toSourceTool(id: string): SourceTool {
  return (SOURCE_TOOLS as readonly string[]).includes(id) ? (id as SourceTool) : 'generic';
}

/**
 * Finds the header row among the first records: the first one with a cell that is a known column name. When
 * no record has one and the first record already holds an address, the file has no header row (a plain list
 * of addresses). Otherwise the first record is taken as the header.
 *
 * @example
 * detectHeaderRow([{ rowNumber: 1, cells: ['Export 12-03-2024'] }, { rowNumber: 2, cells: ['E-mailadres', 'Naam'] }]); // 2
 * detectHeaderRow([{ rowNumber: 1, cells: ['jan@example.nl'] }]); // null
 */
export function detectHeaderRow(firstRows: SourceRow[]): number | null {
  const candidates = firstRows.slice(0, 10);
  for (const row of candidates) {
    if (row.cells.some((cell) => cell.includes('@'))) break;
    if (row.cells.some((cell) => isKnownHeader(cell))) return row.rowNumber;
  }
  const first = candidates[0];
  if (!first || first.cells.some((cell) => /\S+@\S+\.\S+/.test(cell))) return null;
  return first.rowNumber;
}

function isKnownHeader(cell: string): boolean {
  const key = headerKey(cell);
  if (key.length === 0) return false;
  if (key in GENERIC_ALIASES) return true;
  return SOURCE_PROFILES.some((profile) => key in profile.columns);
}

/** A suggested mapping and the tool it was recognised as. */
export interface SuggestedMapping {
  tool: SourceTool;
  mapping: ColumnMapping;
}

/**
 * Suggests a field for every column from its header (Dutch and English names, and the exports of Mailchimp,
 * Laposta, MailerLite, listmonk, Brevo, Klaviyo, Shopify … as their profiles describe, evidence columns
 * included). Unknown columns are `ignore`. Without a
 * header row, the column that holds addresses becomes `email`.
 *
 * @example
 * const { tool, mapping } = suggestMapping(rows);
 * mapping.columns; // [{ index: 0, header: 'E-mailadres', field: 'email' }, { index: 1, header: 'Voornaam', field: 'firstName' }, …]
 */
export function suggestMapping(firstRows: SourceRow[]): SuggestedMapping {
  const headerRowNumber = detectHeaderRow(firstRows);
  const headerRow = firstRows.find((row) => row.rowNumber === headerRowNumber);
  const width = Math.max(0, ...firstRows.map((row) => row.cells.length));
  if (!headerRow) {
    const emailIndex = guessEmailColumn(firstRows, width);
    return {
      tool: 'generic',
      mapping: {
        headerRowNumber: null,
        columns: Array.from({ length: width }, (_, index) => ({
          index,
          header: `#${index + 1}`,
          field: index === emailIndex ? 'email' : 'ignore',
        })),
      },
    };
  }
  const headers = Array.from(
    { length: Math.max(width, headerRow.cells.length) },
    (_, index) => headerRow.cells[index]?.trim() ?? '',
  );
  const tool = detectSourceTool(headers);
  const toolAliases: Record<string, ImportField> = getSourceProfile(tool)?.columns ?? {};
  const used = new Set<ImportField>();
  const columns = headers.map((header, index): MappedColumn => {
    const key = headerKey(header);
    let field: ImportField = toolAliases[key] ?? GENERIC_ALIASES[key] ?? 'ignore';
    // A field is filled from one column only; a second "Email" column is left for the user to decide.
    if (field !== 'ignore' && used.has(field)) field = 'ignore';
    used.add(field);
    return { index, header: header === '' ? `#${index + 1}` : header, field };
  });
  return { tool, mapping: { headerRowNumber, columns, tool } };
}

/**
 * Applies the user's corrections to a mapping: keys are header names (as in the file) or `#3` for the third
 * column. A field chosen for a column is taken away from any other column that had it.
 *
 * @example
 * applyMappingOverrides(mapping, { 'Mail': 'email', '#4': 'ignore' });
 */
export function applyMappingOverrides(mapping: ColumnMapping, overrides: MappingOverrides): ColumnMapping {
  const columns = mapping.columns.map((column) => ({ ...column }));
  for (const [key, field] of Object.entries(overrides)) {
    const target =
      columns.find((column) => column.header === key) ??
      columns.find((column) => headerKey(column.header) === headerKey(key) && headerKey(key) !== '') ??
      columns.find((column) => /^#\d+$/.test(key) && column.index === Number(key.slice(1)) - 1);
    if (!target) throw unknownColumn(key, columns);
    if (field !== 'ignore') for (const column of columns) if (column.field === field) column.field = 'ignore';
    target.field = field;
  }
  return { ...mapping, columns };
}

function unknownColumn(key: string, columns: MappedColumn[]): UserError {
  const names = columns.map((column) => column.header).join(', ');
  return new UserError('IMPORT_UNKNOWN_COLUMN', {
    en: `The file has no column "${key}". Its columns are: ${names}.`,
    nl: `Het bestand heeft geen kolom "${key}". De kolommen zijn: ${names}.`,
  });
}

function guessEmailColumn(rows: SourceRow[], width: number): number {
  let best = 0;
  let bestCount = -1;
  for (let index = 0; index < width; index += 1) {
    const count = rows.filter((row) => (row.cells[index] ?? '').includes('@')).length;
    if (count > bestCount) {
      best = index;
      bestCount = count;
    }
  }
  return best;
}
