// One event of an opt-in service's signed feed: its shape, and its signature checked against the pinned key.
import { createPublicKey, hash, verify } from 'node:crypto';
import { UserError } from '@consent-mailer/policy';
import { canonicalJson } from './canonical-json.js';

/** An event as the service's `GET /events` publishes it (apps/optin/src/feed.ts). */
export interface OptinFeedEvent {
  seq: number;
  id: string;
  type: string;
  at: string;
  data: Record<string, unknown>;
  signature: string;
}

/**
 * sha256 (hex) of a public key's DER (SPKI) bytes, the fingerprint the owner compares.
 *
 * @throws {UserError} OPTIN_KEY_INVALID when the text is not an Ed25519 public key.
 * @example
 * optinKeyFingerprint(pem); // '9f2c…' (64 hex characters)
 */
export function optinKeyFingerprint(publicKeyPem: string): string {
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not Ed25519 but ${key.asymmetricKeyType}`);
    return hash('sha256', key.export({ format: 'der', type: 'spki' }), 'hex');
  } catch (error) {
    throw new UserError(
      'OPTIN_KEY_INVALID',
      {
        en: 'The opt-in service did not send a valid Ed25519 public key on /key. Check the URL points at the opt-in service, then pair again.',
        nl: 'De opt-in-service stuurde op /key geen geldige Ed25519-publieke sleutel. Controleer of de URL naar de opt-in-service wijst en koppel opnieuw.',
      },
      { cause: error },
    );
  }
}

/**
 * The bytes an event's signature covers: its id, type, time and data, nothing else, in the RFC 8785 form
 * the service signs (seq is the desktop's cursor, not part of what was signed).
 */
export function optinSignedBytes(event: Pick<OptinFeedEvent, 'id' | 'type' | 'at' | 'data'>): Buffer {
  return Buffer.from(canonicalJson({ id: event.id, type: event.type, at: event.at, data: event.data }));
}

/** True when `signature` is the pinned key's signature over the event's id, type, time and data. */
export function verifyOptinEvent(publicKeyPem: string, event: OptinFeedEvent): boolean {
  try {
    return verify(
      null,
      optinSignedBytes(event),
      createPublicKey(publicKeyPem),
      Buffer.from(event.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function isFeedEvent(value: unknown): value is OptinFeedEvent {
  const e = value as Partial<OptinFeedEvent> | null;
  return (
    e !== null &&
    typeof e === 'object' &&
    Number.isSafeInteger(e.seq) &&
    (e.seq ?? 0) > 0 &&
    typeof e.id === 'string' &&
    typeof e.type === 'string' &&
    typeof e.at === 'string' &&
    typeof e.signature === 'string' &&
    e.data !== null &&
    typeof e.data === 'object' &&
    !Array.isArray(e.data)
  );
}
