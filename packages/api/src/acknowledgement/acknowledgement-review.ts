import { describeMergeFields } from '@consent-mailer/mailer';
import type { Lang } from '@consent-mailer/policy';
import {
  findCoveredRecipientHistory,
  listAcknowledgements,
  type Executor,
  type AcknowledgementFilter,
  type AcknowledgementRow,
  type CoveredRecipientHistory,
} from '@consent-mailer/store';
import { canonicalSha256 } from './canonical-json.js';
import { parseStoredDocument, requireAcknowledgement } from './evidence-export.js';
import { verificationCode } from './verification-code.js';

/** One line of the accountant's list. */
export interface AcknowledgementListItem {
  id: string;
  signedAt: string;
  signerName: string;
  signerRole: string;
  senderEntityId: string;
  legalName: string;
  kvkNumber: string | null;
  mailingId: string;
  recipientCount: number;
  verificationCode: string;
  lapsedAt: string | null;
  lapseReason: string | null;
}

/** What happened under an acknowledgement, summed over its recipients. */
export interface AcknowledgementOutcome {
  covered: number;
  delivered: number;
  notDelivered: number;
  pending: number;
  hardBounces: number;
  softBounces: number;
  complaints: number;
  unsubscribes: number;
}

/** The review of one acknowledgement: who signed what and when, whom it covered, and what happened. */
export interface AcknowledgementDetail extends AcknowledgementListItem {
  mailing: { id: string; name: string; subject: string };
  language: Lang;
  policyVersion: string;
  textVersionId: string;
  textSha256: string;
  text: string;
  statements: { id: string; text: string; confirmed: boolean }[];
  mailingReasons: string[];
  counts: { total: number; byMethod: Record<string, number>; byReason: Record<string, number> };
  recipientSetHash: string;
  recipientListHash: string;
  documentSha256: string;
  keyFingerprint: string;
  hasDrawnSignature: boolean;
  recipients: CoveredRecipientHistory[];
  outcome: AcknowledgementOutcome;
}

/**
 * Acknowledgements for the review, oldest first, filtered by period, sender entity, signer or mailing.
 *
 * @example
 * const items = await listAcknowledgementItems(store.db, { from: '2025-12-31T23:00:00.000Z', signer: 'anna' });
 */
export async function listAcknowledgementItems(
  db: Executor,
  filter: AcknowledgementFilter = {},
): Promise<AcknowledgementListItem[]> {
  return (await listAcknowledgements(db, filter)).map(toListItem);
}

/**
 * Everything about one acknowledgement: the signed content, every covered recipient (address while it
 * exists, method, reasons) with its delivery, bounces, complaints and unsubscribes, and the totals.
 *
 * @throws {UserError} `ACK_NOT_FOUND` for an unknown id.
 * @example
 * const detail = await getAcknowledgementDetail(store.db, id);
 * console.log(`${detail.signerName} signed for ${detail.counts.total}; ${detail.outcome.complaints} complaints`);
 */
export async function getAcknowledgementDetail(db: Executor, id: string): Promise<AcknowledgementDetail> {
  const row = await requireAcknowledgement(db, id);
  const document = parseStoredDocument(row);
  const recipients = await findCoveredRecipientHistory(db, row);
  const outcome: AcknowledgementOutcome = {
    covered: recipients.length,
    delivered: 0,
    notDelivered: 0,
    pending: 0,
    hardBounces: 0,
    softBounces: 0,
    complaints: 0,
    unsubscribes: 0,
  };
  for (const recipient of recipients) {
    const state = recipient.delivery?.state;
    if (state === 'SENT') outcome.delivered += 1;
    else if (state === 'FAILED' || state === 'SKIPPED' || state === 'CANCELLED') outcome.notDelivered += 1;
    else if (state !== undefined) outcome.pending += 1;
    outcome.hardBounces += recipient.bounces.filter((bounce) => bounce.kind === 'HARD').length;
    outcome.softBounces += recipient.bounces.filter((bounce) => bounce.kind === 'SOFT').length;
    outcome.complaints += recipient.complaints.length;
    outcome.unsubscribes += recipient.suppressions.filter(
      (item) => item.reason === 'UNSUBSCRIBED' || item.reason === 'OBJECTED',
    ).length;
  }
  return {
    ...toListItem(row),
    // Signed before the document named the subject in words, it still reads so (in words it stays as it is).
    mailing: {
      ...document.mailing,
      subject: describeMergeFields(document.mailing.subject, document.language),
    },
    language: document.language,
    policyVersion: document.policyVersion,
    textVersionId: document.text.versionId,
    textSha256: document.text.sha256,
    text: document.text.body,
    statements: document.statements,
    mailingReasons: document.mailingReasons,
    counts: {
      total: document.recipients.count,
      byMethod: document.recipients.byMethod,
      byReason: document.recipients.byReason,
    },
    recipientSetHash: document.recipients.setHash,
    recipientListHash: document.recipients.listHash,
    documentSha256: canonicalSha256(document),
    keyFingerprint: document.signingKey.fingerprint,
    hasDrawnSignature: document.signatureImage !== null,
    recipients,
    outcome,
  };
}

function toListItem(row: AcknowledgementRow): AcknowledgementListItem {
  return {
    id: row.id,
    signedAt: row.signed_at,
    signerName: row.signer_name,
    signerRole: row.signer_role,
    senderEntityId: row.sender_entity_id,
    legalName: row.legal_name,
    kvkNumber: row.kvk_number,
    mailingId: row.mailing_id,
    recipientCount: row.recipient_count,
    verificationCode: verificationCode(row.signature),
    lapsedAt: row.lapsed_at,
    lapseReason: row.lapse_reason,
  };
}

/**
 * The instants that bound a calendar year in the Netherlands (Europe/Amsterdam). 1 January is always in
 * winter time (UTC+1), so the year starts at 23:00 UTC on 31 December.
 *
 * @example
 * yearRange(2026); // { from: '2025-12-31T23:00:00.000Z', to: '2026-12-31T23:00:00.000Z' }
 */
export function yearRange(year: number): { from: string; to: string } {
  return {
    from: new Date(Date.UTC(year - 1, 11, 31, 23)).toISOString(),
    to: new Date(Date.UTC(year, 11, 31, 23)).toISOString(),
  };
}
