import { optinSignedBytes as signedBytes } from '@consent-mailer/store';
import { fingerprintOf, readFeed, serviceKey, verifyBytes } from './feed.js';
import { http } from './http.js';
import { NEEDS_FEED, result, type CheckContext, type ClauseResult } from './types.js';

const T = {
  key: {
    en: 'the service publishes an Ed25519 key (and it is the pinned one)',
    nl: 'de service publiceert een Ed25519-sleutel (en het is de vastgepinde)',
  },
  auth: {
    en: 'the event feed is closed without the feed token',
    nl: 'de eventfeed is dicht zonder het feedtoken',
  },
  verifies: {
    en: 'every event in the feed verifies against the key',
    nl: 'elk event in de feed klopt met de sleutel',
  },
  flipped: {
    en: 'an event with one flipped byte is refused by the verifier',
    nl: 'een event met één omgedraaide byte wordt door de controle geweigerd',
  },
};

/** Key and feed clauses that need no sign-up: run first. */
export async function keyClauses(context: CheckContext): Promise<ClauseResult[]> {
  const results: ClauseResult[] = [];
  const key = await serviceKey(context.base);
  if ('error' in key) results.push(result('feed.key', T.key, 'fail', { en: key.error, nl: key.error }));
  else {
    const fingerprint = fingerprintOf(key.key);
    const pinnedOk = context.pinnedKey === undefined || context.pinnedKey === fingerprint;
    results.push(
      result(
        'feed.key',
        T.key,
        pinnedOk ? 'pass' : 'fail',
        pinnedOk
          ? {
              en: `${fingerprint}${context.pinnedKey ? ' (pinned)' : ''}`,
              nl: `${fingerprint}${context.pinnedKey ? ' (vastgepind)' : ''}`,
            }
          : {
              en: `the service's key is ${fingerprint}, not the pinned ${context.pinnedKey ?? ''}: do not pair`,
              nl: `de sleutel van de service is ${fingerprint}, niet de vastgepinde ${context.pinnedKey ?? ''}: niet koppelen`,
            },
      ),
    );
  }
  const open = await http(new URL('events?after=0&limit=1', context.base));
  const wrong = await http(new URL('events?after=0&limit=1', context.base), {
    headers: { authorization: 'Bearer not-the-feed-token-000000000000' },
  });
  const closed =
    (open.status === 401 || open.status === 403) && (wrong.status === 401 || wrong.status === 403);
  results.push(
    result(
      'feed.auth',
      T.auth,
      closed ? 'pass' : 'fail',
      closed
        ? {
            en: `${open.status} without, ${wrong.status} with a wrong token`,
            nl: `${open.status} zonder, ${wrong.status} met een verkeerd token`,
          }
        : {
            en: `GET /events answered ${open.status} without and ${wrong.status} with a wrong token`,
            nl: `GET /events antwoordde ${open.status} zonder en ${wrong.status} met een verkeerd token`,
          },
    ),
  );
  return results;
}

/** The signature clauses, run last so the check's own events are in the feed. */
export async function signatureClauses(context: CheckContext): Promise<ClauseResult[]> {
  if (!context.feedToken)
    return [
      result('feed.verifies', T.verifies, 'skipped', NEEDS_FEED),
      result('feed.flipped-byte', T.flipped, 'skipped', NEEDS_FEED),
    ];
  const key = await serviceKey(context.base);
  if ('error' in key) {
    const detail = { en: key.error, nl: key.error };
    return [
      result('feed.verifies', T.verifies, 'fail', detail),
      result('feed.flipped-byte', T.flipped, 'fail', detail),
    ];
  }
  let feed: Awaited<ReturnType<typeof readFeed>>;
  try {
    feed = await readFeed(context);
  } catch (error) {
    const detail = { en: (error as Error).message, nl: (error as Error).message };
    return [
      result('feed.verifies', T.verifies, 'fail', detail),
      result('feed.flipped-byte', T.flipped, 'fail', detail),
    ];
  }
  const results: ClauseResult[] = [];
  const { events } = feed;
  if (events.length === 0) {
    const detail = {
      en: 'skipped: the feed holds no events yet',
      nl: 'overgeslagen: de feed heeft nog geen events',
    };
    return [
      result('feed.verifies', T.verifies, 'skipped', detail),
      result('feed.flipped-byte', T.flipped, 'skipped', detail),
    ];
  }
  const bad = events.filter((event) => !verifyBytes(key.key, signedBytes(event), event.signature));
  results.push(
    result(
      'feed.verifies',
      T.verifies,
      bad.length === 0 ? 'pass' : 'fail',
      bad.length === 0
        ? {
            en: `${events.length} events verified${feed.full ? ' (the first page; the desktop has not pulled the rest)' : ''}`,
            nl: `${events.length} events kloppen${feed.full ? ' (de eerste pagina; de desktop heeft de rest nog niet opgehaald)' : ''}`,
          }
        : {
            en: `${bad.length} of ${events.length} events do not verify (first: seq ${bad[0]?.seq ?? '?'})`,
            nl: `${bad.length} van de ${events.length} events kloppen niet (eerste: seq ${bad[0]?.seq ?? '?'})`,
          },
    ),
  );

  // Flip one bit in the middle of the signed data of a good event, and one in its signature.
  const good = events.find((event) => !bad.includes(event));
  if (!good) {
    results.push(
      result('feed.flipped-byte', T.flipped, 'fail', {
        en: 'no event verifies, so nothing to flip',
        nl: 'geen enkel event klopt, dus niets om om te draaien',
      }),
    );
    return results;
  }
  const bytes = signedBytes(good);
  const dataAt = bytes.indexOf('"data":') + 8;
  const flipped = Buffer.from(bytes);
  const at = Math.min(flipped.length - 2, dataAt + Math.floor((flipped.length - dataAt) / 2));
  flipped[at] = (flipped[at] ?? 0) ^ 0x01;
  const signature = Buffer.from(good.signature, 'base64');
  signature[signature.length >> 1] = (signature[signature.length >> 1] ?? 0) ^ 0x01;
  const dataRefused = !verifyBytes(key.key, flipped, good.signature);
  const signatureRefused = !verifyBytes(key.key, bytes, signature.toString('base64'));
  const ok = dataRefused && signatureRefused;
  results.push(
    result(
      'feed.flipped-byte',
      T.flipped,
      ok ? 'pass' : 'fail',
      ok
        ? {
            en: `event ${good.seq}: a flipped data byte and a flipped signature byte are both refused`,
            nl: `event ${good.seq}: een omgedraaide databyte en signatuurbyte worden allebei geweigerd`,
          }
        : {
            en: `event ${good.seq}: a flipped byte still verifies`,
            nl: `event ${good.seq}: een omgedraaide byte klopt nog steeds`,
          },
    ),
  );
  return results;
}
