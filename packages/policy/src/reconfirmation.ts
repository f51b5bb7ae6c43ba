import type { ContactRecord } from './contact-record.js';
import { createContactClassifier } from './contact-rules.js';
import type { PolicyOptions } from './policy-options.js';
import type { ContactReasonCode, Reason } from './reason.js';

/** Why a confirmation request may or may not be sent. */
export type ReconfirmationDecision =
  | { allowed: true; why: 'ALLOWED'; reasons: readonly Reason<ContactReasonCode>[] }
  | {
      allowed: false;
      why: 'NOT_ASKED_TO_BE_MAILED' | 'BLOCKED';
      reasons: readonly Reason<ContactReasonCode>[];
    };

// Rules after which no mail at all, not even a request to confirm, may go to the address.
const STOPPING: ReadonlySet<ContactReasonCode> = new Set(['G1', 'G2', 'G3', 'G4', 'U1', 'T1']);

/**
 * Re-permission (docs/policy-rules.md section 4): may this contact get a confirmation request (a mail without
 * any promotion asking them to confirm by link)? Only people who asked to be mailed (WEB_SOI, PHONE, PAPER,
 * and WEB_DOI whose consent is to be refreshed), never addresses of unknown origin without evidence (U1),
 * third-party addresses (T1), and never after an unsubscribe, objection, complaint or hard/soft bounces
 * (G1–G4). Once confirmed, set `reconfirmedAt` and the `confirm*` fields: the record is then judged as WEB_DOI.
 *
 * @example
 * mayRequestReconfirmation(singleOptIn, { now: '2026-11-28T12:00:00Z' }).allowed; // true
 * mayRequestReconfirmation(boughtAddress, { now: '2026-11-28T12:00:00Z' }).why;   // 'NOT_ASKED_TO_BE_MAILED'
 */
export function mayRequestReconfirmation(
  contact: ContactRecord,
  options: PolicyOptions,
): ReconfirmationDecision {
  // Judge against the contact's own entity and scope: the request is not about any particular list.
  const listId =
    contact.scopeLists === 'ALL' ? 'reconfirmation' : (contact.scopeLists[0] ?? 'reconfirmation');
  const verdict = createContactClassifier(
    { id: 'reconfirmation', senderEntityId: contact.senderEntityId, listId, content: 'MARKETING' },
    options,
  )(contact);
  const stopping = verdict.reasons.filter((reason) => STOPPING.has(reason.code));
  if (stopping.length > 0) return { allowed: false, why: 'BLOCKED', reasons: stopping };
  const method = contact.method;
  if (method !== 'WEB_SOI' && method !== 'PHONE' && method !== 'PAPER' && method !== 'WEB_DOI') {
    return { allowed: false, why: 'NOT_ASKED_TO_BE_MAILED', reasons: verdict.reasons };
  }
  return { allowed: true, why: 'ALLOWED', reasons: verdict.reasons };
}
