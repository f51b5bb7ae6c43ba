import { z } from 'zod';

/**
 * What a column of a contact file can mean. Evidence fields carry the names of docs/policy-rules.md section 3
 * exactly; `ignore` drops a column on purpose.
 */
export const IMPORT_FIELDS = [
  'email',
  'firstName',
  'middleName',
  'lastName',
  'fullName',
  'companyName',
  'recipientKind',
  'method',
  // sign-up
  'signupAt',
  'signupIp',
  'signupUserAgent',
  'source',
  'consentTextVersionId',
  // double opt-in
  'confirmMailSentAt',
  'confirmTokenId',
  'confirmedAt',
  'confirmIp',
  'confirmUserAgent',
  // phone / paper
  'phoneAgent',
  'phoneRecordingRef',
  'paperScanRef',
  // customer
  'orderRef',
  'orderPaid',
  'customerRelationship',
  'orderAt',
  'lastPurchaseAt',
  'purchaseCategories',
  'optOutOfferedAtCollection',
  'collectionTextVersionId',
  // published B2B address
  'publishedUrl',
  'publishedCapturedAt',
  'publishedPurpose',
  // tracking (rule K1)
  'trackingConsentAt',
  // status carried over from the old tool
  'subscriptionStatus',
  'unsubscribedAt',
  'hardBounceAt',
  'ignore',
] as const;
export const ImportField = z.enum(IMPORT_FIELDS);
export type ImportField = z.infer<typeof ImportField>;

/** Evidence fields holding an ISO-8601 timestamp. */
export const DATE_FIELDS: ReadonlySet<ImportField> = new Set([
  'signupAt',
  'confirmMailSentAt',
  'confirmedAt',
  'orderAt',
  'lastPurchaseAt',
  'publishedCapturedAt',
  'trackingConsentAt',
  'unsubscribedAt',
  'hardBounceAt',
]);

/** Evidence fields holding an IP address. */
export const IP_FIELDS: ReadonlySet<ImportField> = new Set(['signupIp', 'confirmIp']);

/** Fields copied as text into the consent evidence. */
export const TEXT_EVIDENCE_FIELDS = [
  'signupUserAgent',
  'source',
  'consentTextVersionId',
  'confirmTokenId',
  'confirmUserAgent',
  'phoneAgent',
  'phoneRecordingRef',
  'paperScanRef',
  'orderRef',
  'collectionTextVersionId',
  'publishedUrl',
  'publishedPurpose',
] as const;
