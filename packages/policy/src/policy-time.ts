import { UserError } from './user-error.js';

/** Milliseconds in a day; used for the day-based windows (G4, M13). */
export const DAY_MS = 86_400_000;

/**
 * Parses an ISO-8601 timestamp to epoch milliseconds; NaN when absent or unparsable. Callers treat NaN as
 * "not known", so a malformed date never counts as recent evidence.
 */
export function toEpochMs(value: string | undefined): number {
  return value === undefined ? Number.NaN : Date.parse(value);
}

/** The `now` option as epoch milliseconds, or a UserError naming the bad value. */
export function resolveNow(now: string | Date): number {
  const ms = typeof now === 'string' ? Date.parse(now) : now.getTime();
  if (Number.isNaN(ms)) {
    throw new UserError('POLICY_INVALID_NOW', {
      en: `The current time "${String(now)}" is not a valid ISO-8601 date and time (for example 2026-03-01T09:30:00Z).`,
      nl: `Het huidige tijdstip "${String(now)}" is geen geldige ISO-8601 datum en tijd (bijvoorbeeld 2026-03-01T09:30:00Z).`,
    });
  }
  return ms;
}

/**
 * The same moment `months` calendar months earlier (UTC). A day that does not exist in the target month is
 * clamped to its last day, so 31 March minus one month is 28/29 February, not 3 March.
 */
export function subtractMonths(ms: number, months: number): number {
  const date = new Date(ms);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() - months);
  const daysInMonth = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, daysInMonth));
  return date.getTime();
}
