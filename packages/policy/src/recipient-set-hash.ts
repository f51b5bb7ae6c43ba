import { createHash } from 'node:crypto';
import { normalizeEmailAddress } from './email-address.js';

/**
 * The fingerprint of a recipient set: sha256 (hex) over the normalised addresses, de-duplicated, sorted by
 * code unit and joined by "\n". Order and duplicates of the input do not matter, so an acknowledgement
 * signed for a set stays valid exactly as long as the set is the same.
 *
 * @throws {UserError} `POLICY_INVALID_EMAIL` for an address that cannot be normalised.
 * @example
 * computeRecipientSetHash(['b@x.nl', 'A@X.NL', 'b@x.nl']) ===
 *   computeRecipientSetHash(['A@x.nl', 'b@x.nl']); // true
 */
export function computeRecipientSetHash(emails: Iterable<string>): string {
  const normalised: string[] = [];
  for (const email of emails) normalised.push(normalizeEmailAddress(email));
  // Plain code-unit order: the same on every machine and locale. Duplicates end up adjacent.
  normalised.sort();
  const hash = createHash('sha256');
  let previous: string | undefined;
  for (const email of normalised) {
    if (email === previous) continue;
    hash.update(previous === undefined ? email : `\n${email}`, 'utf8');
    previous = email;
  }
  return hash.digest('hex');
}
