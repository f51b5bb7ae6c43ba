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
  /**
   * The name of a bookkeeping relation: a company name, or a private person's full name when the row (or
   * the file) says the relation is a person. Never split into first and last name for a company.
   */
  'relationName',
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
  'objectedAt',
  'complaintAt',
  /** When the status column's value was set (Klaviyo's consent timestamp): the date of an unsubscribe, or the opt-in. */
  'statusAt',
  /** Yes/no: the person accepts marketing e-mail (Shopify); "no" is an objection. */
  'marketingConsent',
  /** Yes/no: do not e-mail this person (e-Boekhouden GeenEmail, Lightspeed "No Email"); "yes" is an objection. */
  'doNotEmail',
  /** Yes/no: the double opt-in was completed (Brevo DOUBLE_OPT-IN); "no" is an unfinished opt-in. */
  'doubleOptIn',
  /** Yes/no: the tool blocklisted the address (Brevo EMAIL_BLACKLISTED). */
  'blocklisted',
  /** The tool's suppression reasons for the address (Klaviyo: HARD_BOUNCE, SPAM_COMPLAINT, UNSUBSCRIBE …). */
  'suppressions',
  /** Number of orders (Shopify "Total Orders", WooCommerce "Orders"): with the total spent, a paid sale. */
  'ordersCount',
  /** Amount spent (Shopify "Total Spent", WooCommerce "Total spend"). */
  'totalSpent',
  /** The tool's customer id: the reference under which the sales can be shown when no order number is given. */
  'customerId',
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
  'objectedAt',
  'complaintAt',
  'statusAt',
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
