import type { ConsentMethod, ContactReasonCode } from '@consent-mailer/policy';
import { normalizeEmailAddress } from '@consent-mailer/policy';
import type { AcknowledgementDocument, CoveredRecipient } from './acknowledgement-document.js';
import { canonicalSha256, sha256Hex } from './canonical-json.js';

/** What the signing flow knows of a TRANSFER_RISK recipient. */
export interface RecipientFacts {
  email: string;
  method: ConsentMethod;
  reasons: readonly ContactReasonCode[];
}

/**
 * The export form of covered recipients: address sha256 (of the normalised address), method and sorted
 * reason codes, sorted by address hash so the list (and its hash) does not depend on query order.
 *
 * @example
 * toCoveredRecipients([{ email: 'a@x.nl', method: 'PHONE', reasons: ['P1'] }]);
 * // [{ addressSha256: 'f0…', method: 'PHONE', reasons: ['P1'] }]
 */
export function toCoveredRecipients(recipients: readonly RecipientFacts[]): CoveredRecipient[] {
  return recipients
    .map((recipient) => ({
      addressSha256: sha256Hex(normalizeEmailAddress(recipient.email)),
      method: recipient.method,
      reasons: [...new Set(recipient.reasons)].sort(),
    }))
    .sort((a, b) => (a.addressSha256 < b.addressSha256 ? -1 : a.addressSha256 > b.addressSha256 ? 1 : 0));
}

/**
 * The counts and list hash an acknowledgement document records for its recipients.
 *
 * @example
 * const { count, byMethod, byReason, listHash } = summariseCoveredRecipients(toCoveredRecipients(facts));
 */
export function summariseCoveredRecipients(
  recipients: readonly CoveredRecipient[],
): Omit<AcknowledgementDocument['recipients'], 'setHash'> {
  const byMethod: Partial<Record<ConsentMethod, number>> = {};
  const byReason: Partial<Record<ContactReasonCode, number>> = {};
  for (const recipient of recipients) {
    byMethod[recipient.method] = (byMethod[recipient.method] ?? 0) + 1;
    for (const reason of recipient.reasons) byReason[reason] = (byReason[reason] ?? 0) + 1;
  }
  return { count: recipients.length, byMethod, byReason, listHash: canonicalSha256(recipients) };
}
