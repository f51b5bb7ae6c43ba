import type { AnchorSigner } from '@consent-mailer/store';
import type { SecretStore } from '../secrets/secret-store.js';
import {
  SIGNING_KEY_SECRET,
  loadOrCreateSigningKey,
  signText,
  signingKeyFromSecret,
  verifyText,
  type SigningKey,
} from './signing-key.js';

/**
 * The store's anchor signer on the installation's Ed25519 key: the api owns the key, the store only gets
 * these two functions and the fingerprint. Verification is against this key only (pinned), never against a
 * key that comes with the anchor.
 *
 * @example
 * const store = await openStore({ path, anchorSigner: anchorSignerFor(key) });
 */
export function anchorSignerFor(key: SigningKey): AnchorSigner {
  return {
    fingerprint: key.fingerprint,
    sign: (message) => signText(key, message),
    verify: (message, signature) => verifyText(key.publicKey, message, signature),
  };
}

/**
 * The anchor signer of an installation whose key is already in the secret store (the CLI: from
 * CONSENT_MAILER_SECRET_ACKNOWLEDGEMENT_SIGNING_KEY); undefined when there is none or it is unusable, so a
 * command still runs (anchors are then unsigned and only their head is checked).
 *
 * @example
 * const anchorSigner = await existingAnchorSigner(secrets);
 */
export async function existingAnchorSigner(secrets: SecretStore): Promise<AnchorSigner | undefined> {
  const secret = await secrets.get(SIGNING_KEY_SECRET);
  if (secret === undefined || secret.trim() === '') return undefined;
  try {
    return anchorSignerFor(signingKeyFromSecret(secret));
  } catch {
    // An unusable key is reported where it is used to sign acknowledgements; anchors go unsigned here.
    return undefined;
  }
}

/**
 * The anchor signer of the desktop installation: its key, made on first use (as acknowledgements do).
 *
 * @example
 * const anchorSigner = await installationAnchorSigner(secrets);
 */
export async function installationAnchorSigner(secrets: SecretStore): Promise<AnchorSigner> {
  const { key } = await loadOrCreateSigningKey(secrets);
  return anchorSignerFor(key);
}
