import type { Classification } from './enums.js';

/** The contact × mailing rule ids of docs/policy-rules.md section 4, in table order. */
export const CONTACT_REASON_CODES = [
  'G0',
  'G1',
  'G2',
  'G3',
  'G4',
  'G5',
  'G6',
  'G7',
  'D1',
  'D2',
  'D3',
  'D4',
  'D5',
  'S1',
  'S2',
  'P1',
  'Q1',
  'P2',
  'Q2',
  'C1',
  'C2',
  'C3',
  'C4',
  'C5',
  'C6',
  'C7',
  'C8',
  'C9',
  'C10',
  'C11',
  'B1',
  'B2',
  'B3',
  'U1',
  'U2',
  'T1',
  'A1',
  'A2',
  'K1',
] as const;
export type ContactReasonCode = (typeof CONTACT_REASON_CODES)[number];

/** The mailing rule ids of docs/policy-rules.md section 5 (M4, M8 and M9 are not used by the rules). */
export const MAILING_REASON_CODES = [
  'M1',
  'M2',
  'M3',
  'M5',
  'M6',
  'M7',
  'M10',
  'M11',
  'M12',
  'M13',
  'M14',
  'M15',
] as const;
export type MailingReasonCode = (typeof MAILING_REASON_CODES)[number];

export type ReasonCode = ContactReasonCode | MailingReasonCode;

/** A parameter value for a reason text: dates are ISO-8601 strings, lists are category or field names. */
export type ReasonParam = string | number | boolean | readonly string[];
export type ReasonParams = Readonly<Record<string, ReasonParam>>;

/**
 * One matching rule: its id, the classification it gives on its own, and the facts its text needs.
 * `params` holds only what the text shows (dates, entity ids, categories, counts, missing field names).
 */
export interface Reason<C extends ReasonCode = ReasonCode> {
  readonly code: C;
  readonly classification: Classification;
  readonly params: ReasonParams;
}

/** The verdict on one contact for one mailing: the worst classification of all matching rules. */
export interface ContactVerdict {
  readonly classification: Classification;
  readonly reasons: readonly Reason<ContactReasonCode>[];
}

const RANK: Readonly<Record<Classification, number>> = {
  ALLOWED_PROVEN: 0,
  ALLOWED_GREY: 1,
  TRANSFER_RISK: 2,
  BLOCKED: 3,
};

/**
 * The position of a classification from best (0) to worst (3).
 *
 * @example
 * classificationRank('BLOCKED') > classificationRank('ALLOWED_GREY'); // true
 */
export function classificationRank(classification: Classification): number {
  return RANK[classification];
}

/**
 * The worse of two classifications (worst wins).
 *
 * @example
 * worstClassification('ALLOWED_GREY', 'TRANSFER_RISK'); // 'TRANSFER_RISK'
 */
export function worstClassification(a: Classification, b: Classification): Classification {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * True when a contact with this classification may be mailed without any acknowledgement.
 *
 * @example
 * isMailable('ALLOWED_GREY'); // true
 * isMailable('TRANSFER_RISK'); // false
 */
export function isMailable(classification: Classification): boolean {
  return classification === 'ALLOWED_PROVEN' || classification === 'ALLOWED_GREY';
}
