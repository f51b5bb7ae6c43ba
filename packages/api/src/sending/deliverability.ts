// A profile's deliverability: SPF/DKIM/DMARC status (read from DNS, cached or declared), pacing and the
// send-time estimate, with the views the screens show. Just over 400 lines: one concept, views beside values.
import {
  DomainPacer,
  checkDomainAuthentication,
  composeMessage,
  estimateSendDuration,
  recipientDomain,
  selfCheckDkim,
  validateDkimPrivateKey,
  warmupDailyLimit,
  type AuthenticationReport,
  type ComposedMessage,
  type MailSenderSettings,
  type MailingContentInput,
  type RateLimits,
  type SendEstimate,
  type SenderIdentity,
} from '@consent-mailer/mailer';
import { isUserError, type MailingFacts, type Lang } from '@consent-mailer/policy';
import {
  firstSendAt,
  getAuthenticationCheck,
  listDomainPacing,
  recentSends,
  saveAuthenticationCheck,
  type JsonValue,
  type SmtpProfileRow,
} from '@consent-mailer/store';
import type { ApiContext } from '../context.js';

/** Where the M7 facts came from, for the settings screen and the assessment. */
export interface AuthenticationStatus {
  source: 'DNS' | 'CACHED' | 'DECLARED';
  /** When DNS was read (DNS, CACHED). */
  checkedAt: string | null;
  spfPass: boolean;
  dkimPass: boolean;
  dmarcPresent: boolean;
  aligned: boolean;
  /** The full DNS report with the records to publish (DNS, CACHED); null when only declared. */
  report: AuthenticationReport | null;
  /** What the owner declared (`--spf`, `--dmarc`): the fallback, "declared, not checked". */
  declared: { spf: boolean; dmarc: boolean };
}

/**
 * Reads SPF, DKIM and DMARC for a profile from DNS now and keeps the result (with its time). When DNS
 * cannot be read, the last check stands in (CACHED); without one, the owner's declarations (DECLARED,
 * "declared, not checked"). Called before every assessment and by the SMTP settings.
 *
 * @example
 * const status = await checkProfileAuthentication(ctx, profile, settings);
 * status.source; // 'DNS'
 */
export async function checkProfileAuthentication(
  ctx: ApiContext,
  profile: SmtpProfileRow,
  settings: MailSenderSettings,
): Promise<AuthenticationStatus> {
  const declared = { spf: profile.spf_declared === 1, dmarc: profile.dmarc_declared === 1 };
  const dkim = usableDkim(settings);
  const report = await checkDomainAuthentication({
    fromAddress: settings.fromAddress,
    smtpHost: profile.host,
    dkim,
    resolver: ctx.sending.resolver,
    now: ctx.clock(),
  });
  if (!report.dnsUnavailable) {
    const status = fromReport('DNS', report, declared);
    await saveAuthenticationCheck(ctx.store.db, {
      smtpProfileId: profile.id,
      checkedAt: report.checkedAt,
      spfPass: status.spfPass,
      dkimPass: status.dkimPass,
      dmarcPresent: status.dmarcPresent,
      aligned: status.aligned,
      report: JSON.parse(JSON.stringify(report)) as JsonValue,
    });
    return status;
  }
  const cached = await cachedProfileAuthentication(ctx, profile);
  if (cached) return cached;
  return declaredStatus(declared, dkim !== undefined, settings);
}

/**
 * The last stored DNS check of a profile (labelled CACHED), without asking DNS.
 *
 * @example
 * const last = await cachedProfileAuthentication(ctx, profile);
 */
export async function cachedProfileAuthentication(
  ctx: ApiContext,
  profile: SmtpProfileRow,
): Promise<AuthenticationStatus | undefined> {
  const row = await getAuthenticationCheck(ctx.store.db, profile.id);
  if (!row) return undefined;
  const report = JSON.parse(row.report) as AuthenticationReport;
  return fromReport('CACHED', report, {
    spf: profile.spf_declared === 1,
    dmarc: profile.dmarc_declared === 1,
  });
}

/** The M7 facts of an authentication status. */
export function authenticationFacts(status: AuthenticationStatus): MailingFacts['authentication'] {
  return {
    spfPass: status.spfPass,
    dkimPass: status.dkimPass,
    dmarcPresent: status.dmarcPresent,
    aligned: status.aligned,
    source: status.source,
    ...(status.checkedAt ? { checkedAt: status.checkedAt } : {}),
  };
}

function fromReport(
  source: 'DNS' | 'CACHED',
  report: AuthenticationReport,
  declared: { spf: boolean; dmarc: boolean },
): AuthenticationStatus {
  return {
    source,
    checkedAt: report.checkedAt,
    spfPass: report.spf.ok,
    dkimPass: report.dkim.ok,
    dmarcPresent: report.dmarc.found !== undefined,
    aligned: report.aligned,
    report,
    declared,
  };
}

function declaredStatus(
  declared: { spf: boolean; dmarc: boolean },
  dkimUsable: boolean,
  settings: MailSenderSettings,
): AuthenticationStatus {
  const fromDomain = recipientDomain(settings.fromAddress);
  const dkimAligned = dkimUsable && settings.dkim?.domainName.toLowerCase() === fromDomain;
  return {
    source: 'DECLARED',
    checkedAt: null,
    spfPass: declared.spf,
    // Declared mode: DKIM counts when a valid key is configured (the send's self-check signs with it).
    dkimPass: dkimUsable,
    dmarcPresent: declared.dmarc,
    aligned: dkimAligned || declared.spf,
    report: null,
    declared,
  };
}

/** The profile's DKIM settings when the key is usable; a broken key counts as no DKIM here (M7). */
function usableDkim(settings: MailSenderSettings): MailSenderSettings['dkim'] {
  if (!settings.dkim) return undefined;
  try {
    validateDkimPrivateKey(settings.dkim.privateKey);
    return settings.dkim;
  } catch (error) {
    if (isUserError(error)) return undefined;
    throw error;
  }
}

/** A sample message of a mailing (first-time recipient), unsigned, for checks and the self-test. */
export function sampleMessage(
  sender: SenderIdentity,
  settings: MailSenderSettings,
  mailing: MailingContentInput,
  recipient = 'sample@example.invalid',
): ComposedMessage {
  const { dkim: _signedLater, ...unsigned } = settings;
  return composeMessage({
    sender,
    settings: unsigned,
    mailing,
    recipient: {
      email: recipient,
      merge: {},
      method: 'WEB_DOI',
      firstMailing: true,
      unsubscribeToken: 'SAMPLEtoken123',
    },
  });
}

/**
 * Before the first batch of every send: sign one message of this mailing and verify it as a receiver
 * would. A key that cannot sign throws a UserError, so nothing is queued or sent.
 *
 * @example
 * await assertDkimSigns(sender, settings, content);
 */
export async function assertDkimSigns(
  sender: SenderIdentity,
  settings: MailSenderSettings,
  mailing: MailingContentInput,
): Promise<{ algorithm: string; bits: number; signedHeaders: string[] } | undefined> {
  if (!settings.dkim) return undefined;
  return selfCheckDkim(sampleMessage(sender, settings, mailing), settings.dkim);
}

/**
 * The outbox's pacing for a profile: the provider defaults with the profile's per-domain overrides, the
 * counts seeded from the deliveries of the last 24 hours (kept across restarts in the delivery table).
 *
 * @example
 * const pacer = await domainPacerFor(ctx, profile);
 */
export async function domainPacerFor(ctx: ApiContext, profile: SmtpProfileRow): Promise<DomainPacer> {
  const overrides: Record<string, RateLimits> = {};
  for (const row of await listDomainPacing(ctx.store.db, profile.id)) {
    overrides[row.domain] = {
      ...(row.per_minute !== null ? { perMinute: row.per_minute } : {}),
      ...(row.per_hour !== null ? { perHour: row.per_hour } : {}),
      ...(row.per_day !== null ? { perDay: row.per_day } : {}),
    };
  }
  const pacer = new DomainPacer({ overrides });
  // The windows start from what this profile already handed over in the last day, so a restart (or the
  // next mailing) does not begin each provider's count at zero.
  const since = new Date(ctx.clock().getTime() - 86_400_000).toISOString();
  for (const sent of await recentSends(ctx.store.db, profile.id, since))
    if (sent.email) pacer.record(sent.email, Date.parse(sent.sentAt));
  return pacer;
}

/** The profile's limits with today's warm-up limit folded into the day limit, and that warm-up limit. */
export async function sendingLimits(
  ctx: ApiContext,
  profile: SmtpProfileRow,
): Promise<{ limits: RateLimits; warmup: { day: number; perDay: number } | null }> {
  const base: RateLimits = {
    ...(profile.max_per_minute ? { perMinute: profile.max_per_minute } : {}),
    ...(profile.max_per_hour ? { perHour: profile.max_per_hour } : {}),
    ...(profile.max_per_day ? { perDay: profile.max_per_day } : {}),
  };
  if (profile.sending_history === 'ESTABLISHED') return { limits: base, warmup: null };
  const first = await firstSendAt(ctx.store.db, profile.id);
  const now = ctx.clock();
  const perDay = warmupDailyLimit(first, now);
  if (perDay === undefined) return { limits: base, warmup: null };
  const day = first === undefined ? 1 : Math.floor((now.getTime() - Date.parse(first)) / 86_400_000) + 1;
  return {
    limits: { ...base, perDay: Math.min(base.perDay ?? Number.MAX_SAFE_INTEGER, perDay) },
    warmup: { day, perDay },
  };
}

/** How long a mailing to these addresses takes under the profile's limits, warm-up and provider pacing. */
export interface SendTimeEstimate extends SendEstimate {
  recipients: number;
  warmup: { day: number; perDay: number } | null;
}

/**
 * Estimates the send time of a mailing for the assessment.
 *
 * @example
 * const estimate = await estimateMailingDuration(ctx, profile, gate.assessment.included.map((v) => v.email));
 */
export async function estimateMailingDuration(
  ctx: ApiContext,
  profile: SmtpProfileRow,
  addresses: readonly string[],
): Promise<SendTimeEstimate> {
  const byDomain = new Map<string, number>();
  for (const address of addresses) {
    const domain = recipientDomain(address);
    byDomain.set(domain, (byDomain.get(domain) ?? 0) + 1);
  }
  const [{ limits, warmup }, pacer] = await Promise.all([
    sendingLimits(ctx, profile),
    domainPacerFor(ctx, profile),
  ]);
  const estimate = estimateSendDuration({
    recipientsByDomain: byDomain,
    profileLimits: limits,
    pacer,
    connections: profile.connections,
  });
  return { ...estimate, recipients: addresses.length, warmup };
}

/** An authentication status as clients show it, with a one-line summary in the user's language. */
export interface AuthenticationView {
  source: AuthenticationStatus['source'];
  /** "checked in DNS", "last DNS check" or "declared, not checked", in the user's language. */
  label: string;
  checkedAt: string | null;
  spfPass: boolean;
  dkimPass: boolean;
  dmarcPresent: boolean;
  aligned: boolean;
  declared: { spf: boolean; dmarc: boolean };
  /** Per check: the verdict, the record found and the exact record to publish when something is missing. */
  checks: {
    check: 'SPF' | 'DKIM' | 'DMARC';
    ok: boolean;
    result: string;
    text: string;
    found: string | null;
    publish: { name: string; type: 'TXT'; value: string } | null;
  }[];
}

const SOURCE_LABELS = {
  DNS: { en: 'checked in DNS', nl: 'gecontroleerd in de DNS' },
  CACHED: {
    en: 'last DNS check (DNS could not be reached now)',
    nl: 'laatste DNS-controle (de DNS was nu niet bereikbaar)',
  },
  DECLARED: { en: 'declared, not checked', nl: 'opgegeven, niet gecontroleerd' },
} as const;

/**
 * The client view of an authentication status.
 *
 * @example
 * authenticationView(status, 'nl').label; // 'gecontroleerd in de DNS'
 */
export function authenticationView(status: AuthenticationStatus, lang: Lang): AuthenticationView {
  const report = status.report;
  const checks: AuthenticationView['checks'] = report
    ? [report.spf, report.dkim, report.dmarc].map((v) => ({
        check: v.check,
        ok: v.ok,
        result: v.result,
        text: v[lang],
        found: v.found ?? null,
        publish: v.publish ?? null,
      }))
    : [];
  return {
    source: status.source,
    label: SOURCE_LABELS[status.source][lang],
    checkedAt: status.checkedAt,
    spfPass: status.spfPass,
    dkimPass: status.dkimPass,
    dmarcPresent: status.dmarcPresent,
    aligned: status.aligned,
    declared: status.declared,
    checks,
  };
}

/** A send-time estimate as clients show it. */
export interface SendEstimateView {
  recipients: number;
  totalMs: number;
  limitedBy: SendEstimate['limitedBy'];
  warmup: { day: number; perDay: number } | null;
  text: string;
}

/**
 * The client view of a send-time estimate, with a sentence in the user's language.
 *
 * @example
 * sendEstimateView(estimate, 'en').text; // 'Sending to 3,100 recipients takes about 1 h (gmail limits the pace).'
 */
export function sendEstimateView(estimate: SendTimeEstimate, lang: Lang): SendEstimateView {
  const count = estimate.recipients.toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB');
  const duration = formatDuration(estimate.totalMs, lang);
  const why =
    estimate.limitedBy.kind === 'PROVIDER'
      ? lang === 'en'
        ? `${estimate.limitedBy.group ?? '?'} limits the pace`
        : `${estimate.limitedBy.group ?? '?'} bepaalt het tempo`
      : estimate.limitedBy.kind === 'PROFILE_LIMIT'
        ? estimate.warmup
          ? lang === 'en'
            ? `warm-up day ${estimate.warmup.day}: at most ${estimate.warmup.perDay} messages a day`
            : `opwarmdag ${estimate.warmup.day}: hoogstens ${estimate.warmup.perDay} berichten per dag`
          : lang === 'en'
            ? 'the limits of your SMTP profile set the pace'
            : 'de limieten van je SMTP-profiel bepalen het tempo'
        : lang === 'en'
          ? 'as fast as the server takes them'
          : 'zo snel als de server ze aanneemt';
  return {
    recipients: estimate.recipients,
    totalMs: estimate.totalMs,
    limitedBy: estimate.limitedBy,
    warmup: estimate.warmup,
    text:
      lang === 'en'
        ? `Sending to ${count} recipients takes about ${duration} (${why}).`
        : `Versturen naar ${count} ontvangers duurt ongeveer ${duration} (${why}).`,
  };
}

function formatDuration(ms: number, lang: Lang): string {
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 2) return lang === 'en' ? 'a minute' : 'een minuut';
  if (minutes < 120) return lang === 'en' ? `${minutes} minutes` : `${minutes} minuten`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return lang === 'en' ? `${hours} hours` : `${hours} uur`;
  const days = Math.ceil(hours / 24);
  return lang === 'en' ? `${days} days` : `${days} dagen`;
}
