import { randomBytes } from 'node:crypto';
import { UserError } from '@consent-mailer/policy';
import type { SenderIdentity } from './sender-identity.js';
import { isLoopbackHost } from './smtp-settings.js';

/** The ways a recipient can unsubscribe from one message. */
export interface UnsubscribeLinks {
  /** `mailto:` to the sender's contact address, with the token in the subject. */
  mailto: string;
  /** The business's https page with the token, when it configured one. */
  https?: string;
  /** The `List-Unsubscribe` header value (RFC 2369). */
  listUnsubscribe: string;
  /** `List-Unsubscribe=One-Click` (RFC 8058), only with an https link. */
  listUnsubscribePost?: string;
}

/**
 * A fresh unguessable per-recipient token (128 bits, base64url). It identifies the delivery an unsubscribe
 * answers without putting the address itself in a URL.
 *
 * @example
 * createUnsubscribeToken(); // 'q8Yd2…' (22 characters)
 */
export function createUnsubscribeToken(): string {
  return randomBytes(16).toString('base64url');
}

/** The subject a mailto unsubscribe carries; `parseUnsubscribeSubject` reads it back. */
export const UNSUBSCRIBE_SUBJECT_PREFIX = 'unsubscribe';

/**
 * Builds the unsubscribe links and headers for one recipient.
 *
 * @example
 * unsubscribeLinks({ ...identity, unsubscribeUrl: 'https://shop.nl/afmelden' }, 'tok123').listUnsubscribe;
 * // '<https://shop.nl/afmelden?token=tok123>, <mailto:info@shop.nl?subject=unsubscribe%20tok123>'
 */
export function unsubscribeLinks(sender: SenderIdentity, token: string): UnsubscribeLinks {
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(token)) {
    throw new UserError('MAIL_BAD_UNSUBSCRIBE_TOKEN', {
      en: 'The unsubscribe token is malformed; queue the mailing again.',
      nl: 'Het afmeldtoken is ongeldig; zet de mailing opnieuw klaar.',
    });
  }
  const mailto = `mailto:${sender.contactEmail}?subject=${encodeURIComponent(`${UNSUBSCRIBE_SUBJECT_PREFIX} ${token}`)}`;
  if (!sender.unsubscribeUrl) return { mailto, listUnsubscribe: `<${mailto}>` };
  const url = new URL(sender.unsubscribeUrl);
  // http only to this computer (a paired opt-in service run locally for a try-out or a test).
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new UserError('ENTITY_UNSUBSCRIBE_URL_NOT_HTTPS', {
      en: 'The unsubscribe page must be an https:// address (RFC 8058). Change it in the sender entity.',
      nl: 'De afmeldpagina moet een https://-adres zijn (RFC 8058). Pas het aan bij de afzender.',
    });
  }
  url.searchParams.set('token', token);
  const https = url.toString();
  return {
    mailto,
    https,
    // https first: Gmail acts on the first entry, and only https supports RFC 8058 one-click.
    listUnsubscribe: `<${https}>, <${mailto}>`,
    listUnsubscribePost: 'List-Unsubscribe=One-Click',
  };
}

/**
 * Finds the token in the subject of a mailto unsubscribe ("unsubscribe <token>", possibly "Re: …").
 *
 * @example
 * parseUnsubscribeSubject('Re: unsubscribe q8Yd2abcdefgh'); // 'q8Yd2abcdefgh'
 */
export function parseUnsubscribeSubject(subject: string): string | undefined {
  return new RegExp(`${UNSUBSCRIBE_SUBJECT_PREFIX}\\s+([A-Za-z0-9_-]{8,64})`, 'i').exec(subject)?.[1];
}
