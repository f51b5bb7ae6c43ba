import type { AddressKind } from './enums.js';
import { UserError } from './user-error.js';

/**
 * Local parts that belong to a function, not a person (Dutch and English). Only the part before the first
 * `.`, `-`, `_` or `+` is compared, so `sales.nl@` and `info+news@` are role addresses too.
 */
export const ROLE_LOCAL_PARTS: ReadonlySet<string> = new Set([
  'abuse',
  'account',
  'accounts',
  'admin',
  'administratie',
  'administration',
  'billing',
  'boekhouding',
  'bookings',
  'careers',
  'contact',
  'customerservice',
  'enquiries',
  'events',
  'factuur',
  'facturen',
  'finance',
  'hallo',
  'hello',
  'help',
  'helpdesk',
  'hostmaster',
  'hr',
  'info',
  'informatie',
  'inkoop',
  'jobs',
  'kantoor',
  'klantenservice',
  'mail',
  'marketing',
  'media',
  'news',
  'newsletter',
  'nieuwsbrief',
  'no-reply',
  'noreply',
  'office',
  'orders',
  'bestellingen',
  'pers',
  'planning',
  'postmaster',
  'press',
  'privacy',
  'purchasing',
  'receptie',
  'reception',
  'reservations',
  'reserveringen',
  'sales',
  'secretariaat',
  'security',
  'service',
  'shop',
  'support',
  'team',
  'vacatures',
  'verkoop',
  'webmaster',
  'webshop',
  'welkom',
]);

// Outside ASCII the domain needs IDNA processing; plain ASCII domains take the fast path.
const NON_ASCII = /[^\u0020-\u007e]/;

/**
 * The identity of an e-mail address: the one key used for every match (dedupe, suppression, unsubscribe,
 * erasure, hashes). Surrounding spaces removed, Unicode in NFC, the domain converted to ASCII (punycode
 * `xn--…`) with the WHATWG URL parser (no I/O) and the WHOLE address lower-cased. RFC 5321 leaves the
 * local part's case to the receiving server, but in practice every mailbox provider ignores it, and an
 * opt-out must never be lost because `D1@Example.NL` unsubscribed and `d1@example.nl` was mailed. The
 * spelling a person typed is kept apart for sending: see `emailAddressSpelling`.
 *
 * @throws {UserError} `POLICY_INVALID_EMAIL` when there is no `@`, an empty local part or an invalid domain.
 * @example
 * normalizeEmailAddress('  Jan@Bakkerij-Één.NL ');  // 'jan@xn--bakkerij-n-j7aa.nl'
 * normalizeEmailAddress('Info@Example.COM');        // 'info@example.com'
 */
export function normalizeEmailAddress(email: string): string {
  const spelling = emailAddressSpelling(email);
  const lower = spelling.toLowerCase();
  // Already normal (the usual case for stored addresses): return it without building a new string.
  return lower === spelling ? spelling : lower;
}

/**
 * The spelling of an address to send to: like `normalizeEmailAddress` but the local part keeps its case
 * (only the domain is lower-cased and converted to ASCII). This is also what `normalizeEmailAddress`
 * returned before addresses were compared case-insensitively, so the store uses it to recognise
 * suppression hashes made then (see `legacyAddressHash` in @consent-mailer/store).
 *
 * @throws {UserError} `POLICY_INVALID_EMAIL` as `normalizeEmailAddress` does.
 * @example
 * emailAddressSpelling('  Jan@Bücher.Example '); // 'Jan@xn--bcher-kva.example'
 */
export function emailAddressSpelling(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) throw invalidEmail(email);
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1);
  if (!NON_ASCII.test(trimmed)) {
    if (/[\s@/\\?#:[\]]/.test(domain)) throw invalidEmail(email);
    const lower = domain.toLowerCase();
    return lower === domain ? trimmed : `${local}@${lower}`;
  }
  let ascii: string;
  try {
    ascii = new URL(`http://${domain.normalize('NFC')}`).hostname;
  } catch (cause) {
    throw invalidEmail(email, cause);
  }
  // The URL parser also accepts things that are not a host name (ports, paths); reject those.
  if (ascii.length === 0 || /[/:@?#[\]]/.test(ascii) || /[/:@?#]/.test(domain)) throw invalidEmail(email);
  return `${local.normalize('NFC')}@${ascii}`;
}

/**
 * Guesses whether an address belongs to a function (ROLE: info@, sales@, admin@, contact@, office@,
 * support@ …) or to a person (PERSONAL). Used when a contact's `addressKind` is absent.
 *
 * @example
 * deriveAddressKind('Info@bakkerij.nl');      // 'ROLE'
 * deriveAddressKind('sales.nl@bakkerij.nl');  // 'ROLE'
 * deriveAddressKind('jan.devries@gmail.com'); // 'PERSONAL'
 */
export function deriveAddressKind(email: string): AddressKind {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return 'UNKNOWN';
  const local = trimmed.slice(0, at).toLowerCase();
  if (ROLE_LOCAL_PARTS.has(local)) return 'ROLE';
  const head = local.split(/[.\-_+]/, 1)[0] ?? local;
  return ROLE_LOCAL_PARTS.has(head) ? 'ROLE' : 'PERSONAL';
}

function invalidEmail(email: string, cause?: unknown): UserError {
  const shown = email.length > 80 ? `${email.slice(0, 80)}…` : email;
  return new UserError(
    'POLICY_INVALID_EMAIL',
    {
      en: `"${shown}" is not a valid e-mail address. Check for typos: it needs a name, an @ and a domain such as example.nl.`,
      nl: `"${shown}" is geen geldig e-mailadres. Controleer op typefouten: er hoort een naam, een @ en een domein zoals voorbeeld.nl in te staan.`,
    },
    cause === undefined ? undefined : { cause },
  );
}
