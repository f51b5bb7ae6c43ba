import { emailAddressSpelling, normalizeEmailAddress } from '@consent-mailer/policy';
import { addressHash } from './address-hash.js';

/** An address as the store keys it (identity and its hash) and as it is sent (spelling). */
export interface AddressIdentity {
  /** `normalizeEmailAddress`: the whole address lower-cased, IDN domain in ASCII. Every match uses it. */
  email: string;
  /** sha256 of `email`. */
  hash: string;
  /** The address to send to (local part as given); equal to `email` for an all-lower-case address. */
  spelling: string;
  /**
   * The hash the address had before addresses were compared case-insensitively (sha256 of the spelling),
   * or null when it is the same as `hash`. Suppressions of an address whose contact row no longer existed
   * when the identity migration ran (0180) still carry it; lookups check it too.
   */
  legacyHash: string | null;
}

/**
 * The identity, hash, spelling and legacy hash of an address.
 *
 * @throws {UserError} `POLICY_INVALID_EMAIL` for an address that cannot be normalised.
 * @example
 * addressIdentity('D1@Example.NL'); // { email: 'd1@example.nl', spelling: 'D1@example.nl', hash, legacyHash }
 */
export function addressIdentity(email: string): AddressIdentity {
  const spelling = emailAddressSpelling(email);
  const identity = normalizeEmailAddress(spelling);
  const hash = addressHash(identity);
  return {
    email: identity,
    hash,
    spelling,
    legacyHash: spelling === identity ? null : addressHash(spelling),
  };
}

/**
 * Every hash a suppression of this address may carry: the identity hash and, for an address with capitals
 * in its local part, the legacy hash (see `AddressIdentity.legacyHash`).
 *
 * @example
 * const blocked = (await suppressedHashes(db, lookupHashes('Jan@example.nl'))).size > 0;
 */
export function lookupHashes(email: string): string[] {
  const identity = addressIdentity(email);
  return identity.legacyHash === null ? [identity.hash] : [identity.hash, identity.legacyHash];
}
