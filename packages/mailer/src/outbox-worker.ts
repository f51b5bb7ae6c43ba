// The outbox worker: hands queued deliveries to SMTP and records what came back. Over 400 lines because
// runOutbox is one loop whose hand-over window, rate and domain pacing, pause/cancel checks and reply commits
// share the in-flight state; split apart, each piece would need that state passed back and forth, and the
// crash guarantees (README) are easiest to check where the whole order is in view.
import { isUserError } from '@consent-mailer/policy';
import type { SendMailOptions } from 'nodemailer';
import type { DomainPacer } from './domain-pacing.js';
import type { ComposedMessage } from './message-composer.js';
import type { DeliveryResult, OutboxDelivery, OutboxStore } from './outbox-store.js';
import { SendRateLimiter, type RateLimits } from './rate-limiter.js';
import { classifySendError, enhancedStatus } from './send-outcome.js';

/** The part of a nodemailer transporter the worker uses (a pool in production). */
export interface MailTransport {
  sendMail(options: SendMailOptions): Promise<{ response?: string; messageId?: string }>;
}

/** Progress of one run, reported after every message. */
export interface OutboxProgress {
  sent: number;
  deferred: number;
  bounced: number;
  failed: number;
  suppressed: number;
  /** All deliveries of the mailing that reached a final state, including earlier runs. */
  done: number;
  total: number;
}

/** Why a run ended. */
export type OutboxStopReason =
  | 'FINISHED'
  | 'PAUSED'
  | 'CANCELLED'
  | 'ABORTED'
  | 'AUTH_FAILED'
  | 'WAITING'
  /** Receiving servers refused the sender (SPF/DKIM/DMARC, IP blocklist) often enough to pause. */
  | 'SENDER_REFUSED'
  /** The DKIM key could not sign a message: nothing more is sent unsigned; the mailing stops. */
  | 'DKIM_FAILED'
  /** The host's check before a batch refused to go on (`beforeBatch`): the mailing waits paused. */
  | 'GATE_REFUSED';

export interface OutboxRunResult extends OutboxProgress {
  stoppedBecause: OutboxStopReason;
  /** For AUTH_FAILED: the server's reply. */
  error?: { code: string; message: string };
  /** For WAITING: when the next deferred attempt is due. */
  nextAttemptAt?: string;
}

export interface OutboxWorkerOptions {
  store: OutboxStore;
  transport: MailTransport;
  mailingId: string;
  /** Identifies this run in `claimed_by`, so recovery knows whose claims are orphaned. */
  workerId: string;
  /** Builds the message for one delivery (`composeMessage`, or `composeSignedMessage` to sign with DKIM). */
  compose: (delivery: OutboxDelivery) => ComposedMessage | Promise<ComposedMessage>;
  /** The SMTP profile's parallel connections: the worker keeps four times as many messages in flight. */
  connections: number;
  limits?: RateLimits;
  /**
   * Per-recipient-domain pacing: each provider has its own limits, a 4.7.x deferral slows that provider
   * only, and messages to other domains keep going meanwhile.
   */
  domainPacing?: DomainPacer;
  /**
   * Runs at every batch boundary before the claim (the api pulls the opt-in service's unsubscribes here).
   * An error it returns stops the run as GATE_REFUSED and pauses the mailing with that error.
   */
  beforeBatch?: () => Promise<{ code: string; message: string } | undefined>;
  /** Deliveries claimed per batch; suppressions and pause/cancel are re-read before each. Default 100. */
  batchSize?: number;
  /** Backoff after the 1st, 2nd … temporary failure; after the last one the delivery fails. */
  retryDelaysMs?: readonly number[];
  /**
   * Wait for deferred deliveries up to this long within one run; later ones end the run as WAITING
   * (a later `send`/`resume` picks them up). Default 10 minutes.
   */
  maxWaitMs?: number;
  clock?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  onProgress?: (progress: OutboxProgress) => void;
  /**
   * Pause the mailing when receiving servers refuse the sender this often in one run: at least `count`
   * refusals that are at least `share` of the run's answered deliveries. Default 5 and 0.1: a broken DKIM
   * key or a blocklisted IP shows in the first batch, and mailing on only burns reputation.
   */
  senderRefusedPause?: { count: number; share: number };
}

/** How often a rate-limit wait looks at pause and cancel. */
const CONTROL_POLL_MS = 250;

/** 1 min, 5 min, 15 min, 1 h, 4 h: roughly what MTAs do, well inside a day. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [60_000, 300_000, 900_000, 3_600_000, 14_400_000];

/**
 * Sends a mailing's queued deliveries: claims batches atomically, keeps `4 × connections` messages in
 * flight through the pool, stays within the profile's limits, records every reply, retries temporary
 * failures with backoff, suppresses hard bounces, and stops the mailing on a refused password. Re-reads
 * pause/cancel before every hand-over to SMTP and during rate-limit waits, suppressions before every batch. Safe
 * to kill at any moment (see README).
 *
 * @example
 * const result = await runOutbox({ store, transport: createSmtpPool(settings, password), mailingId,
 *   workerId: randomUUID(), compose: (d) => composeMessage({ sender, settings: from, mailing, recipient: d.recipient }),
 *   connections: settings.connections });
 * result.stoppedBecause; // 'FINISHED'
 */
export async function runOutbox(options: OutboxWorkerOptions): Promise<OutboxRunResult> {
  const { store, transport, mailingId, workerId, compose, signal } = options;
  const clock = options.clock ?? (() => new Date());
  const sleep = options.sleep ?? abortableSleep;
  const batchSize = options.batchSize ?? 100;
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const maxWaitMs = options.maxWaitMs ?? 600_000;
  // Four messages per connection in flight, refilled in groups of two per connection: each hand-over
  // commit covers several messages (the commit, not the row, is what costs), and while one group is being
  // committed every connection still has two messages queued, so it never waits for the database.
  const window = Math.max(1, options.connections * 4);
  const groupSize = Math.max(1, options.connections * 2);
  // Replies per commit: each reply commit (with its chain event) has a fixed cost, so at least 64 share one;
  // the 100 ms timer below still bounds how long a reply waits. 16 per commit cost a fifth of the throughput.
  const replyGroup = Math.max(window, 64);

  const since = new Date(clock().getTime() - 86_400_000).toISOString();
  const limiter = new SendRateLimiter(
    options.limits ?? {},
    options.limits && hasLimit(options.limits)
      ? (await store.recentSendTimes(mailingId, since)).map((at) => Date.parse(at))
      : [],
  );

  const pacer = options.domainPacing;
  const counts = { sent: 0, deferred: 0, bounced: 0, failed: 0, suppressed: 0 };
  const refusalLimit = options.senderRefusedPause ?? { count: 5, share: 0.1 };
  let senderRefused = 0;
  let base = await store.progress(mailingId);
  let doneThisRun = 0;
  const report = () => options.onProgress?.({ ...counts, done: base.done + doneThisRun, total: base.total });

  const inFlight = new Set<Promise<void>>();
  let queue: OutboxDelivery[] = [];
  let stopped:
    | { reason: OutboxStopReason; error?: { code: string; message: string }; nextAttemptAt?: string }
    | undefined;
  const storeFailed = (error: unknown) => {
    // A store error (disk full) must not be lost: stop the run and surface it.
    if (!stopped || stopped.reason !== 'ABORTED')
      stopped = { reason: 'ABORTED', error: { code: 'OUTBOX_STORE_ERROR', message: String(error) } };
  };

  // Replies are written in groups (one transaction per group): until a group is committed its deliveries
  // count as handed over, so a crash in between leaves them UNCERTAIN, never queued a second time.
  const pending: { id: number; result: DeliveryResult }[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): Promise<void> => {
    if (flushTimer !== undefined) {
      clearTimeout(flushTimer);
      flushTimer = undefined;
    }
    if (pending.length === 0) return flushing;
    const items = pending.splice(0);
    flushing = flushing
      .then(() => store.recordResults(items, clock().toISOString()))
      .then(() => {
        for (const item of items) if (item.result.kind !== 'DEFERRED') doneThisRun++;
        report();
      })
      .catch(storeFailed);
    return flushing;
  };
  const addResult = (id: number, result: DeliveryResult) => {
    pending.push({ id, result });
    if (result.kind === 'SENT') counts.sent++;
    else if (result.kind === 'DEFERRED') counts.deferred++;
    else if (result.kind === 'HARD_BOUNCE') counts.bounced++;
    else counts.failed++;
    // Bounded both ways: at most one reply group or 100 ms wait for their commit.
    if (pending.length >= replyGroup) void flush();
    else flushTimer ??= setTimeout(() => void flush(), 100);
  };

  const send = async (delivery: OutboxDelivery, composed: ComposedMessage): Promise<void> => {
    let result: DeliveryResult;
    try {
      const info = await transport.sendMail(composed.options);
      result = { kind: 'SENT', reply: info.response ?? '250', code: replyCode(info.response) };
      pacer?.accepted(delivery.recipient.email);
    } catch (error) {
      const outcome = classifySendError(error);
      const code = replyCode(outcome.reply);
      // 4.7.x: the provider throttles this sender (rate or reputation): slow that provider down only.
      if (outcome.kind === 'RETRY' && enhancedStatus(outcome.reply)?.startsWith('4.7.'))
        pacer?.deferred(delivery.recipient.email, clock().getTime());
      if (outcome.kind === 'AUTH_FAILED') {
        // Nothing was sent: back to the queue, and the whole mailing stops until the password is fixed.
        await store.release([delivery.id]);
        if (!stopped) {
          stopped = {
            reason: 'AUTH_FAILED',
            error: {
              code: 'SMTP_AUTH_FAILED',
              message: `The SMTP server refused the login: ${outcome.reply}`,
            },
          };
        }
        return;
      }
      if (outcome.kind === 'HARD_BOUNCE')
        result = { kind: 'HARD_BOUNCE', reply: outcome.reply, code, status: outcome.status };
      else if (outcome.kind === 'FAILED') {
        result = {
          kind: 'FAILED',
          reply: outcome.reply,
          code,
          reason: outcome.senderRefused ? 'SENDER_REFUSED' : 'REJECTED',
        };
        if (outcome.senderRefused) {
          senderRefused++;
          const answered = counts.sent + counts.bounced + counts.failed + 1;
          if (
            !stopped &&
            senderRefused >= refusalLimit.count &&
            senderRefused / answered >= refusalLimit.share
          ) {
            const error = {
              code: 'MAILING_SENDER_REFUSED',
              message: `Receiving servers refused your sending ${senderRefused} times (last: ${outcome.reply}). Check your SPF, DKIM and DMARC records and whether your server's IP is on a blocklist, then resume the mailing.`,
            };
            stopped = { reason: 'SENDER_REFUSED', error };
          }
        }
      } else {
        const delay = retryDelays[delivery.attempts];
        result =
          delay === undefined
            ? { kind: 'FAILED', reply: outcome.reply, code, reason: 'RETRIES_EXHAUSTED' }
            : {
                kind: 'DEFERRED',
                reply: outcome.reply,
                code,
                nextAttemptAt: new Date(clock().getTime() + delay).toISOString(),
              };
      }
    }
    addResult(delivery.id, result);
  };

  /** Composes a group, marks it handed over in one commit, then gives it to the pool. */
  const launchGroup = async (group: OutboxDelivery[]): Promise<void> => {
    const ready: { delivery: OutboxDelivery; message: ComposedMessage }[] = [];
    for (const [index, delivery] of group.entries()) {
      try {
        ready.push({ delivery, message: await compose(delivery) });
      } catch (error) {
        if (isUserError(error) && DKIM_STOP_CODES.test(error.code)) {
          // Never send this mailing unsigned: nothing of this group was handed over, so all of it (and the
          // rest of the queue) goes back, and the mailing stops until the key is fixed.
          await store.release(
            group
              .slice(index)
              .map((d) => d.id)
              .concat(ready.map((r) => r.delivery.id)),
          );
          stopped ??= { reason: 'DKIM_FAILED', error: { code: error.code, message: error.message } };
          return;
        }
        // A message that cannot be built (a merge field that put a line break in the subject) fails alone.
        const reply = isUserError(error) ? `${error.code}: ${error.message}` : String(error);
        addResult(delivery.id, { kind: 'FAILED', reply, code: undefined, reason: 'INVALID_MESSAGE' });
      }
    }
    if (ready.length === 0) return;
    // Pause and cancel act at once (issue 14): looked at again right before anything is handed to SMTP,
    // so after the click only what is already in an SMTP transaction still goes out. What was composed
    // goes back (a cancel has already made it CANCELLED, which release leaves alone).
    const control = await store.control(mailingId);
    if (control !== 'RUN') {
      await store.release(ready.map((r) => r.delivery.id));
      stopped ??= { reason: control };
      return;
    }
    await store.markHandedOver(
      ready.map(({ delivery, message }) => ({ id: delivery.id, messageId: message.messageId })),
      clock().toISOString(),
    );
    for (const { delivery, message } of ready) {
      const promise: Promise<void> = send(delivery, message)
        .catch(storeFailed)
        .finally(() => inFlight.delete(promise));
      inFlight.add(promise);
    }
  };

  const sleepWatching = async (ms: number): Promise<'RUN' | 'PAUSED' | 'CANCELLED'> => {
    // Counted in slices, not read off the clock: an injected sleep need not move the clock.
    for (let left = ms; left > 0 && !signal?.aborted; left -= CONTROL_POLL_MS) {
      await sleep(Math.min(left, CONTROL_POLL_MS), signal);
      const control = await store.control(mailingId);
      if (control !== 'RUN') return control;
    }
    return 'RUN';
  };

  // With domain pacing, a queue of only paced providers' deliveries is topped up with the next batch so
  // other domains keep flowing (bounded, so a slow provider cannot pull the whole mailing into memory).
  let claimMore = false;
  let nothingMoreToClaim = false;
  try {
    while (!stopped) {
      if (queue.length === 0 || claimMore) {
        const topUp = queue.length > 0;
        claimMore = false;
        // Batch boundary: the only place pause, cancel and new suppressions are looked at.
        if (signal?.aborted) {
          stopped = { reason: 'ABORTED' };
          break;
        }
        const control = await store.control(mailingId);
        if (control !== 'RUN') {
          stopped = { reason: control };
          break;
        }
        const refusal = await options.beforeBatch?.();
        if (refusal !== undefined) {
          stopped = { reason: 'GATE_REFUSED', error: refusal };
          break;
        }
        const claimed = await store.claimBatch({
          mailingId,
          workerId,
          limit: batchSize,
          now: clock().toISOString(),
        });
        counts.suppressed += claimed.suppressed;
        doneThisRun += claimed.suppressed;
        queue = topUp ? queue.concat(claimed.deliveries) : claimed.deliveries;
        if (topUp && claimed.deliveries.length === 0) nothingMoreToClaim = true;
        if (queue.length === 0) {
          if (inFlight.size > 0) {
            // Only a deferral of what is in flight can add work now: wait for all of it, then look again.
            await Promise.all(inFlight);
            continue;
          }
          await flush();
          const next = await store.nextAttemptAt(mailingId);
          if (next === undefined) break;
          const wait = Date.parse(next) - clock().getTime();
          if (wait > maxWaitMs) {
            stopped = { reason: 'WAITING', nextAttemptAt: next };
            break;
          }
          await sleep(Math.max(wait, 0), signal);
          continue;
        }
        report();
      }
      // Hand over in groups of `2 × connections` (one commit each), keeping the pool fed.
      const free = window - inFlight.size;
      if (free < Math.min(queue.length, groupSize)) {
        await Promise.race(inFlight);
        continue;
      }
      const group: OutboxDelivery[] = [];
      let wait = 0;
      if (pacer) {
        // Take what may go now, domain by domain; a paced or slowed provider's deliveries wait in the
        // queue while the others go on.
        let domainWait = Number.POSITIVE_INFINITY;
        for (let i = 0; i < queue.length && group.length < free;) {
          const now = clock().getTime();
          wait = limiter.delayFor(now);
          if (wait > 0) break;
          const candidate = queue[i];
          if (!candidate) break;
          const delay = pacer.delayFor(candidate.recipient.email, now);
          if (delay > 0) {
            domainWait = Math.min(domainWait, delay);
            i++;
            continue;
          }
          limiter.record(now);
          pacer.record(candidate.recipient.email, now);
          queue.splice(i, 1);
          group.push(candidate);
        }
        if (group.length === 0 && wait === 0 && domainWait !== Number.POSITIVE_INFINITY) {
          if (!nothingMoreToClaim && queue.length < batchSize * 4) {
            claimMore = true;
            continue;
          }
          wait = domainWait;
        }
      } else {
        while (group.length < free && queue.length > 0) {
          wait = limiter.delayFor(clock().getTime());
          if (wait > 0) break;
          limiter.record(clock().getTime());
          const next = queue.shift();
          if (next) group.push(next);
        }
      }
      if (group.length > 0) {
        nothingMoreToClaim = false;
        await launchGroup(group);
        continue;
      }
      // A rate limit: let what is in flight finish first, so the wait does not hold replies back.
      if (inFlight.size > 0) await Promise.all(inFlight);
      await flush();
      if (wait > maxWaitMs) {
        // A day limit (or the warm-up limit of today) is reached: end the run instead of holding it for
        // hours; `resume` goes on later. What is still claimed goes back to the queue below.
        stopped = { reason: 'WAITING', nextAttemptAt: new Date(clock().getTime() + wait).toISOString() };
        break;
      }
      // A rate-limit wait (a profile limited to a few per minute) is cut into short slices, each followed by
      // a look at pause and cancel, so a click during the wait stops the run instead of the next message.
      const control = await sleepWatching(wait);
      if (control !== 'RUN') {
        stopped = { reason: control };
        break;
      }
    }
  } catch (error) {
    storeFailed(error);
  }

  await Promise.all(inFlight);
  await flush();
  if (queue.length > 0) await store.release(queue.map((delivery) => delivery.id));

  const reason: OutboxStopReason = stopped?.reason ?? 'FINISHED';
  // All need the owner first (a password; DNS records or a blocklist; a DKIM key): the mailing waits paused.
  if (
    (reason === 'AUTH_FAILED' ||
      reason === 'SENDER_REFUSED' ||
      reason === 'DKIM_FAILED' ||
      reason === 'GATE_REFUSED') &&
    stopped?.error
  )
    await store.stop(mailingId, stopped.error);
  if (reason === 'FINISHED') await store.finish(mailingId, clock().toISOString());
  base = await store.progress(mailingId);
  doneThisRun = 0;
  report();
  return {
    ...counts,
    done: base.done,
    total: base.total,
    stoppedBecause: reason,
    ...(stopped?.error ? { error: stopped.error } : {}),
    ...(stopped?.nextAttemptAt ? { nextAttemptAt: stopped.nextAttemptAt } : {}),
  };
}

// Signing failures that stop the whole mailing (see dkim-key.ts and dkim-signing.ts).
const DKIM_STOP_CODES = /^(MAIL_DKIM_|SMTP_DKIM_)/;

function hasLimit(limits: RateLimits): boolean {
  return limits.perMinute !== undefined || limits.perHour !== undefined || limits.perDay !== undefined;
}

function replyCode(reply: string | undefined): number | undefined {
  const match = reply === undefined ? null : /^(\d{3})/.exec(reply);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Waits `ms`, or less when `signal` aborts.
 *
 * @example
 * await abortableSleep(1000, controller.signal);
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
