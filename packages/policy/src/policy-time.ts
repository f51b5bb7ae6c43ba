import { UserError } from './user-error.js';

/** Milliseconds in a day; used for the day-based windows (G4, M13). */
export const DAY_MS = 86_400_000;

/**
 * Parses an ISO-8601 timestamp to epoch milliseconds; NaN when absent or unparsable. Callers treat NaN as
 * "not known", so a malformed date never counts as recent evidence.
 */
export function toEpochMs(value: string | undefined): number {
  if (value === undefined) return Number.NaN;
  const fast = parseUtcFast(value);
  return fast === undefined ? Date.parse(value) : fast;
}

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/** Two ASCII digits at `i` as a number, or -1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * A fast path for the one format nearly every stored timestamp has, `YYYY-MM-DDTHH:MM:SS[.sss]Z`: Date.parse
 * was the largest cost of classifying a million contacts. Anything else (offsets, other precisions, invalid
 * values) returns undefined and goes to Date.parse, so results are always identical (a property test checks).
 */
function parseUtcFast(s: string): number | undefined {
  const length = s.length;
  if (
    (length !== 20 && length !== 24) ||
    s.charCodeAt(length - 1) !== 90 /* Z */ ||
    s.charCodeAt(10) !== 84 /* T */
  ) {
    return undefined;
  }
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58)
    return undefined;
  const century = digits2(s, 0);
  const yy = digits2(s, 2);
  const month = digits2(s, 5);
  const day = digits2(s, 8);
  const hour = digits2(s, 11);
  const minute = digits2(s, 14);
  const second = digits2(s, 17);
  if (
    century < 0 ||
    yy < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59
  ) {
    return undefined;
  }
  if (second < 0 || second > 59) return undefined;
  let millis = 0;
  if (length === 24) {
    if (s.charCodeAt(19) !== 46 /* . */) return undefined;
    const hundreds = s.charCodeAt(20) - 48;
    const rest = digits2(s, 21);
    if (hundreds < 0 || hundreds > 9 || rest < 0) return undefined;
    millis = hundreds * 100 + rest;
  }
  const year = century * 100 + yy;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day > daysInMonth) return undefined;
  // Days since 1970-01-01 for a proleptic Gregorian date.
  const y = year - 1;
  const days =
    365 * (year - 1970) +
    (Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) - 477) +
    (DAYS_BEFORE_MONTH[month - 1] ?? 0) +
    (month > 2 && leap ? 1 : 0) +
    day -
    1;
  return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis;
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
