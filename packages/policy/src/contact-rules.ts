// The contact rules of docs/policy-rules.md. Over 400 lines because createContactClassifier's rule
// functions close over one prepared configuration (limits, the similarity table) and run in the order the
// rules document gives; split apart, each would need that configuration passed in.
import type { ContactRecord } from './contact-record.js';
import { deriveAddressKind } from './email-address.js';
import {
  CLASSIFICATIONS,
  type Classification,
  type ConsentMethod,
  type CustomerRelationship,
} from './enums.js';
import type { PolicyOptions } from './policy-options.js';
import type { MailingContext } from './mailing-context.js';
import { resolvePolicyConfig, type PolicyConfig } from './policy-config.js';
import { DAY_MS, resolveNow, subtractMonths, toEpochMs } from './policy-time.js';
import {
  classificationRank,
  type ContactReasonCode,
  type ContactVerdict,
  type Reason,
  type ReasonParams,
} from './reason.js';

/** Classifies one contact against the mailing the classifier was made for. */
export type ContactClassifier = (contact: ContactRecord) => ContactVerdict;

const NO_PARAMS: ReasonParams = Object.freeze({});
// Shared empty list for the common case; never pushed to (guarded by the `complete` check).
const NO_FIELDS: string[] = Object.freeze([]) as unknown as string[];

function reason(
  code: ContactReasonCode,
  classification: Classification,
  params: ReasonParams = NO_PARAMS,
): Reason<ContactReasonCode> {
  return { code, classification, params };
}

// Reasons whose parameters do not depend on the contact are shared: no allocation per contact.
const G0 = Object.freeze(reason('G0', 'ALLOWED_PROVEN'));
const G7 = Object.freeze(reason('G7', 'ALLOWED_PROVEN'));
const D3 = Object.freeze(reason('D3', 'ALLOWED_GREY'));
const D5 = Object.freeze(reason('D5', 'TRANSFER_RISK'));
const C9 = Object.freeze(reason('C9', 'ALLOWED_GREY'));
const C10 = Object.freeze(reason('C10', 'BLOCKED'));
const U1 = Object.freeze(reason('U1', 'BLOCKED'));
const T1 = Object.freeze(reason('T1', 'BLOCKED'));
const C11 = Object.freeze(reason('C11', 'TRANSFER_RISK', Object.freeze({ ruling: 'C-654/23' })));

/** Normalised form for comparing categories: case and surrounding spaces do not matter. */
function categoryKey(category: string): string {
  return category.trim().toLowerCase();
}

/** For every mailing category, the set of purchase categories that count as similar to it. */
function similarityTable(categories: readonly string[], config: PolicyConfig): ReadonlySet<string>[] {
  return categories.map((category) => {
    const key = categoryKey(category);
    const similar = new Set([key]);
    for (const group of config.similarCategories) {
      const keys = group.map(categoryKey);
      if (keys.includes(key)) for (const other of keys) similar.add(other);
    }
    return similar;
  });
}

/**
 * Builds a classifier for one mailing and one moment: thresholds, cut-off dates, category similarity and
 * contact-independent reasons are computed once, so classifying many contacts allocates only the verdicts.
 * Use this for lists; {@link classifyContact} for one contact.
 *
 * @example
 * const classify = createContactClassifier(mailing, { now: '2026-11-28T12:00:00Z' });
 * const blocked = contacts.filter((contact) => classify(contact).classification === 'BLOCKED');
 */
export function createContactClassifier(mailing: MailingContext, options: PolicyOptions): ContactClassifier {
  const config = resolvePolicyConfig(options.config);
  const nowMs = resolveNow(options.now);
  const greyCutoff = subtractMonths(nowMs, config.greyAfterMonths);
  const riskCutoff = subtractMonths(nowMs, config.transferRiskAfterMonths);
  const minConfirmMs = config.minConfirmDelaySeconds * 1000;
  const softBounceSpanMs = config.softBounceMinSpanDays * DAY_MS;
  const softBounceLimit = config.softBounceLimit;
  const marketing = mailing.content !== 'TRANSACTIONAL';
  const mailingCategories = mailing.productCategories ?? [];
  const similar = similarityTable(mailingCategories, config);
  const promotesThirdParty = mailing.promotesThirdParty === true;
  const G6 = Object.freeze(reason('G6', 'BLOCKED', Object.freeze({ listId: mailing.listId })));
  const tracked: string[] = [];
  if (mailing.tracking?.openPixel === true) tracked.push('openPixel');
  if (mailing.tracking?.clickRedirect === true) tracked.push('clickRedirect');
  // K1: art. 5(3) ePrivacy covers every message, marketing or not, so it is checked on both paths.
  const K1 =
    tracked.length === 0
      ? undefined
      : Object.freeze(reason('K1', 'BLOCKED', Object.freeze({ tracking: tracked })));

  function softBounceReason(contact: ContactRecord): Reason<ContactReasonCode> | undefined {
    const bounces = contact.softBounces;
    if (bounces === undefined || bounces.length < softBounceLimit) return undefined;
    // Only bounces after the last delivery count: a delivery since the first bounce resets the streak.
    const deliveredMs = toEpochMs(contact.lastDeliveredAt);
    const mailings: string[] = [];
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const bounce of bounces) {
      const at = toEpochMs(bounce.at);
      if (Number.isNaN(at) || (!Number.isNaN(deliveredMs) && at <= deliveredMs)) continue;
      if (!mailings.includes(bounce.mailingId)) mailings.push(bounce.mailingId);
      if (at < first) first = at;
      if (at > last) last = at;
    }
    if (mailings.length < softBounceLimit || last - first < softBounceSpanMs) return undefined;
    return reason('G4', 'BLOCKED', {
      count: mailings.length,
      firstAt: new Date(first).toISOString(),
      lastAt: new Date(last).toISOString(),
    });
  }

  function customerReasons(contact: ContactRecord, reasons: Reason<ContactReasonCode>[]): void {
    const start = reasons.length;
    const missing: string[] = [];
    if (contact.orderRef === undefined) missing.push('orderRef');
    const relationship = customerRelationshipOf(contact);
    if (relationship === 'FREE_ONLY') {
      const params: Record<string, string> = {};
      if (contact.orderRef !== undefined) params.orderRef = contact.orderRef;
      if (contact.customerRelationship === 'FREE_ONLY') params.relationship = 'FREE_ONLY';
      reasons.push(reason('C5', 'BLOCKED', params));
    } else if (relationship === 'FREE_TIER_OF_PAID_SERVICE') reasons.push(C11);
    else if (relationship === undefined) missing.push('orderPaid');

    const optOut = contact.optOutOfferedAtCollection ?? 'UNKNOWN';
    if (optOut === 'NO' || optOut === 'TERMS_ONLY') reasons.push(reason('C6', 'BLOCKED', { optOut }));
    else if (optOut === 'UNKNOWN') reasons.push(reason('C7', 'TRANSFER_RISK', { optOut }));
    // An opt-out said to be offered, without the text that offered it, cannot be shown: as unknown.
    else if (contact.collectionTextVersionId === undefined) {
      reasons.push(reason('C7', 'TRANSFER_RISK', { optOut, missing: ['collectionTextVersionId'] }));
    }

    if (promotesThirdParty) reasons.push(C10);
    if (mailingCategories.length === 0) reasons.push(C9);
    else {
      const purchased = contact.purchaseCategories;
      if (purchased === undefined || purchased.length === 0) {
        // What they bought is unknown: similarity cannot be verified, like a mailing without categories.
        reasons.push(reason('C9', 'ALLOWED_GREY', { missing: ['purchaseCategories'] }));
      } else {
        let notSimilar: string[] | undefined;
        for (let i = 0; i < mailingCategories.length; i++) {
          const set = similar[i];
          if (set !== undefined && !boughtSimilar(purchased, set))
            (notSimilar ??= []).push(mailingCategories[i] ?? '');
        }
        if (notSimilar !== undefined) {
          reasons.push(reason('C8', 'BLOCKED', { categories: notSimilar, purchaseCategories: purchased }));
        }
      }
    }

    // The later of the two: an order date newer than the recorded last purchase is still a purchase.
    const lastMs = toEpochMs(contact.lastPurchaseAt);
    const orderMs = toEpochMs(contact.orderAt);
    const useOrder = !Number.isNaN(orderMs) && (Number.isNaN(lastMs) || orderMs > lastMs);
    const purchaseAt = useOrder ? contact.orderAt : contact.lastPurchaseAt;
    const purchaseMs = useOrder ? orderMs : lastMs;
    if (Number.isNaN(purchaseMs)) missing.push('lastPurchaseAt');
    if (missing.length > 0) reasons.push(reason('C4', 'TRANSFER_RISK', { missing }));
    if (purchaseAt !== undefined && !Number.isNaN(purchaseMs)) {
      if (purchaseMs < riskCutoff)
        reasons.push(
          reason('C3', 'TRANSFER_RISK', {
            lastPurchaseAt: purchaseAt,
            months: config.transferRiskAfterMonths,
          }),
        );
      else if (purchaseMs < greyCutoff)
        reasons.push(
          reason('C2', 'ALLOWED_GREY', { lastPurchaseAt: purchaseAt, months: config.greyAfterMonths }),
        );
      else if (reasons.length === start)
        reasons.push(
          reason('C1', 'ALLOWED_PROVEN', { lastPurchaseAt: purchaseAt, months: config.greyAfterMonths }),
        );
    }
  }

  function b2bReasons(contact: ContactRecord, reasons: Reason<ContactReasonCode>[]): void {
    const addressKind = contact.addressKind ?? deriveAddressKind(contact.email);
    const kind = contact.recipientKind;
    if (kind === 'CONSUMER' || kind === 'SOLE_TRADER' || addressKind === 'PERSONAL') {
      reasons.push(reason('B3', 'BLOCKED', { recipientKind: kind, addressKind }));
      return;
    }
    const missing: string[] = [];
    if (kind !== 'LEGAL_PERSON') missing.push('recipientKind');
    if (addressKind !== 'ROLE') missing.push('addressKind');
    if (contact.publishedUrl === undefined) missing.push('publishedUrl');
    if (contact.publishedCapturedAt === undefined) missing.push('publishedCapturedAt');
    if (contact.publishedPurpose === undefined) missing.push('publishedPurpose');
    if (missing.length > 0) reasons.push(reason('B2', 'TRANSFER_RISK', { missing }));
    else {
      reasons.push(
        reason('B1', 'ALLOWED_GREY', {
          publishedUrl: contact.publishedUrl ?? '',
          publishedPurpose: contact.publishedPurpose ?? '',
        }),
      );
    }
  }

  /** WEB_DOI with a confirmation: D1–D4. */
  function doubleOptInReasons(
    contact: ContactRecord,
    confirmedAt: string,
    reasons: Reason<ContactReasonCode>[],
  ): void {
    const start = reasons.length;
    const confirmedMs = toEpochMs(confirmedAt);
    if (contact.consentTextVersionId === undefined) reasons.push(D3);
    // Most double opt-ins are complete: only build the list of missing fields when something is missing.
    const complete =
      contact.signupAt !== undefined &&
      contact.confirmTokenId !== undefined &&
      contact.source !== undefined &&
      contact.signupIp !== undefined &&
      contact.confirmIp !== undefined &&
      contact.signupUserAgent !== undefined &&
      contact.confirmUserAgent !== undefined &&
      !Number.isNaN(confirmedMs);
    const missing: string[] = complete ? NO_FIELDS : [];
    if (contact.signupAt === undefined) missing.push('signupAt');
    if (contact.confirmTokenId === undefined) missing.push('confirmTokenId');
    if (contact.source === undefined) missing.push('source');
    if (contact.signupIp === undefined) missing.push('signupIp');
    if (contact.confirmIp === undefined) missing.push('confirmIp');
    if (contact.signupUserAgent === undefined) missing.push('signupUserAgent');
    if (contact.confirmUserAgent === undefined) missing.push('confirmUserAgent');
    const signupMs = toEpochMs(contact.signupAt);
    // A confirmation must come after the sign-up it confirms; otherwise the timeline proves nothing.
    const outOfOrder = !Number.isNaN(signupMs) && !(confirmedMs > signupMs);
    if (Number.isNaN(confirmedMs)) missing.push('confirmedAt');
    if (missing.length > 0 || outOfOrder) {
      reasons.push(
        reason('D2', 'ALLOWED_GREY', outOfOrder ? { missing, confirmedBeforeSignup: true } : { missing }),
      );
    }
    const sentMs = toEpochMs(contact.confirmMailSentAt);
    if (!Number.isNaN(sentMs) && confirmedMs - sentMs < minConfirmMs) {
      reasons.push(
        reason('D4', 'ALLOWED_GREY', { seconds: Math.max(0, Math.round((confirmedMs - sentMs) / 100) / 10) }),
      );
    }
    if (reasons.length === start) reasons.push(reason('D1', 'ALLOWED_PROVEN', { confirmedAt }));
  }

  /** The method rules with their "evaluate as" chains; returns the method the record was judged as. */
  function methodReasons(contact: ContactRecord, reasons: Reason<ContactReasonCode>[]): ConsentMethod {
    let method = contact.method;
    // Re-permission: a completed confirmation makes the record a double opt-in from then on.
    if (
      (method === 'WEB_SOI' || method === 'PHONE' || method === 'PAPER') &&
      contact.reconfirmedAt !== undefined &&
      contact.confirmedAt !== undefined
    ) {
      method = 'WEB_DOI';
    }
    if (method === 'WEB_DOI') {
      const confirmedAt = contact.confirmedAt;
      if (confirmedAt !== undefined) {
        doubleOptInReasons(contact, confirmedAt, reasons);
        return 'WEB_DOI';
      }
      reasons.push(D5);
      method = 'WEB_SOI';
    }
    if (method === 'WEB_SOI') {
      const missing = missingOf(contact, 'signupAt', 'source', 'consentTextVersionId');
      if (missing.length === 0) {
        reasons.push(
          reason('S1', 'TRANSFER_RISK', { signupAt: contact.signupAt ?? '', source: contact.source ?? '' }),
        );
        return 'WEB_SOI';
      }
      reasons.push(reason('S2', 'TRANSFER_RISK', { missing }));
      method = 'IMPORTED_UNKNOWN';
    } else if (method === 'PHONE') {
      const missing = missingOf(contact, 'signupAt', 'phoneAgent', 'consentTextVersionId');
      if (missing.length === 0) {
        reasons.push(
          reason('P1', 'TRANSFER_RISK', {
            signupAt: contact.signupAt ?? '',
            phoneAgent: contact.phoneAgent ?? '',
          }),
        );
        return 'PHONE';
      }
      reasons.push(reason('P2', 'TRANSFER_RISK', { missing }));
      method = 'IMPORTED_UNKNOWN';
    } else if (method === 'PAPER') {
      const missing = missingOf(contact, 'signupAt', 'paperScanRef', 'consentTextVersionId');
      if (missing.length === 0) {
        reasons.push(
          reason('Q1', 'TRANSFER_RISK', {
            signupAt: contact.signupAt ?? '',
            paperScanRef: contact.paperScanRef ?? '',
          }),
        );
        return 'PAPER';
      }
      reasons.push(reason('Q2', 'TRANSFER_RISK', { missing }));
      method = 'IMPORTED_UNKNOWN';
    }
    switch (method) {
      case 'IMPORTED_UNKNOWN':
        reasons.push(
          contact.attestationId === undefined
            ? U1
            : reason('U2', 'TRANSFER_RISK', { attestationId: contact.attestationId }),
        );
        break;
      case 'THIRD_PARTY':
        reasons.push(T1);
        break;
      case 'CUSTOMER':
        customerReasons(contact, reasons);
        break;
      case 'B2B_PUBLISHED':
        b2bReasons(contact, reasons);
        break;
      default:
        break;
    }
    return method;
  }

  /** A1/A2: how long ago the person last showed they want this mail. */
  function ageReason(contact: ContactRecord): Reason<ContactReasonCode> | undefined {
    let latestAt = contact.confirmedAt ?? contact.signupAt;
    let latest = toEpochMs(latestAt);
    // Two candidates, unrolled: this runs for most contacts, so no array per call.
    const reconfirmedMs = toEpochMs(contact.reconfirmedAt);
    if (!Number.isNaN(reconfirmedMs) && (Number.isNaN(latest) || reconfirmedMs > latest)) {
      latest = reconfirmedMs;
      latestAt = contact.reconfirmedAt;
    }
    const engagedMs = toEpochMs(contact.lastEngagedAt);
    if (!Number.isNaN(engagedMs) && (Number.isNaN(latest) || engagedMs > latest)) {
      latest = engagedMs;
      latestAt = contact.lastEngagedAt;
    }
    if (Number.isNaN(latest) || latestAt === undefined) return undefined;
    if (latest < riskCutoff)
      return reason('A2', 'TRANSFER_RISK', {
        lastActivityAt: latestAt,
        months: config.transferRiskAfterMonths,
      });
    if (latest < greyCutoff)
      return reason('A1', 'ALLOWED_GREY', { lastActivityAt: latestAt, months: config.greyAfterMonths });
    return undefined;
  }

  return function classify(contact: ContactRecord): ContactVerdict {
    const reasons: Reason<ContactReasonCode>[] = [];
    if (K1 !== undefined && contact.trackingConsentAt === undefined) reasons.push(K1);
    if (!marketing) {
      reasons.push(G0);
      if (contact.hardBounceAt !== undefined) reasons.push(hardBounce(contact));
      const g4 = softBounceReason(contact);
      if (g4 !== undefined) reasons.push(g4);
      return verdict(reasons);
    }
    if (contact.unsubscribedAt !== undefined || contact.objectedAt !== undefined) {
      const params: Record<string, string> = {};
      if (contact.unsubscribedAt !== undefined) params.unsubscribedAt = contact.unsubscribedAt;
      if (contact.objectedAt !== undefined) params.objectedAt = contact.objectedAt;
      reasons.push(reason('G1', 'BLOCKED', params));
    }
    if (contact.complaintAt !== undefined) {
      reasons.push(
        reason(
          'G2',
          'BLOCKED',
          contact.complaintSource === undefined
            ? { complaintAt: contact.complaintAt }
            : { complaintAt: contact.complaintAt, complaintSource: contact.complaintSource },
        ),
      );
    }
    if (contact.hardBounceAt !== undefined) reasons.push(hardBounce(contact));
    const g4 = softBounceReason(contact);
    if (g4 !== undefined) reasons.push(g4);
    if (contact.senderEntityId !== mailing.senderEntityId) {
      reasons.push(
        reason('G5', 'BLOCKED', {
          contactEntityId: contact.senderEntityId,
          mailingEntityId: mailing.senderEntityId,
        }),
      );
    }
    const scope = contact.scopeLists;
    if (scope !== 'ALL' && !scope.includes(mailing.listId)) reasons.push(G6);
    if (
      contact.recipientKind === 'UNKNOWN' &&
      contact.method !== 'CUSTOMER' &&
      contact.method !== 'B2B_PUBLISHED'
    ) {
      reasons.push(G7);
    }
    const judgedAs = methodReasons(contact, reasons);
    if (judgedAs === 'WEB_DOI' || judgedAs === 'WEB_SOI' || judgedAs === 'PHONE' || judgedAs === 'PAPER') {
      const age = ageReason(contact);
      if (age !== undefined) reasons.push(age);
    }
    return verdict(reasons);
  };
}

/**
 * The customer relationship the C rules judge: the recorded one, with `orderPaid: false` always winning
 * over a claimed paid order (an unpaid order is not a sale). Without a recorded relationship it follows
 * `orderPaid` as before (true: a paid order; false: free only); undefined when payment is not known.
 */
function customerRelationshipOf(contact: ContactRecord): CustomerRelationship | undefined {
  const recorded = contact.customerRelationship;
  // A free tier is unpaid by definition: `orderPaid: false` is what one looks like, not a contradiction.
  if (contact.orderPaid === false && recorded !== 'FREE_TIER_OF_PAID_SERVICE') return 'FREE_ONLY';
  if (recorded !== undefined) return recorded;
  return contact.orderPaid === true ? 'PAID_ORDER' : undefined;
}

function hardBounce(contact: ContactRecord): Reason<ContactReasonCode> {
  return reason(
    'G3',
    'BLOCKED',
    contact.hardBounceStatus === undefined
      ? { hardBounceAt: contact.hardBounceAt ?? '' }
      : { hardBounceAt: contact.hardBounceAt ?? '', hardBounceStatus: contact.hardBounceStatus },
  );
}

/** The names of the absent fields among three (fixed arity: this runs per contact, so no rest array). */
function missingOf(
  contact: ContactRecord,
  a: keyof ContactRecord,
  b: keyof ContactRecord,
  c: keyof ContactRecord,
): string[] {
  const hasA = contact[a] !== undefined;
  const hasB = contact[b] !== undefined;
  const hasC = contact[c] !== undefined;
  if (hasA && hasB && hasC) return NO_FIELDS;
  const missing: string[] = [];
  if (!hasA) missing.push(a);
  if (!hasB) missing.push(b);
  if (!hasC) missing.push(c);
  return missing;
}

/** True when one of the purchased categories is in `similar` (normalised keys). */
function boughtSimilar(purchased: readonly string[], similar: ReadonlySet<string>): boolean {
  for (const category of purchased) {
    // Most stored categories are already normalised: try them as they are before allocating a new key.
    if (similar.has(category) || similar.has(categoryKey(category))) return true;
  }
  return false;
}

function verdict(reasons: Reason<ContactReasonCode>[]): ContactVerdict {
  let worst = 0;
  for (const item of reasons) {
    const rank = classificationRank(item.classification);
    if (rank > worst) worst = rank;
  }
  return { classification: CLASSIFICATIONS[worst] ?? 'BLOCKED', reasons };
}

let lastClassifier:
  { mailing: MailingContext; now: string | Date; config: unknown; classify: ContactClassifier } | undefined;

/**
 * Judges one contact for one mailing with every rule of docs/policy-rules.md section 4 (G0–A2): all matching
 * rule ids are returned as reasons, the worst classification wins, and "evaluate as" chains report both ids
 * (D5 → S1, S2/P2/Q2 → U1/U2). `now` is passed in; the function reads no clock and does no I/O.
 * The input is trusted (typed); validate untrusted JSON with `parseContactRecord` first.
 * The set-up for a mailing is reused while the same `mailing`, `now` and `config` objects are passed, so treat
 * them as immutable (build a new mailing object rather than changing one between calls).
 *
 * @example
 * const verdict = classifyContact(
 *   { email: 'jan@example.nl', recipientKind: 'CONSUMER', method: 'THIRD_PARTY', senderEntityId: 'shop', scopeLists: 'ALL' },
 *   { id: 'm1', senderEntityId: 'shop', listId: 'news', content: 'MARKETING' },
 *   { now: '2026-11-28T12:00:00Z' },
 * );
 * verdict.classification;                    // 'BLOCKED'
 * verdict.reasons.map((reason) => reason.code); // ['T1']
 */
export function classifyContact(
  contact: ContactRecord,
  mailing: MailingContext,
  options: PolicyOptions,
): ContactVerdict {
  // Remember the classifier of the last call: a loop over contacts with the same mailing and options
  // then pays the set-up once.
  const cached = lastClassifier;
  if (
    cached !== undefined &&
    cached.mailing === mailing &&
    cached.now === options.now &&
    cached.config === options.config
  ) {
    return cached.classify(contact);
  }
  const classify = createContactClassifier(mailing, options);
  lastClassifier = { mailing, now: options.now, config: options.config, classify };
  return classify(contact);
}
