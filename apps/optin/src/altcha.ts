import { createHmac } from 'node:crypto';
import { createChallenge, randomInt, verifySolution, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { UserError } from '@consent-mailer/policy';
import { z } from 'zod';
import type { AltchaConfig } from './config.js';
import type { OptinDb } from './database.js';

/** What the check made of a sign-up's Altcha payload; every answer but 'ok' refuses the sign-up. */
export type AltchaVerdict = 'ok' | 'missing' | 'invalid' | 'expired' | 'replayed';

export interface AltchaGuard {
  /** A fresh signed challenge for the widget (GET /altcha/challenge). */
  challenge(): Promise<Challenge>;
  /**
   * Checks the widget's payload (base64 JSON of challenge and solution) and, when it holds, spends it:
   * the same payload is refused as 'replayed' from then on.
   */
  spend(payload: string): Promise<AltchaVerdict>;
}

const ALGORITHM = 'PBKDF2/SHA-256';

/** The payload the widget puts in its hidden field; anything else is 'invalid' before any work is done. */
const Payload = z.object({
  challenge: z.object({
    parameters: z
      .object({
        algorithm: z.string(),
        nonce: z.string(),
        salt: z.string(),
        cost: z.number(),
        keyLength: z.number(),
        keyPrefix: z.string(),
        expiresAt: z.number().optional(),
      })
      .loose(),
    signature: z.string().min(1),
  }),
  solution: z.object({ counter: z.number(), derivedKey: z.string(), time: z.number().optional() }),
});

function decode(
  payload: string,
): { challenge: Challenge & { signature: string }; solution: Solution } | null {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    return null;
  }
  // The checked shape, but the object as sent: the signature covers the parameters exactly as received.
  return Payload.safeParse(raw).success
    ? (raw as { challenge: Challenge & { signature: string }; solution: Solution })
    : null;
}

/**
 * The Altcha check of the sign-up form, built on altcha-lib (the proof of work itself is the library's).
 * Challenges are in its deterministic mode: the counter to find is known here and its derived key is
 * signed with a second key, so checking a solution is one HMAC instead of redoing the work.
 *
 * @example
 * const guard = createAltchaGuard({ settings: config.altcha, hmacKey, db, now });
 * await guard.spend(body.altcha); // 'ok' once, 'replayed' the second time
 */
export function createAltchaGuard(options: {
  settings: AltchaConfig;
  hmacKey: string;
  db: OptinDb;
  now: () => Date;
}): AltchaGuard {
  const { settings, hmacKey, db, now } = options;
  // A separate key for the derived-key signatures, so neither signature can stand in for the other.
  const keySignatureKey = createHmac('sha256', hmacKey).update('altcha derived-key signature').digest('hex');
  return {
    challenge: () =>
      createChallenge({
        algorithm: ALGORITHM,
        cost: settings.cost,
        counter: randomInt(settings.counter.min, settings.counter.max),
        deriveKey,
        expiresAt: new Date(now().getTime() + settings.challengeTtlSeconds * 1000),
        hmacSignatureSecret: hmacKey,
        hmacKeySignatureSecret: keySignatureKey,
      }),
    async spend(payload) {
      if (payload.trim() === '') return 'missing';
      const decoded = decode(payload);
      if (!decoded) return 'invalid';
      const { challenge, solution } = decoded;
      const expiresAt = challenge.parameters.expiresAt;
      // Our clock decides (the library checks the wall clock too): a challenge without an expiry is not ours.
      if (expiresAt === undefined) return 'invalid';
      if (expiresAt * 1000 <= now().getTime()) return 'expired';
      const result = await verifySolution({
        challenge,
        solution,
        deriveKey,
        hmacSignatureSecret: hmacKey,
        hmacKeySignatureSecret: keySignatureKey,
      });
      if (result.expired) return 'expired';
      if (!result.verified) return 'invalid';
      // Only a verified payload reaches the table, so junk cannot fill it.
      const inserted = await db
        .insertInto('altcha_spent')
        .values({ signature: challenge.signature, expires_at: new Date(expiresAt * 1000).toISOString() })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0 ? 'ok' : 'replayed';
    },
  };
}

/**
 * The HMAC key when `altcha.enabled`, else null: OPTIN_ALTCHA_HMAC_KEY (passed in) or the config. Starting
 * with Altcha on and no key is refused (before anything opens) rather than run with a guessable one.
 */
export function altchaKey(settings: AltchaConfig, envKey: string | undefined): string | null {
  if (!settings.enabled) return null;
  const hmacKey = envKey ?? settings.hmacKey;
  if (!hmacKey || hmacKey.length < 32)
    throw new UserError('OPTIN_ALTCHA_KEY_MISSING', {
      en: 'Altcha is on (altcha.enabled) but has no key: set OPTIN_ALTCHA_HMAC_KEY (or altcha.hmacKey) to a random secret of at least 32 characters, e.g. from `openssl rand -hex 32`.',
      nl: 'Altcha staat aan (altcha.enabled) maar heeft geen sleutel: zet OPTIN_ALTCHA_HMAC_KEY (of altcha.hmacKey) op een willekeurig geheim van minstens 32 tekens, bijvoorbeeld uit `openssl rand -hex 32`.',
    });
  return hmacKey;
}

/** Forgets spent challenges past their expiry (the expiry check refuses them from then on). */
export async function purgeSpentAltcha(db: OptinDb, now: Date): Promise<void> {
  await db.deleteFrom('altcha_spent').where('expires_at', '<', now.toISOString()).execute();
}
