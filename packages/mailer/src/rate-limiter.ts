/** Messages allowed per window; undefined = no limit of that kind. */
export interface RateLimits {
  perMinute?: number | undefined;
  perHour?: number | undefined;
  perDay?: number | undefined;
}

const WINDOWS: readonly { key: keyof RateLimits; ms: number }[] = [
  { key: 'perMinute', ms: 60_000 },
  { key: 'perHour', ms: 3_600_000 },
  { key: 'perDay', ms: 86_400_000 },
];

/**
 * Sliding-window limits per minute, hour and day, as providers state them. Starts from the send times
 * already in the database, so a restart or a second mailing through the same profile stays within the
 * day's limit.
 *
 * @example
 * const limiter = new SendRateLimiter({ perMinute: 60 }, []);
 * const wait = limiter.delayFor(Date.now()); // 0 until 60 messages went out in the last minute
 * limiter.record(Date.now());
 */
export class SendRateLimiter {
  private readonly windows: { limit: number; ms: number; times: number[]; head: number }[];

  constructor(limits: RateLimits, previousSendTimes: readonly number[]) {
    const sorted = [...previousSendTimes].sort((a, b) => a - b);
    this.windows = WINDOWS.flatMap(({ key, ms }) => {
      const limit = limits[key];
      return limit === undefined ? [] : [{ limit, ms, times: [...sorted], head: 0 }];
    });
  }

  /** Milliseconds to wait before the next message may go; 0 when it may go now. */
  delayFor(now: number): number {
    let wait = 0;
    for (const window of this.windows) {
      while (window.head < window.times.length && (window.times[window.head] ?? 0) <= now - window.ms)
        window.head++;
      const inWindow = window.times.length - window.head;
      if (inWindow >= window.limit) {
        // The oldest message that must leave the window before one more fits.
        const oldest = window.times[window.times.length - window.limit] ?? now;
        wait = Math.max(wait, oldest + window.ms - now);
      }
      // Drop what has left the window now and then, so a day of sending keeps a bounded array.
      if (window.head > 4096) {
        window.times = window.times.slice(window.head);
        window.head = 0;
      }
    }
    return wait;
  }

  /** Counts one message as sent at `now`. */
  record(now: number): void {
    for (const window of this.windows) window.times.push(now);
  }

  /** True when any limit is set. */
  get limited(): boolean {
    return this.windows.length > 0;
  }
}
