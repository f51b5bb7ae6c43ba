import { hash } from 'node:crypto';

/**
 * The sha256 (hex) of a normalised e-mail address: how suppressions, deliveries and events refer to an
 * address without keeping it. Pass the address through `normalizeEmailAddress` first; the hash of an
 * unnormalised address would not match.
 *
 * @example
 * addressHash('jan@example.nl'); // 'a3f1…' (64 hex characters)
 */
export function addressHash(normalizedEmail: string): string {
  // crypto.hash: the one-shot form, several times faster than createHash for short inputs (imports hash every row).
  return hash('sha256', normalizedEmail, 'hex');
}

/**
 * The sha256 (lower-case hex) of a UTF-8 text or of bytes.
 *
 * @example
 * sha256Hex('hello'); // '2cf24dba…'
 */
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}
