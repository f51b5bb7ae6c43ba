import type { ImportedContact } from './contact-row.js';
import type { StatusOutcome, SourceProfile } from './profiles/index.js';
import { parseDateTime } from './value-parsers.js';

/** The status words of spreadsheets and unknown tools (Dutch and English); a tool's profile adds its own. */
export const GENERIC_STATUSES: Readonly<Record<string, StatusOutcome>> = {
  unsubscribed: 'unsubscribed',
  unsubscribe: 'unsubscribed',
  afgemeld: 'unsubscribed',
  uitgeschreven: 'unsubscribed',
  blocklisted: 'blocklisted',
  blacklisted: 'blocklisted',
  geblokkeerd: 'blocklisted',
  junk: 'complained',
  spam: 'complained',
  complained: 'complained',
  cleaned: 'bounced',
  bounced: 'bounced',
  hardbounced: 'bounced',
  hardbounce: 'bounced',
  gebounced: 'bounced',
  opgeschoond: 'bounced',
  unconfirmed: 'unconfirmed',
  onbevestigd: 'unconfirmed',
  pending: 'unconfirmed',
};

/** Outcomes that put the address on the suppression list. */
export const SUPPRESSING_OUTCOMES: ReadonlySet<StatusOutcome> = new Set([
  'unsubscribed',
  'bounced',
  'complained',
  'blocklisted',
]);

/**
 * The comparable form of a status value: lower case, accents and everything but letters and digits removed.
 *
 * @example
 * statusKey('HARD_BOUNCE'); // 'hardbounce'
 * statusKey('Opgeschoond'); // 'opgeschoond'
 */
export function statusKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * What a status value means: the profile's vocabulary first, then the everyday words. `undefined` when
 * neither knows it.
 *
 * @example
 * statusOutcome('Opgeschoond', laposta); // 'bounced'
 */
export function statusOutcome(text: string, profile: SourceProfile | undefined): StatusOutcome | undefined {
  const key = statusKey(text);
  return profile?.statuses?.[key] ?? GENERIC_STATUSES[key];
}

/**
 * The outcomes named in a suppression column (Klaviyo writes a list such as
 * `[{"reason": "HARD_BOUNCE", "timestamp": "2024-03-01T10:00:00Z"}]` or plain `HARD_BOUNCE, UNSUBSCRIBE`), and
 * the first time in it. Words that are not suppression reasons (the JSON keys) are skipped.
 *
 * @example
 * readSuppressions('HARD_BOUNCE', klaviyo, 'UTC'); // { outcomes: ['bounced'], at: undefined }
 */
export function readSuppressions(
  text: string,
  profile: SourceProfile | undefined,
  timeZone: string,
): { outcomes: StatusOutcome[]; at: string | undefined } {
  const outcomes: StatusOutcome[] = [];
  for (const word of text.split(/[^A-Za-z_]+/)) {
    if (word === '') continue;
    const outcome = statusOutcome(word, profile);
    if (outcome && SUPPRESSING_OUTCOMES.has(outcome)) outcomes.push(outcome);
  }
  const time = /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?/.exec(text);
  return { outcomes, at: time ? parseDateTime(time[0], timeZone) : undefined };
}

/**
 * Applies what the old tool said to a contact: an opt-out gets its date (the tool's, or the import's when it
 * gave none, since that is when we learned it), "no marketing" becomes an objection, an unfinished or absent
 * opt-in is marked unconsented. The consent timestamp of a subscribed row is its opt-in time.
 *
 * @example
 * applyOutcome(contact, 'unsubscribed', { importedAt, statusAt: '2024-01-15T12:00:00.000Z' });
 */
export function applyOutcome(
  contact: ImportedContact,
  outcome: StatusOutcome,
  times: { importedAt: string; statusAt?: string | undefined },
): void {
  const at = times.statusAt ?? times.importedAt;
  switch (outcome) {
    case 'subscribed':
      if (times.statusAt) contact.evidence.signupAt ??= times.statusAt;
      return;
    case 'unsubscribed':
      contact.unsubscribedAt ??= at;
      return;
    case 'bounced':
      contact.hardBounceAt ??= at;
      return;
    case 'complained':
      contact.complaintAt ??= at;
      return;
    case 'blocklisted':
      contact.blocklistedAt ??= at;
      return;
    case 'noMarketing':
      contact.objectedAt ??= at;
      return;
    case 'unconfirmed':
      contact.unconsented ??= 'UNCONFIRMED';
      return;
    case 'neverSubscribed':
      contact.unconsented ??= 'NEVER_SUBSCRIBED';
      return;
  }
}

/** True when the contact is to be suppressed (the old tool's opt-out, bounce, complaint or block). */
export function isSuppressedByTool(contact: ImportedContact): boolean {
  return (
    contact.unsubscribedAt !== undefined ||
    contact.hardBounceAt !== undefined ||
    contact.complaintAt !== undefined ||
    contact.blocklistedAt !== undefined
  );
}
