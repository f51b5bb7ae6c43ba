import { isIP } from 'node:net';
import type { CustomerRelationship } from '@consent-mailer/policy';

/**
 * Reads the date and time notations of contact files into an ISO-8601 UTC string, or undefined when the text
 * is not a date. Understood: ISO-8601 with or without offset; `2018-02-12 17:59:31` (Mailchimp, MailerLite);
 * Go's `2023-01-02 15:04:05.123 +0000 UTC` (listmonk); Dutch `12-02-2018 17:59`, `12/2/2018`; date only.
 * A time without zone is wall-clock time in `timeZone` (an IANA name such as Europe/Amsterdam).
 *
 * @example
 * parseDateTime('2018-02-12 17:59:31', 'UTC');           // '2018-02-12T17:59:31.000Z'
 * parseDateTime('12-02-2018 17:59', 'Europe/Amsterdam'); // '2018-02-12T16:59:00.000Z'
 */
export function parseDateTime(text: string, timeZone: string): string | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?(?:\s+(?:UTC|GMT|[A-Z]{2,5}))?$/i.exec(
      value,
    );
  const dutch = iso
    ? null
    : /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  let year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number;
  let offset: string | undefined;
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    [hour, minute, second] = [Number(iso[4] ?? 0), Number(iso[5] ?? 0), Number(iso[6] ?? 0)];
    millis = iso[7] ? Math.floor(Number(`0.${iso[7]}`) * 1000) : 0;
    offset = iso[8];
  } else if (dutch) {
    [day, month, year] = [Number(dutch[1]), Number(dutch[2]), Number(dutch[3])];
    [hour, minute, second, millis] = [Number(dutch[4] ?? 0), Number(dutch[5] ?? 0), Number(dutch[6] ?? 0), 0];
  } else {
    return undefined;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 31 February over into March; such a date is a typo, not a date.
  if (new Date(wall).getUTCDate() !== day) return undefined;
  let utc: number;
  if (offset === undefined) utc = wallTimeToUtc(wall, timeZone);
  else if (/^(Z|UTC|GMT)$/i.test(offset)) utc = wall;
  else {
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.replace(/[^0-9]/g, '');
    utc = wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return new Date(utc).toISOString();
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The UTC instant of a wall-clock time in a zone, using the platform's time zone data (no I/O). */
function wallTimeToUtc(wall: number, timeZone: string): number {
  if (timeZone === 'UTC') return wall;
  const first = wall - zoneOffset(wall, timeZone);
  // Near a DST switch the offset at the guessed instant can differ; one correction settles it.
  return wall - zoneOffset(first, timeZone);
}

// Offsets only change at DST switches, which fall on whole hours: one Intl call per zone and hour suffices.
const offsetCache = new Map<string, number>();

function zoneOffset(instant: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(instant / 3_600_000)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const offset = computeZoneOffset(instant, timeZone);
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

function computeZoneOffset(instant: number, timeZone: string): number {
  let format = offsetFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(instant))) parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - (instant - (instant % 1000));
}

/**
 * Reads yes/no in Dutch and English.
 *
 * @example
 * parseYesNo('Ja'); // true
 * parseYesNo('0');  // false
 */
export function parseYesNo(text: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  if (['ja', 'j', 'yes', 'y', 'true', 'waar', '1', 'x', 'betaald', 'paid'].includes(value)) return true;
  if (['nee', 'n', 'no', 'false', 'onwaar', '0', 'onbetaald', 'unpaid'].includes(value)) return false;
  return undefined;
}

const RELATIONSHIP_WORDS: Readonly<Record<string, CustomerRelationship>> = {
  paidorder: 'PAID_ORDER',
  paid: 'PAID_ORDER',
  betaald: 'PAID_ORDER',
  betaaldebestelling: 'PAID_ORDER',
  freetierofpaidservice: 'FREE_TIER_OF_PAID_SERVICE',
  freetier: 'FREE_TIER_OF_PAID_SERVICE',
  freemium: 'FREE_TIER_OF_PAID_SERVICE',
  gratisvariant: 'FREE_TIER_OF_PAID_SERVICE',
  freeonly: 'FREE_ONLY',
  free: 'FREE_ONLY',
  gratis: 'FREE_ONLY',
  alleengratis: 'FREE_ONLY',
};

/**
 * A customer relationship (rules C5, C11) from its enum value or a common English or Dutch word; undefined
 * when the text is none of them.
 *
 * @example
 * parseCustomerRelationship('freemium'); // 'FREE_TIER_OF_PAID_SERVICE'
 * parseCustomerRelationship('Betaald');  // 'PAID_ORDER'
 */
export function parseCustomerRelationship(text: string): CustomerRelationship | undefined {
  return RELATIONSHIP_WORDS[text.toLowerCase().replace(/[^a-z]/g, '')];
}

/**
 * An IPv4 or IPv6 address as written, or undefined when it is none.
 *
 * @example
 * parseIpAddress(' 46.140.110.82 '); // '46.140.110.82'
 */
export function parseIpAddress(text: string): string | undefined {
  const value = text.trim();
  return isIP(value) === 0 ? undefined : value;
}

/**
 * Reads a count or an amount as shops write it: `3`, `120.50`, `120,50`, `€ 1.234,56`, `1,234.56 EUR`.
 * The last `.` or `,` followed by one or two digits is the decimal mark; other separators group thousands.
 *
 * @example
 * parseAmount('€ 1.234,56'); // 1234.56
 * parseAmount('0.00');       // 0
 */
export function parseAmount(text: string): number | undefined {
  const value = text.replace(/[^\d.,-]/g, '');
  if (!/\d/.test(value)) return undefined;
  const decimal = /[.,](\d{1,2})$/.exec(value);
  const whole = (decimal ? value.slice(0, decimal.index) : value).replace(/[.,]/g, '');
  if (!/^-?\d+$/.test(whole)) return undefined;
  const amount = Number(decimal ? `${whole}.${decimal[1]}` : whole);
  return Number.isFinite(amount) ? amount : undefined;
}
