import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { UserError } from '@consent-mailer/policy';
import type { SecretStore } from '../secrets/secret-store.js';

/**
 * The secret-store key of the installation's private signing key. The CLI reads it from the environment
 * variable CONSENT_MAILER_SECRET_ACKNOWLEDGEMENT_SIGNING_KEY; the desktop app keeps it in safeStorage.
 */
export const SIGNING_KEY_SECRET = 'acknowledgement-signing-key';

/** The installation's Ed25519 key pair. The private half never leaves this object except through secrets. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SPKI PEM of the public key: what travels with every export. */
  readonly publicKeyPem: string;
  /** `sha256:` + hex of the SPKI DER: short enough to compare by eye, e.g. on the PDF. */
  readonly fingerprint: string;
}

/**
 * Makes a new Ed25519 key pair and returns it with its secret form (base64 PKCS#8 DER, one line, so it fits
 * an environment variable or a keychain entry).
 *
 * @example
 * const { key, secret } = generateSigningKey();
 * await secrets.set(SIGNING_KEY_SECRET, secret);
 */
export function generateSigningKey(): { key: SigningKey; secret: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const secret = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  return { key: signingKeyFromSecret(secret), secret };
}

/**
 * Reads a key pair from its secret form.
 *
 * @throws {UserError} `ACK_SIGNING_KEY_INVALID` when the secret is not a base64 PKCS#8 Ed25519 key.
 * @example
 * const key = signingKeyFromSecret(process.env.CONSENT_MAILER_SECRET_ACKNOWLEDGEMENT_SIGNING_KEY ?? '');
 */
export function signingKeyFromSecret(secret: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({
      key: Buffer.from(secret.trim(), 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
  } catch (error) {
    throw invalidKey(error);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw invalidKey(undefined);
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    fingerprint: publicKeyFingerprint(publicKey),
  };
}

/**
 * The installation's key from the secret store; when there is none yet, a new one is made and saved there.
 * `created` tells the caller to register the new public key.
 *
 * @example
 * const { key, created } = await loadOrCreateSigningKey(ctx.secrets);
 */
export async function loadOrCreateSigningKey(
  secrets: SecretStore,
  signedBefore?: () => Promise<string | undefined>,
): Promise<{ key: SigningKey; created: boolean }> {
  const existing = await secrets.get(SIGNING_KEY_SECRET);
  if (existing !== undefined && existing.trim() !== '')
    return { key: signingKeyFromSecret(existing), created: false };
  // Never a silent new key: records signed by the lost one would from then on read "signed with another
  // key", and the accountant's pinned fingerprint would no longer match anything new (issue 14).
  const earlier = signedBefore ? await signedBefore() : undefined;
  if (earlier !== undefined) throw signingKeyLostError(earlier);
  const { key, secret } = generateSigningKey();
  await secrets.set(SIGNING_KEY_SECRET, secret);
  return { key, created: true };
}

/** The refusal to replace a key that already signed records in this database. */
export function signingKeyLostError(fingerprint: string): UserError {
  return new UserError('SIGNING_KEY_LOST', {
    en: `This installation's signing key (${fingerprint}) is not in its saved secrets, although acknowledgements in the database were signed with it. A new key would make them unverifiable here, so none was made. Start the app with the passphrase you used before, or put back the secrets file from your backup, then try again.`,
    nl: `De ondertekeningssleutel van deze installatie (${fingerprint}) staat niet in de opgeslagen geheimen, terwijl verklaringen in de database ermee zijn ondertekend. Een nieuwe sleutel zou die hier onverifieerbaar maken, dus er is geen nieuwe gemaakt. Start de app met de wachtwoordzin die je eerder gebruikte, of zet het geheimenbestand uit je back-up terug, en probeer het opnieuw.`,
  });
}

/**
 * `sha256:` + hex of a public key's SPKI DER encoding.
 *
 * @example
 * publicKeyFingerprint(parsePublicKeyPem(bundle.publicKey)); // 'sha256:3f1c…'
 */
export function publicKeyFingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/**
 * Reads an Ed25519 public key from SPKI PEM; undefined when the text is not one.
 *
 * @example
 * const key = parsePublicKeyPem(bundle.publicKey);
 * if (!key) console.log('not an Ed25519 public key');
 */
export function parsePublicKeyPem(pem: string): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: pem, format: 'pem' });
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    // Any parse failure means the same to the caller: this is not a usable public key.
    return undefined;
  }
}

/**
 * Ed25519 signature (base64) over a string's UTF-8 bytes.
 *
 * @example
 * const signature = signText(key, canonicalJson(document));
 */
export function signText(key: SigningKey, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64');
}

/**
 * Checks an Ed25519 signature (base64) over a string's UTF-8 bytes; false for any malformed input.
 *
 * @example
 * verifyText(publicKey, canonicalJson(document), bundle.signature.value); // true when unaltered
 */
export function verifyText(publicKey: KeyObject, text: string, signatureBase64: string): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  // Buffer.from silently drops bad base64 characters: insist the value round-trips.
  if (signature.length !== 64 || signature.toString('base64') !== signatureBase64) return false;
  try {
    return verify(null, Buffer.from(text, 'utf8'), publicKey, signature);
  } catch {
    // node:crypto throws on some malformed signatures instead of returning false; both mean "not valid".
    return false;
  }
}

function invalidKey(cause: unknown): UserError {
  return new UserError(
    'ACK_SIGNING_KEY_INVALID',
    {
      en: 'The signing key for acknowledgements is not a valid Ed25519 key. Restore the saved key (CLI: CONSENT_MAILER_SECRET_ACKNOWLEDGEMENT_SIGNING_KEY), or remove it so a new one is made.',
      nl: 'De ondertekeningssleutel voor verklaringen is geen geldige Ed25519-sleutel. Zet de bewaarde sleutel terug (CLI: CONSENT_MAILER_SECRET_ACKNOWLEDGEMENT_SIGNING_KEY), of verwijder hem zodat er een nieuwe wordt gemaakt.',
    },
    { cause },
  );
}
