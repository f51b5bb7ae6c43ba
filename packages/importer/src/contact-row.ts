// One source row to a normalised contact or a reject. Over 400 lines because createRowValidator and its
// cell readers (dates, opt-outs, recipient kinds, order evidence) are one pass that only rows need.
import {
  CONSENT_METHODS,
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
import { looksLikeCompany } from './person-name.js';
import {
  getSourceProfile,
  type RowMethodRule,
  type SourceProfile,
  type StatusOutcome,
} from './profiles/index.js';
import {
  applyOutcome,
  isSuppressedByTool,
  readSuppressions,
  statusKey,
  statusOutcome,
} from './row-status.js';
import {
  parseAmount,
  parseCustomerRelationship,
  parseDateTime,
  parseIpAddress,
  parseYesNo,
} from './value-parsers.js';

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
    | 'customerRelationship'
    | 'orderAt'
    | 'lastPurchaseAt'
    | 'purchaseCategories'
    | 'optOutOfferedAtCollection'
    | 'collectionTextVersionId'
    | 'publishedUrl'
    | 'publishedCapturedAt'
    | 'publishedPurpose'
    | 'attestationId'
    | 'trackingConsentAt'
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
  /** The old tool recorded a spam complaint (suppressed as COMPLAINT). */
  complaintAt?: string;
  /** The old tool blocklisted the address (suppressed as MANUAL, with the tool named in the note). */
  blocklistedAt?: string;
  /**
   * The person declined or withdrew marketing ("Accepts Email Marketing = no", "GeenEmail"): recorded as an
   * objection on the consent (rule G1), so no signature can make the address mailable.
   */
  objectedAt?: string;
  /**
   * The old tool says consent was never finished (an unconfirmed double opt-in) or never given (Klaviyo
   * NEVER_SUBSCRIBED). Kept as IMPORTED_UNKNOWN *without* the batch's attestation (rule U1: BLOCKED), with
   * whatever sign-up evidence the row has; a later confirmed opt-in upgrades it.
   */
  unconsented?: 'UNCONFIRMED' | 'NEVER_SUBSCRIBED';
  /** The method came from the row's own evidence by a rule of the tool's profile, as the owner confirmed. */
  methodFromEvidence?: boolean;
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
  | 'INVALID_CUSTOMER_RELATIONSHIP'
  | 'INVALID_METHOD'
  | 'INVALID_RECIPIENT_KIND'
  | 'INVALID_NUMBER'
  | 'UNKNOWN_STATUS'
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
  const profile = getSourceProfile(options.mapping.tool);
  const methodColumn = columns.some((column) => column.field === 'method');
  const rowMethods = consent.rowMethodFromEvidence && !methodColumn ? (profile?.rowMethods ?? []) : [];
  // Columns whose mere presence says what every row is (Mailchimp's unsubscribed and cleaned files).
  const headerKeys = new Set(options.mapping.columns.map((column) => statusKey(column.header)));
  const fileOutcomes = (profile?.fileStatus ?? [])
    .filter((entry) => headerKeys.has(entry.key))
    .map((entry) => entry.outcome);

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
    let methodInRow = false;
    const facts: RowFacts = { outcomes: fileOutcomes.length > 0 ? [...fileOutcomes] : [], suppressions: [] };
    for (const column of columns) {
      const text = (row.cells[column.index] ?? '').trim();
      if (text === '' || column.field === 'email') continue;
      const values = profile?.values?.[column.field];
      const translated = values ? (values[text.toLowerCase()] ?? text) : text;
      const problem = readCell(contact, facts, column.field, translated, consent.timeZone, profile);
      if (problem) return reject(row.rowNumber, problem, column.header, text);
      if (column.field === 'method') {
        methodGiven = true;
        methodInRow = true;
      }
    }
    for (const outcome of facts.outcomes)
      applyOutcome(contact, outcome, { importedAt: options.importedAt, statusAt: facts.statusAt });
    // A suppression column's own time (Klaviyo's suppression timestamp), not the consent timestamp.
    for (const outcome of facts.suppressions)
      applyOutcome(contact, outcome, { importedAt: options.importedAt, statusAt: facts.suppressedAt });
    applyOrderEvidence(contact, facts, profile);
    resolveNames(contact, facts.relationName);

    // An opt-out is never lost: the row is kept whatever its method, so the address gets suppressed.
    if (isSuppressedByTool(contact)) return { ok: true, contact };
    // Declined marketing: blocked by G1; the attestation is not attached (it cannot cover an objection).
    if (contact.objectedAt) return { ok: true, contact };
    if (contact.unconsented) {
      // Known absence of consent: blocked by U1, and the batch's attestation is deliberately not attached.
      contact.method = 'IMPORTED_UNKNOWN';
      return { ok: true, contact };
    }
    if (!methodInRow) {
      const rule = rowMethods.find((candidate) => matchesRule(contact.evidence, candidate));
      if (rule) {
        contact.method = rule.method;
        contact.methodFromEvidence = true;
        methodGiven = true;
      }
    }
    if (!methodGiven) return reject(row.rowNumber, 'METHOD_MISSING', undefined, undefined);
    if (contact.method === 'THIRD_PARTY') return reject(row.rowNumber, 'THIRD_PARTY', undefined, undefined);
    if (contact.method === 'IMPORTED_UNKNOWN') {
      if (!options.attestationId) return reject(row.rowNumber, 'ATTESTATION_MISSING', undefined, undefined);
      contact.evidence.attestationId = options.attestationId;
    }
    return { ok: true, contact };
  };
}

/** What a row said beyond plain field values, resolved once all its cells are read. */
interface RowFacts {
  /** From the status and flag columns (and the file itself); dated by `statusAt`. */
  outcomes: StatusOutcome[];
  statusAt?: string;
  /** From a suppression column; dated by the time written in it. */
  suppressions: StatusOutcome[];
  suppressedAt?: string;
  relationName?: string;
  ordersCount?: number;
  totalSpent?: number;
  totalSpentText?: string;
  customerId?: string;
}

const YES_NO_OUTCOMES: Partial<Record<ImportField, { yes?: StatusOutcome; no?: StatusOutcome }>> = {
  marketingConsent: { no: 'noMarketing' },
  doNotEmail: { yes: 'noMarketing' },
  doubleOptIn: { no: 'unconfirmed' },
  blocklisted: { yes: 'blocklisted' },
};

/** Reads one cell: status and flag columns into the row's facts, everything else into the contact. */
function readCell(
  contact: ImportedContact,
  facts: RowFacts,
  field: ImportField,
  text: string,
  timeZone: string,
  profile: SourceProfile | undefined,
): RejectCode | undefined {
  switch (field) {
    case 'subscriptionStatus': {
      const outcome = statusOutcome(text, profile);
      // A tool's profile knows all of its status words; an unknown one is not guessed at.
      if (outcome === undefined) return profile ? 'UNKNOWN_STATUS' : undefined;
      facts.outcomes.push(outcome);
      return undefined;
    }
    case 'suppressions': {
      const found = readSuppressions(text, profile, timeZone);
      facts.suppressions.push(...found.outcomes);
      if (found.at && found.outcomes.length > 0) facts.suppressedAt ??= found.at;
      return undefined;
    }
    case 'statusAt': {
      const at = parseDateTime(text, timeZone);
      if (!at) return 'INVALID_DATE';
      facts.statusAt = at;
      return undefined;
    }
    case 'marketingConsent':
    case 'doNotEmail':
    case 'doubleOptIn':
    case 'blocklisted': {
      const yes = parseYesNo(text);
      if (yes === undefined) return 'INVALID_YES_NO';
      const outcome = YES_NO_OUTCOMES[field]?.[yes ? 'yes' : 'no'];
      if (outcome) facts.outcomes.push(outcome);
      return undefined;
    }
    case 'ordersCount':
    case 'totalSpent': {
      const amount = parseAmount(text);
      if (amount === undefined) return 'INVALID_NUMBER';
      if (field === 'ordersCount') facts.ordersCount = amount;
      else {
        facts.totalSpent = amount;
        facts.totalSpentText = text;
      }
      return undefined;
    }
    case 'customerId':
      facts.customerId = text;
      return undefined;
    case 'relationName':
      facts.relationName = text.replace(/\s+/g, ' ');
      return undefined;
    case 'objectedAt':
    case 'complaintAt': {
      const at = parseDateTime(text, timeZone);
      if (!at) return 'INVALID_DATE';
      contact[field] = at;
      return undefined;
    }
    default:
      return assign(contact, field, text, timeZone);
  }
}

/**
 * Orders and amount spent (webshop customer exports) as the customer evidence: money spent is a paid sale,
 * nothing spent or no orders is none (rule C5 then blocks a CUSTOMER consent). Without an order number the
 * tool's customer id is the reference under which the sales can be shown.
 */
function applyOrderEvidence(
  contact: ImportedContact,
  facts: RowFacts,
  profile: SourceProfile | undefined,
): void {
  if (facts.ordersCount === undefined && facts.totalSpent === undefined) return;
  const none = facts.ordersCount === 0 || facts.totalSpent === 0;
  if (none) {
    contact.evidence.orderPaid = false;
    return;
  }
  if (facts.totalSpent === undefined || facts.totalSpent <= 0) return;
  contact.evidence.orderPaid ??= true;
  if (contact.evidence.orderRef === undefined) {
    const tool = profile?.name ?? 'Webshop';
    const who = facts.customerId ? ` customer ${facts.customerId}` : ' customer';
    const orders = facts.ordersCount === undefined ? '' : `${facts.ordersCount} orders, `;
    contact.evidence.orderRef = `${tool}${who}: ${orders}${facts.totalSpentText ?? String(facts.totalSpent)} spent`;
  }
}

/**
 * Company versus person: a relation name is a person's full name only when the row says the relation is a
 * private person; a "person" name that is a company ("Van den Berg B.V." in first/last name) becomes the
 * company name and no one is greeted by it.
 */
function resolveNames(contact: ImportedContact, relationName: string | undefined): void {
  if (relationName) {
    const person = contact.recipientKind === 'CONSUMER' || contact.recipientKind === 'SOLE_TRADER';
    if (person && !looksLikeCompany(relationName)) contact.fullName ??= relationName;
    else contact.companyName ??= relationName;
  }
  const parts = [contact.firstName, contact.middleName, contact.lastName].filter(
    (part): part is string => part !== undefined && part !== '',
  );
  const personName = parts.length > 0 ? parts.join(' ') : contact.fullName;
  if (personName === undefined) return;
  const sameAsCompany =
    contact.companyName !== undefined &&
    personName.length === contact.companyName.length &&
    statusKey(personName) === statusKey(contact.companyName);
  if (looksLikeCompany(personName) || sameAsCompany) {
    contact.companyName ??= personName;
    delete contact.firstName;
    delete contact.middleName;
    delete contact.lastName;
    delete contact.fullName;
  }
}

function matchesRule(evidence: ImportedEvidence, rule: RowMethodRule): boolean {
  const values = evidence as Record<string, unknown>;
  if (!rule.requires.every((field) => values[field] !== undefined)) return false;
  if (!rule.before) return true;
  const [earlier, later] = rule.before.map((field) => values[field]);
  return typeof earlier === 'string' && typeof later === 'string' && earlier < later;
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
    case 'customerRelationship': {
      const relationship = parseCustomerRelationship(text);
      if (!relationship) return 'INVALID_CUSTOMER_RELATIONSHIP';
      contact.evidence.customerRelationship = relationship;
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
  INVALID_CUSTOMER_RELATIONSHIP: (column) => ({
    en: `"${column}" is not a customer relationship: PAID_ORDER (paid), FREE_TIER_OF_PAID_SERVICE (a free account of a paid service, freemium) or FREE_ONLY (only something free).`,
    nl: `"${column}" is geen klantrelatie: PAID_ORDER (betaald), FREE_TIER_OF_PAID_SERVICE (een gratis account van een betaalde dienst, freemium) of FREE_ONLY (alleen iets gratis).`,
  }),
  INVALID_METHOD: (column) => ({
    en: `"${column}" is not a consent method (${CONSENT_METHODS.join(', ')}).`,
    nl: `"${column}" is geen toestemmingsmethode (${CONSENT_METHODS.join(', ')}).`,
  }),
  INVALID_NUMBER: (column) => ({
    en: `"${column}" must be a number (for example 3 or 120,50).`,
    nl: `"${column}" moet een getal zijn (bijvoorbeeld 3 of 120,50).`,
  }),
  UNKNOWN_STATUS: (column) => ({
    en: `"${column}" holds a status this tool's export does not use, so whether this person may be mailed is unknown. Correct the value, or map the column to "ignore" and choose the consent yourself.`,
    nl: `"${column}" bevat een status die de export van deze tool niet kent, dus of deze persoon gemaild mag worden is onbekend. Corrigeer de waarde, of koppel de kolom aan "negeren" en kies de toestemming zelf.`,
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
