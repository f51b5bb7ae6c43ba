// The gate every send and look passes: the mailing's facts, the assessment, and the checks that stop a send.
// Over 400 lines on purpose: one place gathers the facts and runs every check, so no send path skips one.
import { randomUUID } from 'node:crypto';
import {
  composeMessage,
  rightToObjectSentence,
  type MailSenderSettings,
  type SenderIdentity,
} from '@consent-mailer/mailer';
import {
  createMailingAssessor,
  deriveAddressKind,
  explainReason,
  type Classification,
  type Lang,
  UserError,
  type MailingAssessment,
  type MailingContext,
  type MailingFacts,
  type MailingRecipientInput,
} from '@consent-mailer/policy';
import {
  contactsWithPriorMarketing,
  findLatestAbuseNoticeSince,
  findPreviousMarketingMailingRates,
  getMailing,
  getSenderEntity,
  getSmtpProfile,
  listRecordPages,
  recordClassifications,
  saveAssessment,
  type JsonValue,
  type LoadedContactRecord,
  type MailingRow,
  type SmtpProfileRow,
} from '@consent-mailer/store';
import { describeProblems } from '../acknowledgement/acknowledgement-trust.js';
import {
  checkAcknowledgementCoverage,
  type CoverageStatus,
  type UntrustedAcknowledgement,
} from '../acknowledgement/coverage.js';
import type { ApiContext } from '../context.js';
import { withOptinUnsubscribe } from '../optin/optin-sync.js';
import {
  authenticationFacts,
  checkProfileAuthentication,
  estimateMailingDuration,
  type AuthenticationStatus,
  type SendTimeEstimate,
} from './deliverability.js';
import { senderSettings, toSenderIdentity } from './sending-profile.js';

/** Everything the gate decided, for queueing and for the user. */
export interface GateResult {
  mailing: MailingRow;
  profile: SmtpProfileRow;
  sender: SenderIdentity;
  settings: MailSenderSettings;
  assessment: MailingAssessment;
  /** The stored assessment; undefined when the gate ran for a look only (`record: false`). */
  assessmentId: string | undefined;
  /** The acknowledgement that lets TRANSFER_RISK recipients go, when one covers exactly this set. */
  acknowledgementId: string | undefined;
  /** What the stored signatures say: NOT_NEEDED when nothing needs one, else MISSING, MISMATCH, LAPSED or VALID. */
  acknowledgementStatus: CoverageStatus | 'NOT_NEEDED';
  /**
   * Stored acknowledgements of the mailing that fail verification (pinned key, signed payload, signing
   * event) and were ignored. With status UNTRUSTED, {@link assertAcknowledgementsTrusted} refuses the send.
   */
  untrustedAcknowledgements: UntrustedAcknowledgement[];
  /** Per recipient, by the verdicts' `index`: the contact, and whether it is its first marketing mailing. */
  contactIds: number[];
  firstMailing: boolean[];
  /** The recipients' addresses that are role addresses (info@, sales@), included or not. */
  roleAddresses: string[];
  /** SPF / DKIM / DMARC as rule M7 saw them: read from DNS now, the last check, or only declared. */
  authentication: AuthenticationStatus;
  /** How long sending to the included recipients takes under the limits, warm-up and provider pacing. */
  sendEstimate: SendTimeEstimate;
}

// Domains of the mailbox providers whose bulk-sender rules (M6, M7) count per provider.
const BIG_PROVIDERS: readonly (readonly string[])[] = [
  ['gmail.com', 'googlemail.com'],
  ['yahoo.com', 'yahoo.nl', 'ymail.com', 'aol.com'],
  ['outlook.com', 'hotmail.com', 'hotmail.nl', 'live.com', 'live.nl', 'msn.com'],
];

/**
 * The gate: loads the mailing's recipients as they are now, assesses them with the policy (`createMailingAssessor`, page by page),
 * lets TRANSFER_RISK recipients in only when a signed acknowledgement covers exactly this set, and stores
 * the assessment. Called right before queueing and signing, and by "assess". With `record: false` it only
 * looks: no assessment row, no classifications written, the mailing stays DRAFT. That is what a screen
 * showing the mailing uses, so opening a page (or switching its language) never writes to the ledger.
 *
 * @example
 * const gate = await runMailingGate(ctx, mailingId);
 * gate.assessment.included.length; // who will get it
 */
export async function runMailingGate(
  ctx: ApiContext,
  mailingId: string,
  options: { record?: boolean } = {},
): Promise<GateResult> {
  const db = ctx.store.db;
  const now = ctx.clock().toISOString();
  const mailing = await getMailing(db, mailingId);
  if (!mailing.smtp_profile_id) {
    throw new UserError('MAILING_NO_SMTP_PROFILE', {
      en: 'This mailing has no SMTP profile. Create the mailing again with --smtp.',
      nl: 'Deze mailing heeft geen SMTP-profiel. Maak de mailing opnieuw aan met --smtp.',
    });
  }
  const [entity, profile] = await Promise.all([
    getSenderEntity(db, mailing.sender_entity_id),
    getSmtpProfile(db, mailing.smtp_profile_id),
  ]);
  const sender = await withOptinUnsubscribe(ctx, toSenderIdentity(entity));
  const settings = await senderSettings(profile, ctx.secrets);
  const context: MailingContext = {
    id: mailing.id,
    senderEntityId: mailing.sender_entity_id,
    listId: mailing.list_id,
    content: mailing.content,
    ...(mailing.product_categories
      ? { productCategories: JSON.parse(mailing.product_categories) as string[] }
      : {}),
    promotesThirdParty: mailing.promotes_third_party === 1,
  };
  // The recipients streamed from the store to the rules a page at a time, the event loop let through
  // between pages (issue 19: the desktop main process must not stall, and 100,000 recipients' records must
  // not sit in memory together). What the send and the screens need later is kept per recipient, small.
  const assessor = createMailingAssessor({ mailing: context }, { now });
  const recipients = new RecipientTally();
  for await (const page of listRecordPages(db, {
    listId: mailing.list_id,
    senderEntityId: mailing.sender_entity_id,
  })) {
    const seen = await contactsWithPriorMarketing(db, {
      senderEntityId: mailing.sender_entity_id,
      excludeMailingId: mailing.id,
      contactIds: page.map((loaded) => loaded.contactId),
    });
    await yieldToEventLoop();
    assessor.add(recipients.add(page, seen));
  }
  // Re-checked in DNS before every assessment (falls back to the last check, then the declarations).
  const authentication = await checkProfileAuthentication(ctx, profile, settings);
  const facts = await mailingFacts(ctx, mailing, profile, sender, settings, recipients, authentication);
  let assessment = assessor.finish(undefined, facts);
  await yieldToEventLoop();
  let acknowledgementId: string | undefined;
  let acknowledgementStatus: GateResult['acknowledgementStatus'] = 'NOT_NEEDED';
  let untrusted: UntrustedAcknowledgement[] = [];
  // Not only TRANSFER_RISK recipients need a signature: a mailing made TRANSFER_RISK by a mailing-level rule
  // (M13, an abuse notice) needs one too, even with no risky recipient (docs/policy-rules.md sections 5-6).
  if (assessment.acknowledgementStatus !== 'NOT_NEEDED') {
    const coverage = await checkAcknowledgementCoverage(ctx, {
      mailingId: mailing.id,
      recipientSetHash: assessment.recipientSetHash,
      // Same addresses with changed evidence (method, reasons) need a new signature too.
      recipients: assessment.needsAcknowledgement,
      now,
      facts: {
        ...(facts.previousMailing
          ? { previousMailing: { complaintRate: facts.previousMailing.complaintRate } }
          : {}),
        ...(facts.lastAbuseNotice ? { lastAbuseNotice: facts.lastAbuseNotice } : {}),
      },
    });
    acknowledgementStatus = coverage.status;
    untrusted = coverage.untrusted ?? [];
    const covering = coverage.status === 'VALID' ? coverage.acknowledgement : undefined;
    if (covering) {
      acknowledgementId = covering.id;
      assessment = assessor.finish(
        { recipientSetHash: covering.recipientSetHash, signedAt: covering.signedAt },
        facts,
      );
    }
  }

  // A look (`record: false`) stores nothing; queueing, signing and an explicit "assess" store what they saw.
  const assessmentId = options.record === false ? undefined : randomUUID();
  if (assessmentId !== undefined)
    await recordAssessment(db, assessmentId, assessment, recipients.contactIds, now);
  await yieldToEventLoop();
  const sendEstimate = await estimateMailingDuration(
    ctx,
    profile,
    assessment.included.map((v) => v.email),
  );
  return {
    mailing,
    profile,
    sender,
    settings,
    assessment,
    assessmentId,
    acknowledgementId,
    acknowledgementStatus,
    untrustedAcknowledgements: untrusted,
    contactIds: recipients.contactIds,
    firstMailing: recipients.firstMailing,
    roleAddresses: recipients.roleAddresses,
    authentication,
    sendEstimate,
  };
}

/**
 * Lets timers and IPC run. Store queries resolve as microtasks (better-sqlite3 is synchronous), so a run of
 * awaited queries and the rules over 100,000 recipients is one stretch for the event loop unless it is cut:
 * the desktop main process must not stall for more than 100 ms (issue 19).
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Stores an assessment and the class it gave each contact (the dashboard and the contact filters read it). */
async function recordAssessment(
  db: ApiContext['store']['db'],
  assessmentId: string,
  assessment: MailingAssessment,
  contactIds: readonly number[],
  now: string,
): Promise<void> {
  await saveAssessment(
    db,
    {
      id: assessmentId,
      mailingId: assessment.mailingId,
      policyVersion: assessment.policyVersion,
      classification: assessment.classification,
      counts: toJson(assessment.counts),
      reasons: toJson(assessment.reasons),
      recipientSetHash: assessment.recipientSetHash,
      recipientCount: assessment.counts.total,
      includedCount: assessment.counts.included,
      excludedCount: assessment.counts.excluded,
      needsAcknowledgementCount: assessment.counts.needsAcknowledgement,
    },
    now,
  );
  // One item per verdict, without an intermediate array per verdict (100,000 recipients: 200,000 objects less).
  const items: { contactId: number; classification: Classification }[] = [];
  for (const verdicts of [assessment.included, assessment.excluded, assessment.needsAcknowledgement])
    for (const v of verdicts) {
      const contactId = contactIds[v.index];
      if (contactId !== undefined) items.push({ contactId, classification: v.classification });
    }
  await yieldToEventLoop();
  await recordClassifications(db, { mailingId: assessment.mailingId, at: now, items });
}

/**
 * Refuses to send when no valid acknowledgement covers the mailing and a stored one fails verification (not
 * signed with this installation's key, columns that differ from the signed payload, no signing event): the
 * database was edited outside the app, so nothing is sent, not even the recipients that need no signature,
 * until the owner has looked at it. Signing a new acknowledgement stays possible.
 *
 * @example
 * assertAcknowledgementsTrusted(gate);
 */
export function assertAcknowledgementsTrusted(
  gate: Pick<GateResult, 'mailing' | 'acknowledgementStatus' | 'untrustedAcknowledgements'>,
): void {
  if (gate.acknowledgementStatus !== 'UNTRUSTED') return;
  const mailingId = gate.mailing.id;
  const untrusted = gate.untrustedAcknowledgements;
  const list = (lang: Lang) =>
    untrusted.map((item) => `${item.id}: ${describeProblems(item.problems)[lang]}`).join(' | ');
  throw new UserError('MAILING_ACKNOWLEDGEMENT_UNTRUSTED', {
    en: `Nothing was sent: the acknowledgement stored for mailing ${mailingId} cannot be trusted, so it does not cover the recipients that need one. ${list('en')} Someone may have edited the database outside the app. Check it with "consent-mailer audit verify" and "consent-mailer acknowledgements check ID", restore a good backup if needed, then sign the acknowledgement again ("consent-mailer acknowledge ${mailingId}").`,
    nl: `Er is niets verstuurd: de verklaring die bij mailing ${mailingId} is opgeslagen is niet te vertrouwen, dus ze dekt de ontvangers niet die er een nodig hebben. ${list('nl')} Mogelijk is de database buiten de app om bewerkt. Controleer dat met "consent-mailer audit verify" en "consent-mailer acknowledgements check ID", zet zo nodig een goede back-up terug en teken de verklaring opnieuw ("consent-mailer acknowledge ${mailingId}").`,
  });
}

/**
 * Refuses a BLOCKED mailing with every blocking reason in the user's words.
 *
 * @example
 * assertNotBlocked(gate.assessment);
 */
export function assertNotBlocked(assessment: MailingAssessment): void {
  if (assessment.classification !== 'BLOCKED') return;
  const blocking = assessment.reasons.filter((r) => r.classification === 'BLOCKED');
  const list = (lang: Lang) => blocking.map((r) => `[${r.code}] ${explainReason(r, lang)}`).join(' ');
  throw new UserError('MAILING_BLOCKED', {
    en: `This mailing may not be sent, so nothing was sent: ${list('en')}`,
    nl: `Deze mailing mag niet worden verstuurd; er is niets verstuurd: ${list('nl')}`,
  });
}

/**
 * Refuses a mailing that is TRANSFER_RISK through one of its own rules (M13: a spamklacht/ACM, hoster or
 * datacenter abuse notice) while no valid signed acknowledgement covers it. Held-back TRANSFER_RISK
 * recipients (M15) do not make a mailing refuse: they are excluded and the rest goes. A mailing-level risk
 * cannot be excluded like that, so nothing may go until the sender signed (docs/policy-rules.md sections 5-6).
 *
 * @example
 * assertAcknowledgedWhenRequired(gate);
 */
export function assertAcknowledgedWhenRequired(
  gate: Pick<GateResult, 'assessment' | 'acknowledgementStatus'>,
): void {
  const { assessment } = gate;
  const mailingLevel = assessment.reasons.filter(
    (r) => r.classification === 'TRANSFER_RISK' && r.code !== 'M15',
  );
  if (mailingLevel.length === 0 || assessment.acknowledgementStatus === 'VALID') return;
  const list = (lang: Lang) => mailingLevel.map((r) => `[${r.code}] ${explainReason(r, lang)}`).join(' ');
  const lapsed = gate.acknowledgementStatus === 'LAPSED';
  throw new UserError('MAILING_ACKNOWLEDGEMENT_REQUIRED', {
    en: `This mailing may only go at your own risk, and ${lapsed ? 'the signed acknowledgement has lapsed' : 'no signed acknowledgement covers it'}, so nothing was sent: ${list('en')} Sign the risk-transfer acknowledgement for this mailing first (in the app, or "consent-mailer acknowledge ${assessment.mailingId}"), then send again.`,
    nl: `Deze mailing mag alleen op eigen risico worden verstuurd en ${lapsed ? 'de getekende verklaring is vervallen' : 'er is geen getekende verklaring voor'}; er is niets verstuurd: ${list('nl')} Teken eerst de risicoverklaring voor deze mailing (in de app, of "consent-mailer acknowledge ${assessment.mailingId}") en verstuur daarna opnieuw.`,
  });
}

/**
 * The message facts of rules M1–M7, read from a real composed sample (a first-time recipient), the
 * authentication as read from DNS (or the last check, or the owner's declarations), plus the history of rules M10–M13.
 */
async function mailingFacts(
  ctx: ApiContext,
  mailing: MailingRow,
  profile: SmtpProfileRow,
  sender: SenderIdentity,
  settings: MailSenderSettings,
  recipients: RecipientTally,
  authentication: AuthenticationStatus,
): Promise<MailingFacts> {
  const lang: Lang = mailing.lang;
  // Unsigned: only the headers and text are read here; signing is checked by the send's self-check.
  const { dkim: _signedAtSend, ...unsigned } = settings;
  const sample = composeMessage({
    sender,
    settings: unsigned,
    mailing: {
      subject: mailing.subject,
      html: mailing.body_html ?? '',
      text: mailing.body_text ?? undefined,
      lang,
      content: mailing.content,
    },
    recipient: {
      email: 'sample@example.invalid',
      merge: {},
      method: 'WEB_DOI',
      firstMailing: true,
      unsubscribeToken: 'SAMPLEtoken123',
    },
  });
  const text = typeof sample.options.text === 'string' ? sample.options.text : '';
  const headers = (sample.options.headers ?? {}) as Record<string, string>;
  const listUnsubscribe = headers['List-Unsubscribe'] ?? '';
  const has = (value: string | undefined) => Boolean(value && value.trim() !== '' && text.includes(value));

  const volume = Math.min(
    Math.max(0, ...recipients.perProvider),
    profile.max_per_day ?? Number.MAX_SAFE_INTEGER,
  );

  const previous = await findPreviousMarketingMailingRates(ctx.store.db, {
    mailingId: mailing.id,
    senderEntityId: mailing.sender_entity_id,
  });
  let previousMailing: MailingFacts['previousMailing'];
  if (previous) {
    previousMailing = {
      complaintRate: previous.complaintRate,
      // Of the messages that were attempted: accepted ones plus the ones that bounced.
      hardBounceRate:
        previous.delivered + previous.hardBounces === 0
          ? 0
          : previous.hardBounces / (previous.delivered + previous.hardBounces),
    };
  }
  const notice = await findLatestAbuseNoticeSince(ctx.store.db, {
    senderEntityId: mailing.sender_entity_id,
    since: '1970-01-01T00:00:00Z',
  });

  return {
    senderIdentityPresent: has(sender.legalName) || has(sender.tradeName),
    // A paired opt-in service run on this computer answers on http://127.0.0.1 (unsubscribeLinks allows it).
    optOutLinkPresent:
      text.includes('mailto:') ||
      text.includes('https://') ||
      (sender.unsubscribeUrl !== undefined && text.includes(sender.unsubscribeUrl)),
    rightToObjectStatementPresent: text.includes(rightToObjectSentence(lang)),
    footer: {
      postalAddress: has(sender.postalAddress),
      contactEmail: has(sender.contactEmail),
      kvkNumber: has(sender.kvkNumber),
    },
    listUnsubscribe: {
      mailto: listUnsubscribe.includes('<mailto:'),
      https: listUnsubscribe.includes('<https:'),
      oneClick: headers['List-Unsubscribe-Post'] === 'List-Unsubscribe=One-Click',
    },
    authentication: authenticationFacts(authentication),
    expectedDailyVolumeToBigProvider: volume,
    ...(previousMailing ? { previousMailing } : {}),
    ...(notice ? { lastAbuseNotice: { at: notice.receivedAt, source: notice.source } } : {}),
  };
}

function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

// Each address's mailbox provider, for the bulk-sender rules' volume per provider (M6, M7).
const PROVIDER_OF = new Map<string, number>(
  BIG_PROVIDERS.flatMap((domains, provider) => domains.map((domain) => [domain, provider] as const)),
);

/**
 * What the gate keeps of each recipient once its record has been classified: its contact id and whether
 * this is its first marketing mailing (by the verdicts' `index`), the role addresses, and the count per
 * big mailbox provider. A few bytes per recipient instead of its whole record.
 */
class RecipientTally {
  readonly contactIds: number[] = [];
  readonly firstMailing: boolean[] = [];
  readonly roleAddresses: string[] = [];
  readonly perProvider = BIG_PROVIDERS.map(() => 0);

  /** Notes a page of loaded records and returns it as the rules take it. */
  add(page: readonly LoadedContactRecord[], priorMarketing: ReadonlySet<number>): MailingRecipientInput[] {
    const input: MailingRecipientInput[] = [];
    for (const { contactId, record } of page) {
      const first = !priorMarketing.has(contactId);
      this.contactIds.push(contactId);
      this.firstMailing.push(first);
      const email = record.email;
      if ((record.addressKind ?? deriveAddressKind(email)) === 'ROLE') this.roleAddresses.push(email);
      const provider = PROVIDER_OF.get(email.slice(email.lastIndexOf('@') + 1).toLowerCase());
      if (provider !== undefined) this.perProvider[provider] = (this.perProvider[provider] ?? 0) + 1;
      input.push({ contact: record, firstMarketingMailing: first });
    }
    return input;
  }
}
