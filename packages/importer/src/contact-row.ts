import {
  ConsentMethod,
  RecipientKind,
  type AddressKind,
  type ContactRecord,
  type LocalizedText,
  type OptOutAtCollection,
} from '@consent-mailer/policy';
import type { ColumnMapping } from './column-mapping.js';
import { MALFORMED_MARK, type SourceRow } from './contact-file.js';
import { checkEmailAddress } from './email-check.js';
import type { ImportConsent } from './import-consent.js';
import { DATE_FIELDS, IP_FIELDS, TEXT_EVIDENCE_FIELDS, type ImportField } from './import-field.js';
import { parseDateTime, parseIpAddress, parseYesNo } from './value-parsers.js';

/** The consent evidence fields an import can fill (docs/policy-rules.md section 3 names). */
export type ImportedEvidence = Partial<
  Pick<
    ContactRecord,
    | 'signupAt'
    | 'signupIp'
    | 'signupUserAgent'
    | 'source'
    | 'consentTextVersionId'
    | 'confirmMailSentAt'
    | 'confirmTokenId'
    | 'confirmedAt'
    | 'confirmIp'
    | 'confirmUserAgent'
    | 'phoneAgent'
    | 'phoneRecordingRef'
    | 'paperScanRef'
    | 'orderRef'
    | 'orderPaid'
    | 'orderAt'
    | 'lastPurchaseAt'
    | 'purchaseCategories'
    | 'optOutOfferedAtCollection'
    | 'collectionTextVersionId'
    | 'publishedUrl'
    | 'publishedCapturedAt'
    | 'publishedPurpose'
    | 'attestationId'
  >
>;

/** A valid, normalised row, ready for the store. */
export interface ImportedContact {
  rowNumber: number;
  /** The address identity (policy's normalizeEmailAddress): JAN@ and jan@ are one contact. */
  email: string;
  /** The address as the file spelled it, when that differs from `email` (mail is sent to it). */
  emailSpelling?: string;
  addressKind: AddressKind;
  recipientKind: RecipientKind;
  method: ConsentMethod;
  firstName?: string;
  middleName?: string;
  lastName?: string;
  fullName?: string;
  companyName?: string;
  evidence: ImportedEvidence;
  /** The old tool said this person unsubscribed (or blocklisted them). */
  unsubscribedAt?: string;
  /** The old tool removed this address after a hard bounce. */
  hardBounceAt?: string;
  /** A likely correct address when the domain looks like a typo; shown, never applied. */
  domainSuggestion?: string;
}

/** A row that is not imported, with its number and why. */
export interface RowReject {
  rowNumber: number;
  code: RejectCode;
  /** The column the problem is in, when there is one. */
  column?: string;
  /** The offending text, shortened. */
  value?: string;
  reason: LocalizedText;
}

export type RejectCode =
  | 'EMAIL_MISSING'
  | 'EMAIL_INVALID'
  | 'EMAIL_TOO_LONG'
  | 'VALUE_TOO_LONG'
  | 'MALFORMED_QUOTES'
  | 'INVALID_DATE'
  | 'INVALID_IP'
  | 'INVALID_YES_NO'
  | 'INVALID_METHOD'
  | 'INVALID_RECIPIENT_KIND'
  | 'METHOD_MISSING'
  | 'THIRD_PARTY'
  | 'ATTESTATION_MISSING';

export type RowResult = { ok: true; contact: ImportedContact } | { ok: false; reject: RowReject };

/** No single value of a contact is longer than this; longer means a broken file, not a name. */
export const MAX_VALUE_LENGTH = 2000;

export interface RowValidatorOptions {
  mapping: ColumnMapping;
  consent: ImportConsent;
  /** The batch's attestation id (IMPORTED_UNKNOWN rows get it as `attestationId`). */
  attestationId?: string;
  /** When the import runs (ISO-8601): the date of an unsubscribe the old tool recorded without one. */
  importedAt: string;
}

/**
 * Builds the function that turns one source row into a normalised contact or a reject with its row number
 * and reason. Columns mapped to `ignore` are never read.
 *
 * @example
 * const validate = createRowValidator({ mapping, consent });
 * const result = validate({ rowNumber: 2, cells: ['jan@example.nl', 'Jan'] });
 * if (result.ok) result.contact.email; else result.reject.reason.nl;
 */
export function createRowValidator(options: RowValidatorOptions): (row: SourceRow) => RowResult {
  const { consent } = options;
  const columns = options.mapping.columns.filter((column) => column.field !== 'ignore');
  const emailColumn = columns.find((column) => column.field === 'email');
  const domainCache = new Map<string, string | null>();
  const fileEvidence: ImportedEvidence = { ...consent.evidence };

  return (row) => {
    if (row.cells.length === 1 && row.cells[0] === MALFORMED_MARK) {
      return reject(row.rowNumber, 'MALFORMED_QUOTES', undefined, undefined);
    }
    for (const column of columns) {
      const cell = row.cells[column.index];
      if (cell !== undefined && cell.length > MAX_VALUE_LENGTH) {
        return reject(row.rowNumber, 'VALUE_TOO_LONG', column.header, cell);
      }
    }
    const emailText = emailColumn ? (row.cells[emailColumn.index] ?? '') : '';
    const email = checkEmailAddress(emailText, domainCache);
    if (!email.ok) return reject(row.rowNumber, email.code, emailColumn?.header, emailText);

    const contact: ImportedContact = {
      rowNumber: row.rowNumber,
      email: email.email,
      ...(email.spelling === undefined ? {} : { emailSpelling: email.spelling }),
      addressKind: email.addressKind,
      recipientKind: consent.recipientKind,
      method: consent.method ?? 'IMPORTED_UNKNOWN',
      evidence: { ...fileEvidence },
      ...(email.domainSuggestion ? { domainSuggestion: email.domainSuggestion } : {}),
    };
    let methodGiven = consent.method !== undefined;
    let status: string | undefined;
    for (const column of columns) {
      const text = (row.cells[column.index] ?? '').trim();
      if (text === '' || column.field === 'email') continue;
      if (column.field === 'subscriptionStatus') {
        status = text;
        continue;
      }
      const problem = assign(contact, column.field, text, consent.timeZone);
      if (problem) return reject(row.rowNumber, problem, column.header, text);
      if (column.field === 'method') methodGiven = true;
    }
    if (status !== undefined) applyStatus(contact, status, options.importedAt);
    if (!methodGiven) return reject(row.rowNumber, 'METHOD_MISSING', undefined, undefined);
    if (contact.method === 'THIRD_PARTY') return reject(row.rowNumber, 'THIRD_PARTY', undefined, undefined);
    if (contact.method === 'IMPORTED_UNKNOWN') {
      if (!options.attestationId) return reject(row.rowNumber, 'ATTESTATION_MISSING', undefined, undefined);
      contact.evidence.attestationId = options.attestationId;
    }
    return { ok: true, contact };
  };
}

const NAME_FIELDS = new Set<ImportField>(['firstName', 'middleName', 'lastName', 'fullName', 'companyName']);
const TEXT_FIELDS = new Set<ImportField>(TEXT_EVIDENCE_FIELDS);

/** Puts one cell into the contact; returns a reject code when the text is not a valid value for the field. */
function assign(
  contact: ImportedContact,
  field: ImportField,
  text: string,
  timeZone: string,
): RejectCode | undefined {
  if (NAME_FIELDS.has(field)) {
    (contact as unknown as Record<string, string>)[field] = text.replace(/\s+/g, ' ');
    return undefined;
  }
  if (DATE_FIELDS.has(field)) {
    const at = parseDateTime(text, timeZone);
    if (!at) return 'INVALID_DATE';
    if (field === 'unsubscribedAt') contact.unsubscribedAt = at;
    else if (field === 'hardBounceAt') contact.hardBounceAt = at;
    else (contact.evidence as Record<string, string>)[field] = at;
    return undefined;
  }
  if (IP_FIELDS.has(field)) {
    const ip = parseIpAddress(text);
    if (!ip) return 'INVALID_IP';
    (contact.evidence as Record<string, string>)[field] = ip;
    return undefined;
  }
  if (TEXT_FIELDS.has(field)) {
    (contact.evidence as Record<string, string>)[field] = text;
    return undefined;
  }
  switch (field) {
    case 'orderPaid': {
      const paid = parseYesNo(text);
      if (paid === undefined) return 'INVALID_YES_NO';
      contact.evidence.orderPaid = paid;
      return undefined;
    }
    case 'optOutOfferedAtCollection': {
      const value = parseOptOut(text);
      if (!value) return 'INVALID_YES_NO';
      contact.evidence.optOutOfferedAtCollection = value;
      return undefined;
    }
    case 'purchaseCategories':
      contact.evidence.purchaseCategories = text
        .split(/[,;|]/)
        .map((part) => part.trim())
        .filter((part) => part !== '');
      return undefined;
    case 'method': {
      const method = ConsentMethod.safeParse(text.toUpperCase().replace(/[\s-]/g, '_'));
      if (!method.success) return 'INVALID_METHOD';
      contact.method = method.data;
      return undefined;
    }
    case 'recipientKind': {
      const kind = parseRecipientKind(text);
      if (!kind) return 'INVALID_RECIPIENT_KIND';
      contact.recipientKind = kind;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Status words of the old tools: gone (unsubscribed, blocklisted) and bounced (cleaned) are carried over. */
function applyStatus(contact: ImportedContact, text: string, importedAt: string): void {
  const status = text.toLowerCase();
  // The old tool did not say when: the import is when we learned it, and the address is blocked from then on.
  if (
    [
      'unsubscribed',
      'afgemeld',
      'uitgeschreven',
      'blocklisted',
      'blacklisted',
      'junk',
      'unsubscribe',
    ].includes(status)
  ) {
    contact.unsubscribedAt ??= importedAt;
  } else if (['cleaned', 'bounced', 'hard_bounced', 'hardbounce', 'gebounced'].includes(status)) {
    contact.hardBounceAt ??= importedAt;
  }
}

function parseOptOut(text: string): OptOutAtCollection | undefined {
  const upper = text.trim().toUpperCase().replace(/[\s-]/g, '_');
  if (upper === 'YES' || upper === 'NO' || upper === 'TERMS_ONLY' || upper === 'UNKNOWN') return upper;
  const yes = parseYesNo(text);
  return yes === undefined ? undefined : yes ? 'YES' : 'NO';
}

const RECIPIENT_KIND_WORDS: Record<string, RecipientKind> = {
  consument: 'CONSUMER',
  particulier: 'CONSUMER',
  consumer: 'CONSUMER',
  private: 'CONSUMER',
  zzp: 'SOLE_TRADER',
  zzper: 'SOLE_TRADER',
  eenmanszaak: 'SOLE_TRADER',
  soletrader: 'SOLE_TRADER',
  bedrijf: 'LEGAL_PERSON',
  zakelijk: 'LEGAL_PERSON',
  organisatie: 'LEGAL_PERSON',
  business: 'LEGAL_PERSON',
  company: 'LEGAL_PERSON',
  legalperson: 'LEGAL_PERSON',
  onbekend: 'UNKNOWN',
  unknown: 'UNKNOWN',
};

function parseRecipientKind(text: string): RecipientKind | undefined {
  const direct = RecipientKind.safeParse(text.trim().toUpperCase());
  if (direct.success) return direct.data;
  return RECIPIENT_KIND_WORDS[text.toLowerCase().replace(/[^a-z]/g, '')];
}

const REASONS: Record<RejectCode, (column: string) => LocalizedText> = {
  EMAIL_MISSING: () => ({ en: 'No e-mail address in this row.', nl: 'Deze rij heeft geen e-mailadres.' }),
  EMAIL_INVALID: () => ({
    en: 'The e-mail address is not valid (check for typos, spaces or a missing domain).',
    nl: 'Het e-mailadres is niet geldig (controleer op typefouten, spaties of een ontbrekend domein).',
  }),
  EMAIL_TOO_LONG: () => ({
    en: 'The e-mail address is longer than allowed (254 characters, 64 before the @).',
    nl: 'Het e-mailadres is langer dan toegestaan (254 tekens, 64 voor de @).',
  }),
  VALUE_TOO_LONG: (column) => ({
    en: `The value in column "${column}" is longer than ${MAX_VALUE_LENGTH} characters; the row is probably damaged.`,
    nl: `De waarde in kolom "${column}" is langer dan ${MAX_VALUE_LENGTH} tekens; de rij is waarschijnlijk beschadigd.`,
  }),
  MALFORMED_QUOTES: () => ({
    en: 'The quotes (") in this row are malformed, so its values cannot be read reliably.',
    nl: 'De aanhalingstekens (") in deze rij kloppen niet, dus de waarden zijn niet betrouwbaar te lezen.',
  }),
  INVALID_DATE: (column) => ({
    en: `"${column}" is not a date and time this importer understands (for example 2024-03-01 09:30 or 01-03-2024 09:30).`,
    nl: `"${column}" is geen datum en tijd die deze import begrijpt (bijvoorbeeld 2024-03-01 09:30 of 01-03-2024 09:30).`,
  }),
  INVALID_IP: (column) => ({
    en: `"${column}" is not an IP address.`,
    nl: `"${column}" is geen IP-adres.`,
  }),
  INVALID_YES_NO: (column) => ({
    en: `"${column}" must be yes or no.`,
    nl: `"${column}" moet ja of nee zijn.`,
  }),
  INVALID_METHOD: (column) => ({
    en: `"${column}" is not a consent method (WEB_DOI, WEB_SOI, PHONE, PAPER, CUSTOMER, B2B_PUBLISHED, IMPORTED_UNKNOWN).`,
    nl: `"${column}" is geen toestemmingsmethode (WEB_DOI, WEB_SOI, PHONE, PAPER, CUSTOMER, B2B_PUBLISHED, IMPORTED_UNKNOWN).`,
  }),
  INVALID_RECIPIENT_KIND: (column) => ({
    en: `"${column}" is not a recipient kind (CONSUMER, SOLE_TRADER, LEGAL_PERSON, UNKNOWN).`,
    nl: `"${column}" is geen soort ontvanger (CONSUMER, SOLE_TRADER, LEGAL_PERSON, UNKNOWN).`,
  }),
  METHOD_MISSING: () => ({
    en: 'This row does not say how consent was given, and no method was chosen for the whole file.',
    nl: 'Deze rij zegt niet hoe toestemming is gegeven, en er is geen methode voor het hele bestand gekozen.',
  }),
  THIRD_PARTY: () => ({
    en: 'Bought, rented or harvested addresses (THIRD_PARTY) are never imported.',
    nl: 'Gekochte, gehuurde of verzamelde adressen (THIRD_PARTY) worden nooit geïmporteerd.',
  }),
  ATTESTATION_MISSING: () => ({
    en: 'A contact of unknown origin (IMPORTED_UNKNOWN) needs a signed attestation for this import.',
    nl: 'Een contact van onbekende herkomst (IMPORTED_UNKNOWN) heeft voor deze import een ondertekende verklaring nodig.',
  }),
};

function reject(
  rowNumber: number,
  code: RejectCode,
  column: string | undefined,
  value: string | undefined,
): RowResult {
  return {
    ok: false,
    reject: {
      rowNumber,
      code,
      ...(column === undefined ? {} : { column }),
      ...(value === undefined ? {} : { value: value.length > 200 ? `${value.slice(0, 200)}…` : value }),
      reason: REASONS[code](column ?? ''),
    },
  };
}
