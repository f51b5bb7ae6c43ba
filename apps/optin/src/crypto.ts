import canonicalize from 'canonicalize';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hash,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** 128 random bits, base64url: confirmation, unsubscribe tokens and nonces. */
export function randomToken(): string {
  return randomBytes(16).toString('base64url');
}

/** Tokens are stored only as their sha256, so a copy of the database cannot confirm or unsubscribe anyone. */
export function tokenHash(token: string): string {
  return hash('sha256', token, 'hex');
}

export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/** Compares two secrets in constant time. */
export function secretEquals(given: string, expected: string): boolean {
  const a = Buffer.from(hash('sha256', given, 'hex'), 'hex');
  const b = Buffer.from(hash('sha256', expected, 'hex'), 'hex');
  return timingSafeEqual(a, b);
}

/** Loads the service's Ed25519 key, creating it (mode 0600) on first start. */
export function loadOrCreateSigningKey(file: string): KeyObject {
  if (existsSync(file)) return createPrivateKey(readFileSync(file, 'utf8'));
  const { privateKey } = generateKeyPairSync('ed25519');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  chmodSync(file, 0o600);
  return privateKey;
}

export function publicKeyPem(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString();
}

/** A feed event as it is signed and published. */
export interface SignedEventBody {
  id: string;
  type: string;
  at: string;
  data: Record<string, unknown>;
}

/**
 * The exact bytes a signature covers: RFC 8785 canonical JSON (the `canonicalize` library, as the desktop's
 * store uses to verify), so the service and the desktop cannot drift apart on what was signed.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('An event body cannot be undefined');
  return text;
}

export function signEvent(privateKey: KeyObject, body: SignedEventBody): string {
  return sign(null, Buffer.from(canonicalJson(body)), privateKey).toString('base64');
}

/** True when `signature` is the pinned key's signature over the event's id, type, time and data (nothing else counts). */
export function verifyEvent(publicKey: string, event: SignedEventBody, signature: string): boolean {
  const body: SignedEventBody = { id: event.id, type: event.type, at: event.at, data: event.data };
  try {
    return verify(
      null,
      Buffer.from(canonicalJson(body)),
      createPublicKey(publicKey),
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}
