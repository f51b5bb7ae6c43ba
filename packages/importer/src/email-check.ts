import {
  deriveAddressKind,
  emailAddressSpelling,
  isUserError,
  normalizeEmailAddress,
  type AddressKind,
} from '@consent-mailer/policy';
import { distance } from 'fastest-levenshtein';
import mailSpellChecker from '@zootools/email-spell-checker';
import validator from 'validator';

/** RFC 5321: 64 octets for the local part, 254 for the whole address as it fits in a path. */
export const MAX_EMAIL_LENGTH = 254;
export const MAX_LOCAL_PART_LENGTH = 64;

/**
 * Dutch mailbox providers, and the big international ones the checker's own list lacks, on top of that list,
 * so "ziggo.nll", "hotmial.nl" and "hotmail.con" are caught.
 */
const DOMAINS = [
  ...mailSpellChecker.POPULAR_DOMAINS,
  'hotmail.com',
  'outlook.com',
  'live.com',
  'yahoo.com',
  'gmx.net',
  'gmx.de',
  'hotmail.nl',
  'live.nl',
  'outlook.nl',
  'msn.nl',
  'gmail.nl',
  'ziggo.nl',
  'kpnmail.nl',
  'kpnplanet.nl',
  'planet.nl',
  'xs4all.nl',
  'home.nl',
  'hetnet.nl',
  'chello.nl',
  'quicknet.nl',
  'upcmail.nl',
  'online.nl',
  'zeelandnet.nl',
  'telfort.nl',
  'tele2.nl',
  'caiway.nl',
  'solcon.nl',
  'kpnmail.com',
  'hotmail.be',
  'telenet.be',
  'skynet.be',
  'icloud.com',
  'me.com',
  'proton.me',
  'protonmail.com',
];
const TOP_LEVEL_DOMAINS = [
  ...mailSpellChecker.POPULAR_TLDS,
  'nl',
  'be',
  'de',
  'eu',
  'frl',
  'amsterdam',
  'nu',
  'co.uk',
];

/**
 * The everyday shape of an address (dot-atom ASCII local part, LDH labels, alphabetic TLD): a strict subset of
 * what validator's isEmail accepts, checked first because a million isEmail calls cost half a second.
 * Anything else (quoted local parts, Unicode, odd TLDs) still goes through isEmail.
 */
const SIMPLE_ADDRESS =
  /^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export type EmailCheck =
  | {
      ok: true;
      /** The address identity (policy's `normalizeEmailAddress`): what dedupe and the store match on. */
      email: string;
      /** The address as typed (local part's case kept), when it differs from `email`: what is sent to. */
      spelling?: string;
      addressKind: AddressKind;
      domainSuggestion?: string;
    }
  | { ok: false; code: 'EMAIL_MISSING' | 'EMAIL_INVALID' | 'EMAIL_TOO_LONG' };

/**
 * Checks and normalises one address as typed in a file: `Name <address>` and `mailto:` are unwrapped, the
 * address is trimmed, lower-cased and its domain converted to ASCII when internationalised (policy's
 * `normalizeEmailAddress`; the typed spelling is kept apart for sending), lengths and syntax are checked (validator's isEmail), the address kind is
 * derived (ROLE for info@, sales@ …), and a likely typo in a well-known domain is suggested, never applied.
 *
 * @example
 * checkEmailAddress(' Jan@GMIAL.com ');
 * // { ok: true, email: 'jan@gmial.com', spelling: 'Jan@gmial.com', addressKind: 'PERSONAL', domainSuggestion: 'jan@gmail.com' }
 * checkEmailAddress('jan@@example'); // { ok: false, code: 'EMAIL_INVALID' }
 */
export function checkEmailAddress(raw: string, cache: Map<string, string | null> = new Map()): EmailCheck {
  let text = raw.trim();
  if (text === '') return { ok: false, code: 'EMAIL_MISSING' };
  const bracketed = /<([^<>]+)>\s*$/.exec(text);
  if (bracketed?.[1]) text = bracketed[1].trim();
  if (/^mailto:/i.test(text)) text = text.slice(7);
  if (text.length > MAX_EMAIL_LENGTH * 4) return { ok: false, code: 'EMAIL_TOO_LONG' };
  let email: string;
  let spelling: string;
  try {
    spelling = emailAddressSpelling(text);
    email = normalizeEmailAddress(spelling);
  } catch (error) {
    if (isUserError(error)) return { ok: false, code: 'EMAIL_INVALID' };
    throw error;
  }
  const at = email.lastIndexOf('@');
  if (email.length > MAX_EMAIL_LENGTH || at > MAX_LOCAL_PART_LENGTH)
    return { ok: false, code: 'EMAIL_TOO_LONG' };
  if (
    !SIMPLE_ADDRESS.test(email) &&
    !validator.isEmail(email, {
      allow_utf8_local_part: true,
      require_tld: true,
      allow_ip_domain: false,
      allow_display_name: false,
    })
  ) {
    return { ok: false, code: 'EMAIL_INVALID' };
  }
  const domain = email.slice(at + 1);
  const suggestion = suggestDomain(domain, cache);
  return {
    ok: true,
    email,
    ...(spelling === email ? {} : { spelling }),
    addressKind: deriveAddressKind(email),
    ...(suggestion ? { domainSuggestion: `${email.slice(0, at)}@${suggestion}` } : {}),
  };
}

/**
 * Whether a suggested domain is a likely fix rather than another business: a short name (bol.com, kpn.com,
 * hema.nl) is one or two letters from a provider's (aol.com, msn.com, home.nl) without being a typo of it, so
 * a name of three letters is never changed and one of four only by one letter. The top-level part (con, nll)
 * may always be corrected.
 */
function plausible(domain: string, suggestion: string): boolean {
  const name = domain.split('.')[0] ?? '';
  const suggested = suggestion.split('.')[0] ?? '';
  if (name === suggested) return true;
  if (name.length <= 3) return false;
  return name.length > 4 || distance(name, suggested) <= 1;
}

function suggestDomain(domain: string, cache: Map<string, string | null>): string | null {
  const known = cache.get(domain);
  if (known !== undefined) return known;
  const result = mailSpellChecker.run({
    email: `x@${domain}`,
    domains: DOMAINS,
    topLevelDomains: TOP_LEVEL_DOMAINS,
    // Plain edit distance: the checker's default (sift3) scores "con" nearer to "co" than to "com".
    distanceFunction: distance,
  });
  const suggestion =
    result && result.domain !== domain && plausible(domain, result.domain) ? result.domain : null;
  // Real lists repeat a few hundred domains; the bound keeps a list of a million distinct ones from growing it.
  if (cache.size > 50_000) cache.clear();
  cache.set(domain, suggestion);
  return suggestion;
}
