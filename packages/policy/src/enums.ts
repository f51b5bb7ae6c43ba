// The product's enums as plain values and types, without zod, so the renderer can import them through
// `@consent-mailer/policy/vocabulary`; enum-schemas.ts builds the zod schemas from these arrays.
/** Ordered from best to worst: when several rules match, the worst classification wins. */
export const CLASSIFICATIONS = ['ALLOWED_PROVEN', 'ALLOWED_GREY', 'TRANSFER_RISK', 'BLOCKED'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** SOLE_TRADER counts as a natural person. */
export const RECIPIENT_KINDS = ['CONSUMER', 'SOLE_TRADER', 'LEGAL_PERSON', 'UNKNOWN'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

/** ROLE = info@, sales@ …; derived from the address when absent. */
export const ADDRESS_KINDS = ['PERSONAL', 'ROLE', 'UNKNOWN'] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

export const CONSENT_METHODS = [
  'WEB_DOI',
  'WEB_SOI',
  'PHONE',
  'PAPER',
  'CUSTOMER',
  'B2B_PUBLISHED',
  'IMPORTED_UNKNOWN',
  'THIRD_PARTY',
] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/**
 * How strong each method's proof can be, strongest first (docs/policy-rules.md section 4). Every merge of
 * evidence (an import's duplicate rows, a re-import, a merge of case variants) keeps the stronger method, so
 * an old spreadsheet never downgrades a confirmed double opt-in. THIRD_PARTY is last: a bought list never
 * replaces consent the business collected itself.
 */
export const METHOD_STRENGTH: readonly ConsentMethod[] = [
  'WEB_DOI',
  'CUSTOMER',
  'B2B_PUBLISHED',
  'WEB_SOI',
  'PHONE',
  'PAPER',
  'IMPORTED_UNKNOWN',
  'THIRD_PARTY',
];

/** Whether `candidate` proves more than `current` (ties keep `current`). */
export function isStrongerMethod(candidate: ConsentMethod, current: ConsentMethod): boolean {
  return METHOD_STRENGTH.indexOf(candidate) < METHOD_STRENGTH.indexOf(current);
}

/** MIXED is treated as MARKETING. */
export const MAILING_CONTENTS = ['MARKETING', 'TRANSACTIONAL', 'MIXED'] as const;
export type MailingContent = (typeof MAILING_CONTENTS)[number];

export const OPT_OUT_AT_COLLECTION = ['YES', 'NO', 'TERMS_ONLY', 'UNKNOWN'] as const;
export type OptOutAtCollection = (typeof OPT_OUT_AT_COLLECTION)[number];

/**
 * How a CUSTOMER contact relates to the sale (soft opt-in, docs/policy-rules.md C1, C5, C11): a paid order;
 * a free account or free tier inside a service that is also sold (CJEU C-654/23, Inteligo Media); or only
 * something free (a free service, trial, quote or contest with nothing paid behind it).
 */
export const CUSTOMER_RELATIONSHIPS = ['PAID_ORDER', 'FREE_TIER_OF_PAID_SERVICE', 'FREE_ONLY'] as const;
export type CustomerRelationship = (typeof CUSTOMER_RELATIONSHIPS)[number];

export const COMPLAINT_SOURCES = ['ARF', 'SPAMKLACHT', 'HOSTER', 'DATACENTER', 'MANUAL'] as const;
export type ComplaintSource = (typeof COMPLAINT_SOURCES)[number];
