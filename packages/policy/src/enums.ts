import { z } from 'zod';

/** Ordered from best to worst: when several rules match, the worst classification wins. */
export const CLASSIFICATIONS = ['ALLOWED_PROVEN', 'ALLOWED_GREY', 'TRANSFER_RISK', 'BLOCKED'] as const;
export const Classification = z.enum(CLASSIFICATIONS);
export type Classification = z.infer<typeof Classification>;

/** SOLE_TRADER counts as a natural person. */
export const RECIPIENT_KINDS = ['CONSUMER', 'SOLE_TRADER', 'LEGAL_PERSON', 'UNKNOWN'] as const;
export const RecipientKind = z.enum(RECIPIENT_KINDS);
export type RecipientKind = z.infer<typeof RecipientKind>;

/** ROLE = info@, sales@ …; derived from the address when absent. */
export const ADDRESS_KINDS = ['PERSONAL', 'ROLE', 'UNKNOWN'] as const;
export const AddressKind = z.enum(ADDRESS_KINDS);
export type AddressKind = z.infer<typeof AddressKind>;

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
export const ConsentMethod = z.enum(CONSENT_METHODS);
export type ConsentMethod = z.infer<typeof ConsentMethod>;

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
export const MailingContent = z.enum(MAILING_CONTENTS);
export type MailingContent = z.infer<typeof MailingContent>;

export const OPT_OUT_AT_COLLECTION = ['YES', 'NO', 'TERMS_ONLY', 'UNKNOWN'] as const;
export const OptOutAtCollection = z.enum(OPT_OUT_AT_COLLECTION);
export type OptOutAtCollection = z.infer<typeof OptOutAtCollection>;

/**
 * How a CUSTOMER contact relates to the sale (soft opt-in, docs/policy-rules.md C1, C5, C11): a paid order;
 * a free account or free tier inside a service that is also sold (CJEU C-654/23, Inteligo Media); or only
 * something free (a free service, trial, quote or contest with nothing paid behind it).
 */
export const CUSTOMER_RELATIONSHIPS = ['PAID_ORDER', 'FREE_TIER_OF_PAID_SERVICE', 'FREE_ONLY'] as const;
export const CustomerRelationship = z.enum(CUSTOMER_RELATIONSHIPS);
export type CustomerRelationship = z.infer<typeof CustomerRelationship>;

export const COMPLAINT_SOURCES = ['ARF', 'SPAMKLACHT', 'HOSTER', 'DATACENTER', 'MANUAL'] as const;
export const ComplaintSource = z.enum(COMPLAINT_SOURCES);
export type ComplaintSource = z.infer<typeof ComplaintSource>;
