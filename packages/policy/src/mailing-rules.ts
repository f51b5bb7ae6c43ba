import { createContactClassifier } from './contact-rules.js';
import { CLASSIFICATIONS, CONSENT_METHODS, type Classification, type ConsentMethod } from './enums.js';
import type {
  AcknowledgementCoverage,
  AcknowledgementStatus,
  AssessMailingInput,
  MailingAssessment,
  MailingRecipientInput,
  RecipientCounts,
  RecipientVerdict,
} from './mailing-assessment.js';
import type { MailingFacts } from './mailing-facts.js';
import { resolvePolicyConfig, type PolicyConfig } from './policy-config.js';
import { parseMailingContext, parseMailingFacts } from './policy-input.js';
import type { PolicyOptions } from './policy-options.js';
import { DAY_MS, resolveNow, toEpochMs } from './policy-time.js';
import { POLICY_VERSION } from './policy-version.js';
import {
  worstClassification,
  type ContactReasonCode,
  type MailingReasonCode,
  type Reason,
} from './reason.js';
import { computeRecipientSetHash } from './recipient-set-hash.js';

type MailingReason = Reason<MailingReasonCode>;

/** Counts that are filled in one pass; turned into the read-only {@link RecipientCounts} at the end. */
class CountAccumulator {
  total = 0;
  readonly byClassification = Object.fromEntries(CLASSIFICATIONS.map((c) => [c, 0])) as Record<
    Classification,
    number
  >;
  readonly byMethod = Object.fromEntries(CONSENT_METHODS.map((m) => [m, 0])) as Record<ConsentMethod, number>;
  readonly byReason: Partial<Record<ContactReasonCode, number>> = {};

  add(recipient: RecipientVerdict): void {
    this.total++;
    this.byClassification[recipient.classification]++;
    this.byMethod[recipient.method]++;
    for (const item of recipient.reasons) this.byReason[item.code] = (this.byReason[item.code] ?? 0) + 1;
  }

  freeze(): RecipientCounts {
    return {
      total: this.total,
      byClassification: this.byClassification,
      byMethod: this.byMethod,
      byReason: this.byReason,
    };
  }
}

/** M1–M14: the rules about the message and the sending set-up. M3 needs the count of first-time recipients. */
function mailingRuleReasons(
  facts: MailingFacts,
  marketing: boolean,
  firstTimeRecipients: number,
  nowMs: number,
  config: PolicyConfig,
): MailingReason[] {
  const reasons: MailingReason[] = [];
  const bulk = facts.expectedDailyVolumeToBigProvider >= config.bulkSenderDailyVolume;
  const volume = {
    dailyVolume: facts.expectedDailyVolumeToBigProvider,
    bulkLimit: config.bulkSenderDailyVolume,
  };
  if (marketing) {
    if (!facts.senderIdentityPresent) reasons.push({ code: 'M1', classification: 'BLOCKED', params: {} });
    if (!facts.optOutLinkPresent) reasons.push({ code: 'M2', classification: 'BLOCKED', params: {} });
    if (!facts.rightToObjectStatementPresent && firstTimeRecipients > 0) {
      reasons.push({ code: 'M3', classification: 'BLOCKED', params: { count: firstTimeRecipients } });
    }
    const footerMissing: string[] = [];
    if (!facts.footer.postalAddress) footerMissing.push('postalAddress');
    if (!facts.footer.contactEmail) footerMissing.push('contactEmail');
    if (!facts.footer.kvkNumber) footerMissing.push('kvkNumber');
    if (footerMissing.length > 0)
      reasons.push({ code: 'M5', classification: 'ALLOWED_GREY', params: { missing: footerMissing } });
    const unsubscribe = facts.listUnsubscribe;
    if (!unsubscribe.mailto && !unsubscribe.https) {
      reasons.push({
        code: 'M6',
        classification: 'BLOCKED',
        params: { missing: ['List-Unsubscribe'], ...volume },
      });
    } else if (!unsubscribe.https || !unsubscribe.oneClick) {
      const missing = [
        ...(unsubscribe.https ? [] : ['https']),
        ...(unsubscribe.oneClick ? [] : ['One-Click']),
      ];
      reasons.push({
        code: 'M6',
        classification: bulk ? 'BLOCKED' : 'ALLOWED_GREY',
        params: { missing, ...volume },
      });
    }
  }
  const auth = facts.authentication;
  // The text says whether the results were read from DNS or only declared by the owner.
  const checked = {
    ...(auth.source ? { source: auth.source } : {}),
    ...(auth.checkedAt ? { checkedAt: auth.checkedAt } : {}),
  };
  if (!auth.spfPass && !auth.dkimPass) {
    reasons.push({
      code: 'M7',
      classification: 'BLOCKED',
      params: { missing: ['SPF', 'DKIM'], ...volume, ...checked },
    });
  } else if (!auth.dmarcPresent || !auth.aligned) {
    const missing = [...(auth.dmarcPresent ? [] : ['DMARC']), ...(auth.aligned ? [] : ['alignment'])];
    reasons.push({
      code: 'M7',
      classification: bulk ? 'BLOCKED' : 'ALLOWED_GREY',
      params: { missing, ...volume, ...checked },
    });
  }
  const previous = facts.previousMailing;
  if (previous !== undefined) {
    if (previous.complaintRate >= config.complaintRateBlocked) {
      reasons.push({
        code: 'M10',
        classification: 'BLOCKED',
        params: { rate: previous.complaintRate, limit: config.complaintRateBlocked },
      });
    } else if (previous.complaintRate >= config.complaintRateGrey) {
      reasons.push({
        code: 'M11',
        classification: 'ALLOWED_GREY',
        params: {
          rate: previous.complaintRate,
          greyLimit: config.complaintRateGrey,
          limit: config.complaintRateBlocked,
        },
      });
    }
    if (previous.hardBounceRate > config.hardBounceRateBlocked) {
      reasons.push({
        code: 'M12',
        classification: 'BLOCKED',
        params: { rate: previous.hardBounceRate, limit: config.hardBounceRateBlocked },
      });
    } else if (previous.hardBounceRate >= config.hardBounceRateGrey) {
      reasons.push({
        code: 'M12',
        classification: 'ALLOWED_GREY',
        params: {
          rate: previous.hardBounceRate,
          greyLimit: config.hardBounceRateGrey,
          limit: config.hardBounceRateBlocked,
        },
      });
    }
  }
  const notice = facts.lastAbuseNotice;
  if (notice !== undefined) {
    const noticeMs = toEpochMs(notice.at);
    if (!Number.isNaN(noticeMs) && nowMs - noticeMs <= config.abuseNoticeWindowDays * DAY_MS) {
      reasons.push({
        code: 'M13',
        classification: 'TRANSFER_RISK',
        params: { at: notice.at, source: notice.source, windowDays: config.abuseNoticeWindowDays },
      });
    }
  }
  if (facts.blocklisted === true) reasons.push({ code: 'M14', classification: 'BLOCKED', params: {} });
  return reasons;
}

/**
 * Assesses a whole mailing: every recipient is classified (section 4), then the mailing rules M1–M15
 * (section 5) are applied. BLOCKED recipients are always excluded; TRANSFER_RISK recipients are held back
 * unless `acknowledgement.recipientSetHash` equals the hash of exactly those recipients (and it has not
 * lapsed through M10, M13 after signing, or M14). The mailing's classification is the worst of its own rules
 * M1–M14 and of the recipients it will actually include; M15, when present, reports the held-back recipients
 * (its classification is theirs, TRANSFER_RISK, and does not count towards the mailing's).
 * `mailing` and `facts` are validated with zod; recipients are trusted (validate them at the boundary with
 * `parseContactRecord`).
 *
 * @throws {UserError} `POLICY_INVALID_INPUT` for invalid mailing or facts, `POLICY_INVALID_EMAIL` for an
 *   address that cannot be normalised among the TRANSFER_RISK recipients.
 * @example
 * const assessment = assessMailing({ mailing, facts, recipients: contacts.map((contact) => ({ contact, firstMarketingMailing: false })) },
 *   { now: '2026-11-28T12:00:00Z' });
 * assessment.included.length; // who gets the mail now
 * assessment.recipientSetHash; // what an acknowledgement must cover
 */
export function assessMailing(input: AssessMailingInput, options: PolicyOptions): MailingAssessment {
  const assessor = createMailingAssessor(input, options);
  assessor.add(input.recipients);
  return assessor.finish(input.acknowledgement);
}

/** {@link assessMailing} in steps: recipients added in chunks, the assessment made at the end. */
export interface MailingAssessor {
  /** Classifies the next recipients; their `index` continues from the recipients added before. */
  add(recipients: readonly MailingRecipientInput[]): void;
  /**
   * The assessment of every recipient added, with or without an acknowledgement to weigh (it may be called
   * again with another; the verdicts do not depend on it). Add nothing after it. `facts` known only once
   * every recipient has been seen (the volume per mailbox provider) may be given here instead of at
   * creation: a host streaming its recipients then never holds them all.
   *
   * @throws {UserError} `POLICY_INVALID_INPUT` for invalid facts given here, or no facts at all.
   */
  finish(acknowledgement?: AcknowledgementCoverage, facts?: MailingFacts): MailingAssessment;
}

/**
 * How many distinct lists of reasons an assessment shares. Past it the recipients' reasons vary too much to
 * share (parameters that differ per contact) and each keeps its own, without the cost of looking.
 */
const MAX_SHARED_REASON_LISTS = 2_000;

function hasParams(params: object): boolean {
  for (const _name in params) return true;
  return false;
}

/**
 * One list per distinct set of reasons: an assessment keeps every recipient's verdict, and the recipients of a
 * list mostly share their reasons (the same method, the same evidence gaps). Sharing them took a million
 * recipients' verdicts from 662 MB of heap to 214 MB (issue 19). Reasons are read-only.
 */
class ReasonLists {
  readonly #lists = new Map<string, readonly Reason<ContactReasonCode>[]>();

  of(reasons: readonly Reason<ContactReasonCode>[]): readonly Reason<ContactReasonCode>[] {
    if (this.#lists.size >= MAX_SHARED_REASON_LISTS) return reasons;
    let key = '';
    for (const item of reasons) {
      key += `${item.code} ${item.classification}`;
      // Most reasons have no parameters; stringifying only the others keeps this cheap per recipient.
      if (hasParams(item.params)) key += JSON.stringify(item.params);
      key += '\n';
    }
    const known = this.#lists.get(key);
    if (known !== undefined) return known;
    this.#lists.set(key, reasons);
    return reasons;
  }
}

/**
 * The same assessment as {@link assessMailing}, fed in chunks: a host that loads 100,000 recipients page by
 * page classifies each page as it arrives and lets its event loop run in between, instead of one long
 * synchronous stretch (issue 19: the desktop main process must not stall).
 *
 * @throws {UserError} `POLICY_INVALID_INPUT` for invalid mailing or facts (at creation, or at `finish`
 *   for facts given there).
 * @example
 * const assessor = createMailingAssessor({ mailing, facts }, { now });
 * for (const page of pages) assessor.add(page);
 * const assessment = assessor.finish();
 */
export function createMailingAssessor(
  input: Pick<AssessMailingInput, 'mailing'> & { facts?: MailingFacts },
  options: PolicyOptions,
): MailingAssessor {
  const mailing = parseMailingContext(input.mailing);
  const initialFacts = input.facts === undefined ? undefined : parseMailingFacts(input.facts);
  const config = resolvePolicyConfig(options.config);
  const nowMs = resolveNow(options.now);
  const classify = createContactClassifier(mailing, { now: options.now, config });
  const marketing = mailing.content !== 'TRANSACTIONAL';

  const allowed: RecipientVerdict[] = [];
  const excluded: RecipientVerdict[] = [];
  const transferRisk: RecipientVerdict[] = [];
  const all = new CountAccumulator();
  const risk = new CountAccumulator();
  let firstTimeRecipients = 0;
  let includedWorst: Classification = 'ALLOWED_PROVEN';
  let next = 0;
  let recipientSetHash: string | undefined;

  const sharedReasons = new ReasonLists();

  const add = (recipients: readonly MailingRecipientInput[]): void => {
    recipientSetHash = undefined;
    for (const item of recipients) {
      const index = next++;
      const contact = item.contact;
      const verdict = classify(contact);
      const recipient: RecipientVerdict = {
        index,
        email: contact.email,
        method: contact.method,
        classification: verdict.classification,
        reasons: sharedReasons.of(verdict.reasons),
      };
      all.add(recipient);
      if (verdict.classification === 'BLOCKED') {
        excluded.push(recipient);
        continue;
      }
      if (item.firstMarketingMailing) firstTimeRecipients++;
      if (verdict.classification === 'TRANSFER_RISK') {
        transferRisk.push(recipient);
        risk.add(recipient);
      } else {
        allowed.push(recipient);
        includedWorst = worstClassification(includedWorst, verdict.classification);
      }
    }
  };

  const finish = (acknowledgement?: AcknowledgementCoverage, lateFacts?: MailingFacts): MailingAssessment => {
    // Neither at creation nor here: parsing the missing facts throws POLICY_INVALID_INPUT, saying so.
    const facts =
      lateFacts === undefined && initialFacts !== undefined ? initialFacts : parseMailingFacts(lateFacts);
    const reasons = mailingRuleReasons(facts, marketing, firstTimeRecipients, nowMs, config);
    recipientSetHash ??= computeRecipientSetHash(transferRisk.map((recipient) => recipient.email));
    const acknowledgementStatus = acknowledgementStatusOf(
      acknowledgement,
      reasons,
      transferRisk.length,
      recipientSetHash,
    );
    const covered = acknowledgementStatus === 'VALID';

    let classification = includedWorst;
    for (const item of reasons) classification = worstClassification(classification, item.classification);
    let included = allowed;
    let needsAcknowledgement = transferRisk;
    if (covered && transferRisk.length > 0) {
      included = [...allowed, ...transferRisk].sort((a, b) => a.index - b.index);
      needsAcknowledgement = [];
      classification = worstClassification(classification, 'TRANSFER_RISK');
    } else if (transferRisk.length > 0) {
      reasons.push({
        code: 'M15',
        classification: 'TRANSFER_RISK',
        params: { count: transferRisk.length, acknowledgementStatus },
      });
    }

    const counts = all.freeze();
    return {
      policyVersion: POLICY_VERSION,
      mailingId: mailing.id,
      classification,
      reasons,
      included,
      excluded,
      needsAcknowledgement,
      counts: {
        ...counts,
        included: included.length,
        excluded: excluded.length,
        needsAcknowledgement: needsAcknowledgement.length,
      },
      transferRisk: risk.freeze(),
      recipientSetHash,
      acknowledgementStatus,
    };
  };
  return { add, finish };
}

function acknowledgementStatusOf(
  acknowledgement: AcknowledgementCoverage | undefined,
  reasons: readonly MailingReason[],
  transferRiskCount: number,
  recipientSetHash: string,
): AcknowledgementStatus {
  const m13 = reasons.find((item) => item.code === 'M13');
  if (transferRiskCount === 0 && m13 === undefined) return 'NOT_NEEDED';
  if (acknowledgement === undefined) return 'MISSING';
  if (acknowledgement.recipientSetHash !== recipientSetHash) return 'MISMATCH';
  // Section 6: the acknowledgement lapses when M10, M13 or M14 triggers. An abuse notice that was already
  // known when it was signed (signed after the notice) does not make it lapse: the signer accepted that risk.
  if (reasons.some((item) => item.code === 'M10' || item.code === 'M14')) return 'LAPSED';
  if (m13 !== undefined) {
    const signedMs = toEpochMs(acknowledgement.signedAt);
    const noticeMs = toEpochMs(typeof m13.params.at === 'string' ? m13.params.at : undefined);
    if (Number.isNaN(signedMs) || !(signedMs > noticeMs)) return 'LAPSED';
  }
  return 'VALID';
}
