import type { ContactRecord } from './contact-record.js';
import type { Classification, ConsentMethod } from './enums.js';
import type { MailingContext } from './mailing-context.js';
import type { MailingFacts } from './mailing-facts.js';
import type { ContactReasonCode, MailingReasonCode, Reason } from './reason.js';

/** One contact of a mailing as `assessMailing` needs it. */
export interface MailingRecipientInput {
  contact: ContactRecord;
  /** True when this mailing would be the contact's first marketing mailing (M3). */
  firstMarketingMailing: boolean;
}

/** A signed acknowledgement offered to cover TRANSFER_RISK recipients (M15). */
export interface AcknowledgementCoverage {
  /** The recipient-set hash the signer saw; it must equal the assessment's `recipientSetHash` exactly. */
  recipientSetHash: string;
  /** When it was signed; an abuse notice after this moment makes it lapse (section 6). */
  signedAt?: string;
}

export interface AssessMailingInput {
  mailing: MailingContext;
  facts: MailingFacts;
  recipients: readonly MailingRecipientInput[];
  acknowledgement?: AcknowledgementCoverage;
}

/** One recipient in the partition. `index` points into the input `recipients`. */
export interface RecipientVerdict {
  readonly index: number;
  readonly email: string;
  readonly method: ConsentMethod;
  readonly classification: Classification;
  readonly reasons: readonly Reason<ContactReasonCode>[];
}

/**
 * Whether an acknowledgement is needed and whether the offered one counts:
 * NOT_NEEDED (no TRANSFER_RISK recipients and no M13), MISSING, VALID, MISMATCH (another recipient set),
 * LAPSED (M10, M13 after signing, or M14).
 */
export type AcknowledgementStatus = 'NOT_NEEDED' | 'MISSING' | 'VALID' | 'MISMATCH' | 'LAPSED';

/** Counts of a set of recipients. */
export interface RecipientCounts {
  readonly total: number;
  readonly byClassification: Readonly<Record<Classification, number>>;
  readonly byMethod: Readonly<Record<ConsentMethod, number>>;
  /** Per contact rule id: how many recipients it matched. Codes that matched nobody are absent. */
  readonly byReason: Readonly<Partial<Record<ContactReasonCode, number>>>;
}

export interface MailingAssessment {
  readonly policyVersion: string;
  readonly mailingId: string;
  /** Worst of the mailing's own rules and the recipients it will actually include. */
  readonly classification: Classification;
  readonly reasons: readonly Reason<MailingReasonCode>[];
  /** Recipients the mailing goes to (TRANSFER_RISK ones only when a valid acknowledgement covers them). */
  readonly included: readonly RecipientVerdict[];
  /** BLOCKED recipients: never mailed. */
  readonly excluded: readonly RecipientVerdict[];
  /** TRANSFER_RISK recipients not (validly) covered by an acknowledgement: held back until one is signed. */
  readonly needsAcknowledgement: readonly RecipientVerdict[];
  /** Counts over all recipients of the input. */
  readonly counts: RecipientCounts & {
    readonly included: number;
    readonly excluded: number;
    readonly needsAcknowledgement: number;
  };
  /** Counts over the TRANSFER_RISK recipients an acknowledgement would cover (what the signer signs for). */
  readonly transferRisk: RecipientCounts;
  /** sha256 of the TRANSFER_RISK recipients it would include (see `computeRecipientSetHash`). */
  readonly recipientSetHash: string;
  readonly acknowledgementStatus: AcknowledgementStatus;
}
