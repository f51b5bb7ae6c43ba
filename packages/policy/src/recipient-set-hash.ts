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
  // Drop the duplicates (adjacent after sorting) in place, then hash the joined list in one call.
  let kept = 0;
  for (let i = 0; i < normalised.length; i++) {
    const email = normalised[i];
    if (email !== undefined && (kept === 0 || email !== normalised[kept - 1])) normalised[kept++] = email;
  }
  normalised.length = kept;
  return createHash('sha256').update(normalised.join('\n'), 'utf8').digest('hex');
}
