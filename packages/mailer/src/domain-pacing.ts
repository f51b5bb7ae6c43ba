import { SendRateLimiter, type RateLimits } from './rate-limiter.js';

/** A mailbox provider whose domains share one limit (they share receiving servers and reputation). */
export interface ProviderPacing {
  id: string;
  domains: readonly string[];
  limits: RateLimits;
}

/**
 * Conservative defaults for the big providers of Dutch recipients. No provider publishes numbers; these
 * stay well under what a new sender with good reputation is accepted at (Gmail and Microsoft answer
 * 4.7.x / 421 when a sender goes too fast), and a profile can override every one of them.
 */
export const DEFAULT_PROVIDER_PACING: readonly ProviderPacing[] = [
  { id: 'gmail', domains: ['gmail.com', 'googlemail.com'], limits: { perMinute: 60, perHour: 2000 } },
  {
    id: 'microsoft',
    domains: ['outlook.com', 'outlook.nl', 'hotmail.com', 'hotmail.nl', 'live.com', 'live.nl', 'msn.com'],
    limits: { perMinute: 30, perHour: 1000 },
  },
  {
    id: 'yahoo',
    domains: ['yahoo.com', 'yahoo.nl', 'ymail.com', 'aol.com'],
    limits: { perMinute: 30, perHour: 1000 },
  },
  {
    id: 'ziggo',
    domains: ['ziggo.nl', 'upcmail.nl', 'chello.nl', 'casema.nl', 'home.nl', 'quicknet.nl', 'zeelandnet.nl'],
    limits: { perMinute: 20, perHour: 600 },
  },
  {
    id: 'kpn',
    domains: ['kpnmail.nl', 'kpnplanet.nl', 'planet.nl', 'hetnet.nl', 'telfort.nl'],
    limits: { perMinute: 20, perHour: 600 },
  },
  { id: 'xs4all', domains: ['xs4all.nl'], limits: { perMinute: 20, perHour: 600 } },
];

/** What the slow-down after a 4.7.x deferral does. */
export interface DeferralPolicy {
  /** Pause the domain this long after its first 4.7.x; doubles with every further one (up to maxPauseMs). */
  pauseMs: number;
  maxPauseMs: number;
  /** A domain without limits of its own gets this per-minute limit once it defers, then halved per deferral. */
  slowedPerMinute: number;
  /** Accepted messages after which a slowed domain doubles its rate again (up to its normal rate). */
  recoverAfter: number;
}

export const DEFAULT_DEFERRAL_POLICY: DeferralPolicy = {
  pauseMs: 60_000,
  maxPauseMs: 900_000,
  slowedPerMinute: 10,
  recoverAfter: 50,
};

/**
 * A warm-up schedule for a new sending domain or IP: messages per day on the 1st, 2nd … day since the
 * first send; after the last day no warm-up limit applies. Roughly doubling, as Gmail's and Microsoft's
 * sender guidelines suggest (ramp volume up gradually, watch deferrals).
 */
export const DEFAULT_WARMUP_SCHEDULE: readonly number[] = [
  50, 100, 200, 400, 800, 1500, 3000, 5000, 10_000, 20_000, 40_000,
];

/**
 * The warm-up limit for today, or undefined once warm-up is over (or without a schedule).
 *
 * @example
 * warmupDailyLimit('2026-12-01T09:00:00Z', new Date('2026-12-03T08:00:00Z')); // 200 (day 3)
 */
export function warmupDailyLimit(
  firstSendAt: string | undefined,
  now: Date,
  schedule: readonly number[] = DEFAULT_WARMUP_SCHEDULE,
): number | undefined {
  const day =
    firstSendAt === undefined ? 0 : Math.floor((now.getTime() - Date.parse(firstSendAt)) / 86_400_000);
  return schedule[Math.max(0, day)];
}

/** The lower-cased domain of an address ('' when it has none). */
export function recipientDomain(address: string): string {
  return (address.split('@').pop() ?? '').trim().toLowerCase().replace(/\.$/, '');
}

interface Group {
  key: string;
  base: RateLimits;
  factor: number;
  pausedUntil: number;
  deferrals: number;
  acceptedSinceSlowdown: number;
  times: number[];
  limiter: SendRateLimiter;
}

/**
 * Per-recipient-domain pacing for the outbox: each provider (or each other domain) has its own sliding
 * windows, so a slow provider never holds the others back. A 4.7.x deferral (a provider saying "too
 * fast" or "reputation") pauses and halves that provider only; accepted messages win the rate back.
 *
 * @example
 * const pacer = new DomainPacer({ overrides: { 'gmail.com': { perMinute: 20 } } });
 * if (pacer.delayFor('jan@gmail.com', Date.now()) === 0) pacer.record('jan@gmail.com', Date.now());
 * pacer.deferred('jan@gmail.com', Date.now()); // after "451 4.7.0 Try again later"
 */
export class DomainPacer {
  private readonly groups = new Map<string, Group>();
  private readonly providerOf = new Map<string, ProviderPacing>();
  private readonly overrides: Readonly<Record<string, RateLimits>>;
  private readonly policy: DeferralPolicy;

  constructor(
    options: {
      providers?: readonly ProviderPacing[];
      /** Limits per domain; for a provider's domain they replace that provider's limits. */
      overrides?: Readonly<Record<string, RateLimits>>;
      deferral?: Partial<DeferralPolicy>;
    } = {},
  ) {
    for (const provider of options.providers ?? DEFAULT_PROVIDER_PACING)
      for (const domain of provider.domains) this.providerOf.set(domain, provider);
    this.overrides = options.overrides ?? {};
    this.policy = { ...DEFAULT_DEFERRAL_POLICY, ...options.deferral };
  }

  /** The provider id or domain whose limits apply to this address. */
  groupOf(address: string): string {
    const domain = recipientDomain(address);
    return this.providerOf.get(domain)?.id ?? domain;
  }

  /** The limits that apply to this address's provider now (after any slow-down). */
  limitsFor(address: string): RateLimits {
    const group = this.group(address);
    return scale(group.base, group.factor);
  }

  /** Milliseconds before a message to this address may go; 0 when it may go now. */
  delayFor(address: string, now: number): number {
    const group = this.group(address);
    return Math.max(group.pausedUntil - now, group.limiter.delayFor(now), 0);
  }

  /** Counts one message to this address as handed over at `now`. */
  record(address: string, now: number): void {
    const group = this.group(address);
    group.times.push(now);
    if (group.times.length > 20_000) group.times = group.times.filter((t) => t > now - 86_400_000);
    group.limiter.record(now);
  }

  /** The server accepted a message to this address: a slowed provider slowly gets its rate back. */
  accepted(address: string): void {
    const group = this.group(address);
    if (group.factor >= 1) return;
    group.acceptedSinceSlowdown++;
    if (group.acceptedSinceSlowdown >= this.policy.recoverAfter) {
      group.acceptedSinceSlowdown = 0;
      group.factor = Math.min(1, group.factor * 2);
      if (group.factor >= 1) group.deferrals = 0;
      this.rebuild(group);
    }
  }

  /** A 4.7.x deferral for this address: pause its provider and halve its rate; other providers go on. */
  deferred(address: string, now: number): void {
    const group = this.group(address);
    group.acceptedSinceSlowdown = 0;
    // Messages already under way when the provider first said "slow down" answer the same: one signal.
    if (now < group.pausedUntil) return;
    group.deferrals++;
    if (!hasLimit(group.base)) group.base = { perMinute: this.policy.slowedPerMinute };
    else group.factor = Math.max(1 / 64, group.factor / 2);
    const pause = Math.min(this.policy.pauseMs * 2 ** (group.deferrals - 1), this.policy.maxPauseMs);
    group.pausedUntil = Math.max(group.pausedUntil, now + pause);
    this.rebuild(group);
  }

  /** Providers slowed down by deferrals, for progress and the logs. */
  slowed(): { group: string; factor: number; pausedUntil: number; limits: RateLimits }[] {
    return [...this.groups.values()]
      .filter((g) => g.deferrals > 0)
      .map((g) => ({
        group: g.key,
        factor: g.factor,
        pausedUntil: g.pausedUntil,
        limits: scale(g.base, g.factor),
      }));
  }

  private group(address: string): Group {
    const domain = recipientDomain(address);
    const provider = this.providerOf.get(domain);
    const key = provider?.id ?? domain;
    let group = this.groups.get(key);
    if (!group) {
      const override =
        this.overrides[domain] ??
        provider?.domains.map((d) => this.overrides[d]).find((o) => o !== undefined);
      const base = override ?? provider?.limits ?? {};
      group = {
        key,
        base,
        factor: 1,
        pausedUntil: 0,
        deferrals: 0,
        acceptedSinceSlowdown: 0,
        times: [],
        limiter: new SendRateLimiter(base, []),
      };
      this.groups.set(key, group);
    }
    return group;
  }

  private rebuild(group: Group): void {
    group.limiter = new SendRateLimiter(scale(group.base, group.factor), group.times);
  }
}

function hasLimit(limits: RateLimits): boolean {
  return limits.perMinute !== undefined || limits.perHour !== undefined || limits.perDay !== undefined;
}

function scale(limits: RateLimits, factor: number): RateLimits {
  const s = (n: number | undefined) => (n === undefined ? undefined : Math.max(1, Math.floor(n * factor)));
  return { perMinute: s(limits.perMinute), perHour: s(limits.perHour), perDay: s(limits.perDay) };
}

/** What a send-time estimate is made of. */
export interface SendEstimateInput {
  /** Recipients per address domain. */
  recipientsByDomain: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /** The profile's own limits, with the warm-up limit of today already folded into perDay. */
  profileLimits: RateLimits;
  pacer?: DomainPacer;
  connections: number;
  /** How long one message takes on one connection; 250 ms is typical for a remote submission server. */
  perMessageMs?: number;
}

export interface SendEstimate {
  /** Expected duration of the whole mailing, in milliseconds. */
  totalMs: number;
  /** What sets the duration: the server's speed, the profile's limits, or a provider's pacing. */
  limitedBy: { kind: 'THROUGHPUT' | 'PROFILE_LIMIT' | 'PROVIDER'; group?: string };
  perGroup: { group: string; recipients: number; ms: number }[];
}

/**
 * Estimates how long a mailing takes under the profile's limits (and warm-up), the per-provider pacing
 * and the connections: the slowest of those sets the duration. An estimate before deferrals, which only
 * make it longer.
 *
 * @example
 * estimateSendDuration({ recipientsByDomain: { 'gmail.com': 3000 }, profileLimits: {}, pacer: new DomainPacer(), connections: 2 });
 * // { totalMs: 3_600_000, limitedBy: { kind: 'PROVIDER', group: 'gmail' }, … } (2000 in the first hour, 1000 after)
 */
export function estimateSendDuration(input: SendEstimateInput): SendEstimate {
  const entries =
    input.recipientsByDomain instanceof Map
      ? [...(input.recipientsByDomain as ReadonlyMap<string, number>).entries()]
      : Object.entries(input.recipientsByDomain);
  const pacer = input.pacer ?? new DomainPacer();
  const groups = new Map<string, { recipients: number; limits: RateLimits }>();
  let total = 0;
  for (const [domain, count] of entries) {
    total += count;
    const address = `x@${domain}`;
    const key = pacer.groupOf(address);
    const group = groups.get(key) ?? { recipients: 0, limits: pacer.limitsFor(address) };
    group.recipients += count;
    groups.set(key, group);
  }
  const perGroup = [...groups.entries()].map(([group, g]) => ({
    group,
    recipients: g.recipients,
    ms: windowTime(g.recipients, g.limits),
  }));
  const throughput = Math.ceil((total * (input.perMessageMs ?? 250)) / Math.max(1, input.connections));
  const profile = windowTime(total, input.profileLimits);
  const slowest = perGroup.reduce<(typeof perGroup)[number] | undefined>(
    (worst, g) => (worst === undefined || g.ms > worst.ms ? g : worst),
    undefined,
  );
  const provider = slowest?.ms ?? 0;
  const totalMs = Math.max(throughput, profile, provider);
  const limitedBy: SendEstimate['limitedBy'] =
    totalMs === throughput
      ? { kind: 'THROUGHPUT' }
      : totalMs === profile
        ? { kind: 'PROFILE_LIMIT' }
        : { kind: 'PROVIDER', ...(slowest ? { group: slowest.group } : {}) };
  return { totalMs, limitedBy, perGroup };
}

/** The least time `n` messages take under sliding-window limits (the first window's worth goes at once). */
function windowTime(n: number, limits: RateLimits): number {
  let ms = 0;
  for (const [limit, window] of [
    [limits.perMinute, 60_000],
    [limits.perHour, 3_600_000],
    [limits.perDay, 86_400_000],
  ] as const) {
    if (limit !== undefined && n > limit) ms = Math.max(ms, (Math.ceil(n / limit) - 1) * window);
  }
  return ms;
}
