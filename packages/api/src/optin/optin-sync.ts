import { randomUUID } from 'node:crypto';
import type { SenderIdentity } from '@consent-mailer/mailer';
import { isUserError, UserError } from '@consent-mailer/policy';
import {
  countOptinEvents,
  getPairedOptinService,
  listOptinEvents,
  notPaired,
  pairOptinService,
  recordOptinFeed,
  recordOptinPullFailure,
  unpairOptinService,
  type OptinFeedResult,
  type OptinServiceRow,
} from '@consent-mailer/store';
import type { ApiContext } from '../context.js';
import { fetchOptinEvents, fetchOptinKey, OPTIN_PAGE_SIZE, optinServiceUrl } from './optin-client.js';

/** The secret-store key of the feed token; the CLI reads CONSENT_MAILER_SECRET_OPTIN_FEED_TOKEN. */
export const OPTIN_TOKEN_KEY = 'optin:feed-token';

/** Sending stops when the last successful pull of unsubscribes is older than this. */
export const OPTIN_MAX_PULL_AGE_MS = 24 * 3_600_000;

/** Pages pulled in one go at most (500 events each); the rest comes with the next pull. */
const MAX_PAGES = 40;

/** The pairing as clients see it: never the token. */
export interface OptinServiceView {
  id: string;
  url: string;
  keyFingerprint: string;
  senderEntityId: string;
  pairedAt: string;
  lastPulledSeq: number;
  lastPullAt: string | null;
  lastPullOkAt: string | null;
  lastPullError: string | null;
  /** True when the last good pull is older than 24 hours (or there was none): sending is refused. */
  stale: boolean;
}

function isStale(row: OptinServiceRow, now: Date): boolean {
  if (row.last_pull_ok_at === null) return true;
  return now.getTime() - Date.parse(row.last_pull_ok_at) > OPTIN_MAX_PULL_AGE_MS;
}

export function optinServiceView(row: OptinServiceRow, now: Date): OptinServiceView {
  return {
    id: row.id,
    url: row.url,
    keyFingerprint: row.key_fingerprint,
    senderEntityId: row.sender_entity_id,
    pairedAt: row.paired_at,
    lastPulledSeq: row.last_pulled_seq,
    lastPullAt: row.last_pull_at,
    lastPullOkAt: row.last_pull_ok_at,
    lastPullError: row.last_pull_error,
    stale: isStale(row, now),
  };
}

/**
 * Pairs with the service at `url`: fetches and pins its key, checks that the feed token opens the feed,
 * keeps the token in the secret store (never the database), and pulls what is waiting.
 *
 * @example
 * await pairOptin(ctx, { url: 'https://optin.shop.nl', token, senderEntityId: 'bakkerij' });
 */
export async function pairOptin(
  ctx: ApiContext,
  input: { url: string; token: string; senderEntityId: string },
): Promise<{
  service: OptinServiceView;
  pulled: OptinFeedResult | null;
  pullError: { code: string; en: string; nl: string } | null;
}> {
  const url = optinServiceUrl(input.url);
  const publicKey = await fetchOptinKey(url);
  // The token must open the feed before anything is stored (limit 0: nothing is read).
  await fetchOptinEvents(url, input.token, 0, 0);
  const row = await pairOptinService(ctx.store.db, {
    id: randomUUID(),
    url,
    publicKey,
    senderEntityId: input.senderEntityId,
    tokenRef: OPTIN_TOKEN_KEY,
    at: ctx.clock().toISOString(),
  });
  await ctx.secrets.set(row.token_ref, input.token);
  let pulled: OptinFeedResult | null = null;
  let pullError: { code: string; en: string; nl: string } | null = null;
  try {
    pulled = await pullOptin(ctx);
  } catch (error) {
    // Paired all the same: the owner sees why the first pull failed and pulls again once it is fixed.
    if (!isUserError(error)) throw error;
    pullError = { code: error.code, ...error.text };
  }
  const fresh = (await getPairedOptinService(ctx.store.db)) ?? row;
  return { service: optinServiceView(fresh, ctx.clock()), pulled, pullError };
}

/** Ends the pairing and forgets the token; what was pulled stays. */
export async function unpairOptin(ctx: ApiContext): Promise<OptinServiceView> {
  const row = await unpairOptinService(ctx.store.db, ctx.clock().toISOString());
  await ctx.secrets.delete(row.token_ref);
  return optinServiceView(row, ctx.clock());
}

/** The feed token from the secret store. @throws {UserError} OPTIN_TOKEN_MISSING */
export async function feedToken(ctx: ApiContext, row: OptinServiceRow): Promise<string> {
  const token = await ctx.secrets.get(row.token_ref);
  if (!token) {
    throw new UserError('OPTIN_TOKEN_MISSING', {
      en: `The feed token of the opt-in service ${row.url} is not available. In the app, pair again; on the command line, set CONSENT_MAILER_SECRET_OPTIN_FEED_TOKEN.`,
      nl: `Het feedtoken van de opt-in-service ${row.url} is niet beschikbaar. Koppel in de app opnieuw; zet op de opdrachtregel CONSENT_MAILER_SECRET_OPTIN_FEED_TOKEN.`,
    });
  }
  return token;
}

/**
 * Pulls the feed page by page into the store (each page verified and recorded in one transaction).
 * Returns null when this installation is not paired. A failure is noted on the pairing and thrown.
 *
 * @example
 * const result = await pullOptin(ctx); // { recorded: 3, confirmed: 1, suppressed: 1, … }
 */
export async function pullOptin(ctx: ApiContext): Promise<OptinFeedResult | null> {
  const db = ctx.store.db;
  let row = await getPairedOptinService(db);
  if (row === undefined) return null;
  const total: OptinFeedResult = {
    recorded: 0,
    duplicates: 0,
    confirmed: 0,
    suppressed: 0,
    pending: 0,
    lastSeq: row.last_pulled_seq,
  };
  try {
    const token = await feedToken(ctx, row);
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const events = await fetchOptinEvents(row.url, token, row.last_pulled_seq);
      const result = await recordOptinFeed(db, {
        serviceId: row.id,
        events,
        at: ctx.clock().toISOString(),
      });
      total.recorded += result.recorded;
      total.duplicates += result.duplicates;
      total.confirmed += result.confirmed;
      total.suppressed += result.suppressed;
      total.pending += result.pending;
      total.lastSeq = result.lastSeq;
      if (events.length < OPTIN_PAGE_SIZE || result.recorded === 0) break;
      row = (await getPairedOptinService(db)) ?? row;
    }
    return total;
  } catch (error) {
    const text = isUserError(error) ? `${error.code}: ${error.text.en}` : String(error);
    await recordOptinPullFailure(db, row.id, text, ctx.clock().toISOString());
    throw error;
  }
}

/** The pairing, counts of what arrived and the latest events (sign-ups as they arrive). */
export async function optinStatus(ctx: ApiContext, limit = 20) {
  const row = await getPairedOptinService(ctx.store.db);
  if (row === undefined) return { paired: false as const };
  const counts = await countOptinEvents(ctx.store.db, row.id);
  const latest = await listOptinEvents(ctx.store.db, { serviceId: row.id, limit });
  return {
    paired: true as const,
    service: optinServiceView(row, ctx.clock()),
    counts,
    latest: latest.map((event) => {
      const data = JSON.parse(event.data) as Record<string, unknown>;
      return {
        seq: event.seq,
        type: event.type,
        at: event.at,
        outcome: event.outcome,
        contactId: event.contact_id,
        email: typeof data.email === 'string' ? data.email : null,
        lists: Array.isArray(data.lists) ? (data.lists as unknown[]).map(String) : [],
      };
    }),
  };
}

/** The refusal when unsubscribes have not been pulled for too long. */
export function optinStaleError(row: OptinServiceRow): UserError {
  const since = row.last_pull_ok_at ?? 'never';
  const last = row.last_pull_error ? ` Last error: ${row.last_pull_error}` : '';
  const lastNl = row.last_pull_error ? ` Laatste fout: ${row.last_pull_error}` : '';
  return new UserError('OPTIN_PULL_STALE', {
    en: `Sending is refused: the unsubscribes of the opt-in service ${row.url} were last pulled ${since}, more than 24 hours ago, so someone who unsubscribed could still get this mail.${last} Make the service reachable and run "optin pull", then resume the mailing.`,
    nl: `Versturen geweigerd: de afmeldingen van de opt-in-service ${row.url} zijn voor het laatst opgehaald op ${since}, meer dan 24 uur geleden, dus iemand die zich afmeldde kan deze mail nog krijgen.${lastNl} Maak de service bereikbaar en gebruik "optin pull", en hervat dan de mailing.`,
  });
}

/**
 * The check before sending (and before every batch): pulls from the paired service; when that fails and
 * the last good pull is older than 24 hours, returns the refusal. Unpaired installations always pass.
 *
 * @example
 * const refusal = await optinSendGate(ctx); if (refusal) throw refusal;
 */
export async function optinSendGate(ctx: ApiContext): Promise<UserError | undefined> {
  const before = await getPairedOptinService(ctx.store.db);
  if (before === undefined) return undefined;
  try {
    await pullOptin(ctx);
  } catch {
    // Noted on the pairing; sending goes on only while the last good pull is recent enough.
  }
  const row = (await getPairedOptinService(ctx.store.db)) ?? before;
  return isStale(row, ctx.clock()) ? optinStaleError(row) : undefined;
}

/**
 * The sender identity with the unsubscribe page of the paired service (its `/unsubscribe?token=`, which
 * answers RFC 8058 one-click and reports the token in its feed); unchanged when not paired.
 */
export async function withOptinUnsubscribe(ctx: ApiContext, sender: SenderIdentity): Promise<SenderIdentity> {
  const row = await getPairedOptinService(ctx.store.db);
  if (row === undefined) return sender;
  return { ...sender, unsubscribeUrl: `${row.url}/unsubscribe` };
}

export { notPaired };
