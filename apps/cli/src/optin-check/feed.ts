import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { OptinFeedEvent } from '@consent-mailer/store';
import { http } from './http.js';
import type { CheckContext } from './types.js';

/** An event as the service's `GET /events` publishes it (the store's shape: the desktop reads the same). */
export type FeedEvent = OptinFeedEvent;

/** The largest page the service gives; the check never asks past it (see readFeed). */
export const FEED_PAGE = 1000;

/** True when `signature` is the key's Ed25519 signature over exactly `bytes`. */
export function verifyBytes(key: KeyObject, bytes: Buffer, signature: string): boolean {
  try {
    return verify(null, bytes, key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export function fingerprintOf(key: KeyObject): string {
  return `sha256:${createHash('sha256')
    .update(key.export({ format: 'der', type: 'spki' }))
    .digest('hex')}`;
}

/** The service's published key, or why there is none. */
export async function serviceKey(base: URL): Promise<{ key: KeyObject; pem: string } | { error: string }> {
  const answer = await http(new URL('key', base));
  if (answer.status !== 200) return { error: `GET /key answered ${answer.status}` };
  try {
    const body = JSON.parse(answer.body) as { publicKey?: unknown };
    if (typeof body.publicKey !== 'string') return { error: 'GET /key has no publicKey' };
    const key = createPublicKey(body.publicKey);
    if (key.asymmetricKeyType !== 'ed25519')
      return { error: `the key is ${key.asymmetricKeyType}, not Ed25519` };
    return { key, pem: body.publicKey };
  } catch (error) {
    return { error: `GET /key is not a public key (${(error as Error).message})` };
  }
}

/**
 * The feed from the start. Always `after=0`: the service takes `after=N` as "the desktop holds everything
 * up to N" and may purge what it thinks was pulled, so the check never moves that cursor.
 */
export async function readFeed(context: CheckContext): Promise<{ events: FeedEvent[]; full: boolean }> {
  const answer = await http(new URL(`events?after=0&limit=${FEED_PAGE}`, context.base), {
    headers: { authorization: `Bearer ${context.feedToken ?? ''}` },
  });
  if (answer.status !== 200) throw new Error(`GET /events answered ${answer.status}`);
  const events = (JSON.parse(answer.body) as { events: FeedEvent[] }).events;
  return { events, full: events.length >= FEED_PAGE };
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Events of `type` about the sign-up of `email` (the spelling given at sign-up). */
export function eventsFor(events: FeedEvent[], type: string, email: string): FeedEvent[] {
  const wanted = email.toLowerCase();
  const signupIds = new Set(
    events
      .filter((event) => event.type === 'signed_up' && textOf(event.data.email).toLowerCase() === wanted)
      .map((event) => textOf(event.data.signupId)),
  );
  return events.filter(
    (event) =>
      event.type === type &&
      (textOf(event.data.email).toLowerCase() === wanted || signupIds.has(textOf(event.data.signupId))),
  );
}
