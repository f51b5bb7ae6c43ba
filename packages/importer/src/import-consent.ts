import {
  ConsentMethod,
  CustomerRelationship,
  IsoDateTime,
  OptOutAtCollection,
  RecipientKind,
  UserError,
  type LocalizedText,
} from '@consent-mailer/policy';
import { z } from 'zod';
import { headerKey, type ColumnMapping } from './column-mapping.js';
import { getSourceProfile } from './profiles/index.js';
import { SUPPRESSING_OUTCOMES } from './row-status.js';
import type { ImportField } from './import-field.js';

/**
 * The attestation a user signs to import a file of unknown origin (IMPORTED_UNKNOWN): who signs, when, and the
 * legal basis they claim. It is stored with the batch; its id becomes the contacts' `attestationId`.
 */
export const ImportAttestation = z.object({
  signerName: z.string().trim().min(2).max(200),
  signedAt: IsoDateTime,
  claimedBasis: z.string().trim().min(3).max(2000),
});
export type ImportAttestation = z.infer<typeof ImportAttestation>;

/** Evidence that holds for every row of a file (the consent text shown, the paper form archive …). */
export const FileEvidence = z
  .object({
    signupAt: IsoDateTime,
    source: z.string().trim().min(1).max(2000),
    consentTextVersionId: z.string().trim().min(1),
    phoneAgent: z.string().trim().min(1).max(200),
    phoneRecordingRef: z.string().trim().min(1).max(2000),
    paperScanRef: z.string().trim().min(1).max(2000),
    orderPaid: z.boolean(),
    customerRelationship: CustomerRelationship,
    optOutOfferedAtCollection: OptOutAtCollection,
    collectionTextVersionId: z.string().trim().min(1),
    purchaseCategories: z.array(z.string().trim().min(1)).min(1),
    publishedUrl: z.string().trim().min(1).max(2000),
    publishedCapturedAt: IsoDateTime,
    publishedPurpose: z.string().trim().min(1).max(2000),
  })
  .partial();
export type FileEvidence = z.infer<typeof FileEvidence>;

/**
 * How consent is recorded for an import: one method for the whole file (with the evidence that holds for all
 * rows), or per row from a `method` column (then `method` here is the default for rows that leave it empty).
 */
export const ImportConsent = z.object({
  method: ConsentMethod.optional(),
  evidence: FileEvidence.default({}),
  /** Default recipient kind for rows without a `recipientKind` column value. */
  recipientKind: RecipientKind.default('UNKNOWN'),
  attestation: ImportAttestation.optional(),
  /** Zone of times written without one (Mailchimp writes UTC; Dutch spreadsheets local time). */
  timeZone: z.string().min(1).default('Europe/Amsterdam'),
  /**
   * The owner confirmed the per-row method the tool's profile derives from each row's evidence (a Mailchimp
   * row with a confirmation after its sign-up is WEB_DOI), as the preview showed it. Rows the rule does not
   * cover take `method`, or are rejected without one. Never applied unless confirmed.
   */
  rowMethodFromEvidence: z.boolean().default(false),
});
export type ImportConsent = z.infer<typeof ImportConsent>;
export type ImportConsentInput = z.input<typeof ImportConsent>;

/** The evidence each method needs for its best classification (docs/policy-rules.md section 4). */
export const METHOD_EVIDENCE: Record<ConsentMethod, ImportField[]> = {
  WEB_DOI: [
    'signupAt',
    'confirmedAt',
    'consentTextVersionId',
    'source',
    'signupIp',
    'confirmIp',
    'signupUserAgent',
    'confirmUserAgent',
    'confirmTokenId',
  ],
  WEB_SOI: ['signupAt', 'source', 'consentTextVersionId'],
  PHONE: ['signupAt', 'phoneAgent', 'consentTextVersionId'],
  PAPER: ['signupAt', 'paperScanRef', 'consentTextVersionId'],
  CUSTOMER: [
    'orderRef',
    'orderPaid',
    'optOutOfferedAtCollection',
    'collectionTextVersionId',
    'lastPurchaseAt',
    'purchaseCategories',
  ],
  B2B_PUBLISHED: ['publishedUrl', 'publishedCapturedAt', 'publishedPurpose'],
  IMPORTED_UNKNOWN: [],
  THIRD_PARTY: [],
};

/** Evidence a method would need that neither a column nor the file-wide evidence provides. */
export interface MissingEvidence {
  method: ConsentMethod;
  fields: ImportField[];
  text: LocalizedText;
}

/**
 * Checks an import's consent settings against its mapping before anything is read: a method must be given
 * (for the file or per row), THIRD_PARTY lists are refused, and IMPORTED_UNKNOWN needs a signed attestation.
 * Returns the evidence each method would still miss, for the user to see (the policy then classifies those
 * contacts lower; see docs/policy-rules.md).
 *
 * @throws {UserError} IMPORT_METHOD_REQUIRED, IMPORT_THIRD_PARTY_REFUSED, IMPORT_ATTESTATION_REQUIRED
 * @example
 * checkImportConsent({ method: 'PAPER', evidence: {}, recipientKind: 'UNKNOWN', timeZone: 'UTC' }, mapping);
 * // [{ method: 'PAPER', fields: ['signupAt', 'paperScanRef', 'consentTextVersionId'], text: {…} }]
 */
export function checkImportConsent(consent: ImportConsent, mapping: ColumnMapping): MissingEvidence[] {
  const mapped = new Set(mapping.columns.map((column) => column.field));
  const profile = getSourceProfile(mapping.tool);
  const headerKeys = new Set(mapping.columns.map((column) => headerKey(column.header)));
  // A file whose every row is an opt-out (Mailchimp's unsubscribed or cleaned export) needs no method: it
  // only adds suppressions.
  const allOptOuts = (profile?.fileStatus ?? []).some(
    (entry) => headerKeys.has(entry.key) && SUPPRESSING_OUTCOMES.has(entry.outcome),
  );
  const rowMethods = consent.rowMethodFromEvidence && (profile?.rowMethods ?? []).length > 0;
  if (!consent.method && !mapped.has('method') && !allOptOuts && !rowMethods) {
    throw new UserError('IMPORT_METHOD_REQUIRED', {
      en: 'Say how these contacts gave consent: choose one method for the whole file (for example WEB_DOI, PAPER, CUSTOMER), or map a column that holds the method per row. A file of unknown origin can only be imported as IMPORTED_UNKNOWN, with a signed attestation.',
      nl: 'Geef aan hoe deze contacten toestemming gaven: kies één methode voor het hele bestand (bijvoorbeeld WEB_DOI, PAPER, CUSTOMER), of koppel een kolom met de methode per rij. Een bestand van onbekende herkomst kan alleen als IMPORTED_UNKNOWN worden geïmporteerd, met een ondertekende verklaring.',
    });
  }
  if (consent.method === 'THIRD_PARTY') {
    throw new UserError('IMPORT_THIRD_PARTY_REFUSED', {
      en: 'Bought, rented or harvested addresses (THIRD_PARTY) may never be mailed and are not imported. Import only people who gave you consent themselves.',
      nl: 'Gekochte, gehuurde of verzamelde adressen (THIRD_PARTY) mogen nooit gemaild worden en worden niet geïmporteerd. Importeer alleen mensen die u zelf toestemming gaven.',
    });
  }
  if (consent.method === 'IMPORTED_UNKNOWN' && !consent.attestation) throw attestationRequired();
  if (!consent.method) return [];
  const missing = METHOD_EVIDENCE[consent.method].filter(
    (field) => !mapped.has(field) && (consent.evidence as Record<string, unknown>)[field] === undefined,
  );
  if (missing.length === 0) return [];
  const list = missing.join(', ');
  return [
    {
      method: consent.method,
      fields: missing,
      text: {
        en: `For ${consent.method} the file lacks: ${list}. Map a column or give the value for the whole file; without it these contacts are classified lower (see the policy rules).`,
        nl: `Voor ${consent.method} ontbreekt in het bestand: ${list}. Koppel een kolom of geef de waarde voor het hele bestand; zonder deze gegevens worden deze contacten lager ingedeeld (zie de beleidsregels).`,
      },
    },
  ];
}

/**
 * The error for IMPORTED_UNKNOWN without a signed attestation.
 *
 * @example
 * if (!consent.attestation) throw attestationRequired();
 */
export function attestationRequired(): UserError {
  return new UserError('IMPORT_ATTESTATION_REQUIRED', {
    en: 'A file of unknown origin (IMPORTED_UNKNOWN) can only be imported with an attestation you sign: your name, the date and the basis on which you claim you may mail these people.',
    nl: 'Een bestand van onbekende herkomst (IMPORTED_UNKNOWN) kan alleen worden geïmporteerd met een verklaring die u ondertekent: uw naam, de datum en de grond waarop u meent deze mensen te mogen mailen.',
  });
}
