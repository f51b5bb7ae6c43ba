import {
  resolvePolicyConfig,
  type AbuseNoticeSource,
  type ComplaintSource,
  type ConsentMethod,
  type ContactReasonCode,
  type PolicyConfigInput,
} from '@consent-mailer/policy';
import {
  findAcknowledgementsByMailing,
  findLatestAbuseNoticeSince,
  findPreviousMarketingMailingRates,
  markAcknowledgementLapsed,
  type Executor,
  type AcknowledgementRow,
} from '@consent-mailer/store';
import type { SecretStore } from '../secrets/secret-store.js';
import { installationKeyFingerprints, verifyStoredAcknowledgement } from './acknowledgement-trust.js';
import type { VerificationProblem } from './bundle-verifier.js';
import { summariseCoveredRecipients, toCoveredRecipients } from './covered-recipients.js';

/** The rules that make a signed acknowledgement lapse (docs/policy-rules.md section 6). */
export type LapseRule = 'M10' | 'M13' | 'M14';

/** Why an acknowledgement no longer covers its mailing. */
export interface Lapse {
  rule: LapseRule;
  /** The instant the lapse was noticed or recorded (ISO-8601). */
  at: string;
  /** For M10 the complaint rate (fraction), for M13 the notice's source and time. */
  detail: string;
}

/**
 * The facts the lapse rules need. The mailer passes what it already knows (from its `MailingFacts`);
 * whatever is absent is read from the tables (previous mailing's complaints, abuse notices). The blocklist
 * status (M14) lives nowhere in the database: it counts only when the caller passes it.
 */
export interface LapseFacts {
  previousMailing?: { complaintRate: number };
  lastAbuseNotice?: { at: string; source: AbuseNoticeSource | ComplaintSource };
  blocklisted?: boolean;
}

export interface CoverageQuery {
  mailingId: string;
  /** The policy's `recipientSetHash` of the TRANSFER_RISK recipients the mailing would include now. */
  recipientSetHash: string;
  now: Date | string;
  /**
   * The TRANSFER_RISK recipients as assessed now (an assessment's verdicts fit). When given, a signature
   * covers only if each address also has the method and reason codes it was signed with, so changed
   * evidence (a phone consent that became a paper one, a new reason) needs a new signature even when the
   * addresses, and so the recipient-set hash, stayed the same.
   */
  recipients?: readonly CoverageRecipient[];
  facts?: LapseFacts;
  config?: PolicyConfigInput;
  /**
   * Record a lapse found by the rules on the acknowledgement (with an `acknowledgement.lapsed` event), so
   * it stays lapsed when the cause goes away (a delisting) and the review shows it. Default true.
   */
  recordLapse?: boolean;
  /**
   * The key fingerprints a stored signature must verify against. Default: the installation's own key from
   * the source's secret store (an api context). With neither, no stored signature counts (UNTRUSTED).
   */
  trustedFingerprints?: readonly string[];
}

/** One TRANSFER_RISK recipient as the policy's `RecipientVerdict` describes it. */
export interface CoverageRecipient {
  email: string;
  method: ConsentMethod;
  reasons: readonly { code: ContactReasonCode }[];
}

/** A signed acknowledgement that covers a mailing's current TRANSFER_RISK recipients. */
export interface CoveringAcknowledgement {
  id: string;
  mailingId: string;
  signedAt: string;
  signerName: string;
  signerRole: string;
  legalName: string;
  recipientSetHash: string;
  recipientCount: number;
  policyVersion: string;
}

/**
 * NOT_NEEDED is for callers; this module answers MISSING (nothing signed), MISMATCH (signed for another
 * recipient set), LAPSED (the matching one lapsed), UNTRUSTED (nothing valid covers, and a stored
 * acknowledgement of the mailing fails the checks against the pinned key, its signed payload or the event
 * log: forged or edited) or VALID.
 */
export type CoverageStatus = 'MISSING' | 'MISMATCH' | 'LAPSED' | 'UNTRUSTED' | 'VALID';

/** A stored acknowledgement that does not count, and why. */
export interface UntrustedAcknowledgement {
  id: string;
  problems: VerificationProblem[];
}

export interface CoverageCheck {
  status: CoverageStatus;
  acknowledgement?: CoveringAcknowledgement;
  /** With LAPSED: which rule and why. */
  lapse?: Lapse;
  /** Stored acknowledgements of the mailing that were ignored because they fail verification. */
  untrusted?: UntrustedAcknowledgement[];
}

/** A kysely handle or transaction, or anything that carries the store (the api context, with its secrets). */
export type CoverageSource = Executor | { store: { db: Executor }; secrets?: SecretStore | undefined };

/**
 * The acknowledgement that covers a mailing's TRANSFER_RISK recipients right now, or undefined.
 * It covers only when its recipient-set hash equals `recipientSetHash` exactly (a changed set needs a new
 * signature) and, when `recipients` is given, each recipient's method and reasons are those signed for
 * (changed evidence needs one too), it was not recorded as lapsed, and none of the lapse rules triggers:
 * - M10: the sender entity's previous marketing mailing has a complaint rate at or above the M10 threshold;
 * - M13: an abuse notice (spamklacht.nl/ACM, hoster, datacenter) was received after it was signed;
 * - M14: the sending IP or domain is on a blocklist (only when `facts.blocklisted` says so).
 * Of several matching signatures, the newest valid one is returned. A lapse found by the rules is recorded
 * on the acknowledgement (see `recordLapse`): a lapsed signature never covers again.
 *
 * @example
 * const acknowledgement = await findCoveringAcknowledgement(ctx, {
 *   mailingId: mailing.id,
 *   recipientSetHash: assessment.recipientSetHash,
 *   now: ctx.clock(),
 * });
 * if (!acknowledgement) holdBack(assessment.needsAcknowledgement);
 */
export async function findCoveringAcknowledgement(
  source: CoverageSource,
  query: CoverageQuery,
): Promise<CoveringAcknowledgement | undefined> {
  const check = await checkAcknowledgementCoverage(source, query);
  return check.status === 'VALID' ? check.acknowledgement : undefined;
}

/**
 * Like {@link findCoveringAcknowledgement}, but says why nothing covers: for the UI ("signed for another
 * recipient set", "lapsed: M13 abuse notice on …") and for the review.
 *
 * @example
 * const { status, lapse } = await checkAcknowledgementCoverage(store.db, { mailingId, recipientSetHash, now });
 */
export async function checkAcknowledgementCoverage(
  source: CoverageSource,
  query: CoverageQuery,
): Promise<CoverageCheck> {
  const db = 'store' in source ? source.store.db : source;
  const secrets = 'store' in source ? source.secrets : undefined;
  const now = toIso(query.now);
  const stored = await findAcknowledgementsByMailing(db, query.mailingId);
  if (stored.length === 0) return { status: 'MISSING' };
  // Only rows that verify against the pinned key, equal their signed payload and have their signing event
  // count: a row written straight into the database file (a made-up signature, another mailing's payload,
  // an edited signer) must never let TRANSFER_RISK recipients through.
  const trustedFingerprints =
    query.trustedFingerprints ?? (secrets ? await installationKeyFingerprints(secrets) : []);
  const untrusted: UntrustedAcknowledgement[] = [];
  const rows: AcknowledgementRow[] = [];
  for (const row of stored) {
    const problems = await verifyStoredAcknowledgement(db, row, { trustedFingerprints });
    if (problems.length === 0) rows.push(row);
    else untrusted.push({ id: row.id, problems });
  }
  const check = await coverageOfTrusted(db, rows, query, now);
  if (untrusted.length === 0) return check;
  return check.status === 'VALID' ? { ...check, untrusted } : { ...check, status: 'UNTRUSTED', untrusted };
}

async function coverageOfTrusted(
  db: Executor,
  rows: readonly AcknowledgementRow[],
  query: CoverageQuery,
  now: string,
): Promise<CoverageCheck> {
  if (rows.length === 0) return { status: 'MISSING' };
  const listHash =
    query.recipients === undefined
      ? undefined
      : summariseCoveredRecipients(
          toCoveredRecipients(
            query.recipients.map((item) => ({
              email: item.email,
              method: item.method,
              reasons: item.reasons.map((reason) => reason.code),
            })),
          ),
        ).listHash;
  const matching = rows.filter(
    (row) =>
      row.recipient_set_hash === query.recipientSetHash &&
      (listHash === undefined || signedListHash(row) === listHash),
  );
  if (matching.length === 0) return { status: 'MISMATCH' };
  let firstLapse: { row: AcknowledgementRow; lapse: Lapse } | undefined;
  for (const row of matching) {
    const lapse = await findLapse(db, row, { ...query, now });
    if (!lapse) return { status: 'VALID', acknowledgement: toCovering(row) };
    if (row.lapsed_at === null && query.recordLapse !== false) {
      await markAcknowledgementLapsed(db, row.id, { at: lapse.at, reason: `${lapse.rule} ${lapse.detail}` });
    }
    firstLapse ??= { row, lapse };
  }
  // matching is non-empty and every entry lapsed, so firstLapse is set.
  return firstLapse
    ? { status: 'LAPSED', acknowledgement: toCovering(firstLapse.row), lapse: firstLapse.lapse }
    : { status: 'MISSING' };
}

/**
 * Whether one acknowledgement has lapsed (recorded, or by the rules now).
 *
 * @example
 * const lapse = await findLapse(store.db, row, { now: new Date().toISOString() });
 * if (lapse) console.log(`lapsed by ${lapse.rule}: ${lapse.detail}`);
 */
export async function findLapse(
  db: Executor,
  row: AcknowledgementRow,
  options: { now: string; facts?: LapseFacts; config?: PolicyConfigInput },
): Promise<Lapse | undefined> {
  if (row.lapsed_at !== null) {
    const [rule, ...rest] = (row.lapse_reason ?? 'M10').split(' ');
    return { rule: isLapseRule(rule) ? rule : 'M10', at: row.lapsed_at, detail: rest.join(' ') };
  }
  const config = resolvePolicyConfig(options.config);
  const facts = options.facts ?? {};

  if (facts.blocklisted === true) {
    return { rule: 'M14', at: options.now, detail: 'the sending IP address or domain is on a blocklist' };
  }

  const previous =
    facts.previousMailing ??
    (await findPreviousMarketingMailingRates(db, {
      mailingId: row.mailing_id,
      senderEntityId: row.sender_entity_id,
    }));
  if (previous && previous.complaintRate >= config.complaintRateBlocked) {
    return {
      rule: 'M10',
      at: options.now,
      detail: `complaint rate of the previous marketing mailing ${(previous.complaintRate * 100).toFixed(2)}%`,
    };
  }

  // A notice known at signing time was part of what the signer accepted; only a later one voids it.
  const signedAt = Date.parse(row.signed_at);
  const passed = facts.lastAbuseNotice;
  const notice =
    passed !== undefined
      ? Date.parse(passed.at) > signedAt
        ? { receivedAt: passed.at, source: passed.source }
        : undefined
      : await findLatestAbuseNoticeSince(db, { senderEntityId: row.sender_entity_id, since: row.signed_at });
  if (notice) {
    return {
      rule: 'M13',
      at: options.now,
      detail: `abuse notice (${notice.source}) received ${notice.receivedAt}`,
    };
  }
  return undefined;
}

function signedListHash(row: AcknowledgementRow): string | undefined {
  const document = JSON.parse(row.payload) as { recipients?: { listHash?: unknown } };
  const value = document.recipients?.listHash;
  return typeof value === 'string' ? value : undefined;
}

function toCovering(row: AcknowledgementRow): CoveringAcknowledgement {
  return {
    id: row.id,
    mailingId: row.mailing_id,
    signedAt: row.signed_at,
    signerName: row.signer_name,
    signerRole: row.signer_role,
    legalName: row.legal_name,
    recipientSetHash: row.recipient_set_hash,
    recipientCount: row.recipient_count,
    policyVersion: row.policy_version,
  };
}

function isLapseRule(value: string | undefined): value is LapseRule {
  return value === 'M10' || value === 'M13' || value === 'M14';
}

function toIso(value: Date | string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new TypeError(`Not a valid time: ${String(value)}`);
  return date.toISOString();
}
