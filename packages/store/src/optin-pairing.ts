// Pairing with an opt-in service (its key pinned), unpairing, and the bookkeeping of pulls.
import { UserError } from '@consent-mailer/policy';
import { sql } from 'kysely';
import { appendEvent, type Executor } from './event-log.js';
import type { OptinEventRow, OptinServiceRow } from './optin.table.js';
import { inTransaction } from './transaction.js';
import { optinKeyFingerprint } from './optin-feed-event.js';

/**
 * The paired service (not unpaired), or undefined when this installation is not paired.
 *
 * @example
 * const service = await getPairedOptinService(db);
 */
export async function getPairedOptinService(db: Executor): Promise<OptinServiceRow | undefined> {
  return db
    .selectFrom('optin_service')
    .selectAll()
    .where('unpaired_at', 'is', null)
    .orderBy('paired_at', 'desc')
    .executeTakeFirst();
}

/**
 * Pairs with a service and pins its key, with an `optin_service.paired` event. Pairing again with the same
 * URL after an unpair keeps where the pull stood (the service forgets what was pulled); a second service
 * while one is paired, or a different key for the paired one, is refused.
 *
 * @throws {UserError} OPTIN_ALREADY_PAIRED, OPTIN_KEY_CHANGED, OPTIN_KEY_INVALID
 * @example
 * await pairOptinService(db, { id, url: 'https://optin.shop.nl', publicKey, senderEntityId: 'bakkerij', tokenRef: 'optin:feed-token', at });
 */
export async function pairOptinService(
  db: Executor,
  input: { id: string; url: string; publicKey: string; senderEntityId: string; tokenRef: string; at: string },
): Promise<OptinServiceRow> {
  const fingerprint = optinKeyFingerprint(input.publicKey);
  return inTransaction(db, async (trx) => {
    const entity = await trx
      .selectFrom('sender_entity')
      .select('id')
      .where('id', '=', input.senderEntityId)
      .executeTakeFirst();
    if (entity === undefined) {
      throw new UserError('OPTIN_ENTITY_NOT_FOUND', {
        en: `There is no sender entity "${input.senderEntityId}". Add it first (entity add), then pair again.`,
        nl: `Er is geen afzender "${input.senderEntityId}". Voeg die eerst toe (entity add) en koppel opnieuw.`,
      });
    }
    const paired = await getPairedOptinService(trx);
    if (paired !== undefined && paired.url !== input.url) {
      throw new UserError('OPTIN_ALREADY_PAIRED', {
        en: `This installation is paired with ${paired.url}. Unpair it first (optin unpair), then pair with ${input.url}.`,
        nl: `Deze installatie is gekoppeld aan ${paired.url}. Ontkoppel die eerst (optin unpair) en koppel dan ${input.url}.`,
      });
    }
    if (paired !== undefined && paired.key_fingerprint !== fingerprint) {
      throw new UserError('OPTIN_KEY_CHANGED', {
        en: `The opt-in service at ${input.url} now shows another signing key (${fingerprint.slice(0, 16)}…, pinned ${paired.key_fingerprint.slice(0, 16)}…). Nothing was changed. If the business really replaced the key, unpair and pair again; otherwise someone may be impersonating the service.`,
        nl: `De opt-in-service op ${input.url} toont nu een andere ondertekensleutel (${fingerprint.slice(0, 16)}…, vastgelegd ${paired.key_fingerprint.slice(0, 16)}…). Er is niets gewijzigd. Heeft het bedrijf de sleutel echt vervangen, ontkoppel dan en koppel opnieuw; anders doet iemand zich misschien voor als de service.`,
      });
    }
    const previous = await trx
      .selectFrom('optin_service')
      .selectAll()
      .where('url', '=', input.url)
      .executeTakeFirst();
    let row: OptinServiceRow;
    if (previous === undefined) {
      row = await trx
        .insertInto('optin_service')
        .values({
          id: input.id,
          url: input.url,
          public_key: input.publicKey,
          key_fingerprint: fingerprint,
          sender_entity_id: input.senderEntityId,
          token_ref: input.tokenRef,
          paired_at: input.at,
          unpaired_at: null,
          last_pull_at: null,
          last_pull_ok_at: null,
          last_pull_error: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } else {
      row = await trx
        .updateTable('optin_service')
        .set({
          public_key: input.publicKey,
          key_fingerprint: fingerprint,
          sender_entity_id: input.senderEntityId,
          token_ref: input.tokenRef,
          paired_at: input.at,
          unpaired_at: null,
          last_pull_error: null,
        })
        .where('id', '=', previous.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    await appendEvent(trx, {
      type: 'optin_service.paired',
      entity: 'optin_service',
      entityId: row.id,
      at: input.at,
      data: {
        url: row.url,
        keyFingerprint: fingerprint,
        senderEntityId: row.sender_entity_id,
        lastPulledSeq: row.last_pulled_seq,
      },
    });
    return row;
  });
}

/**
 * Ends the pairing (the pulled events and what they did stay), with an `optin_service.unpaired` event.
 *
 * @throws {UserError} OPTIN_NOT_PAIRED
 */
export async function unpairOptinService(db: Executor, at: string): Promise<OptinServiceRow> {
  return inTransaction(db, async (trx) => {
    const paired = await getPairedOptinService(trx);
    if (paired === undefined) throw notPaired();
    const row = await trx
      .updateTable('optin_service')
      .set({ unpaired_at: at })
      .where('id', '=', paired.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(trx, {
      type: 'optin_service.unpaired',
      entity: 'optin_service',
      entityId: row.id,
      at,
      data: { url: row.url, lastPulledSeq: row.last_pulled_seq },
    });
    return row;
  });
}

/** The error for a command that needs a pairing when there is none. */
export function notPaired(): UserError {
  return new UserError('OPTIN_NOT_PAIRED', {
    en: 'This installation is not paired with an opt-in service. Pair first: optin pair <url> --token <feed token> --entity <id>.',
    nl: 'Deze installatie is niet gekoppeld aan een opt-in-service. Koppel eerst: optin pair <url> --token <feedtoken> --entity <id>.',
  });
}

/** Notes a pull that failed (the service unreachable, a refused page): bookkeeping only, no event. */
export async function recordOptinPullFailure(
  db: Executor,
  serviceId: string,
  error: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('optin_service')
    .set({ last_pull_at: at, last_pull_error: error.slice(0, 2000) })
    .where('id', '=', serviceId)
    .execute();
}

/** The latest pulled events, newest first, for the owner's view of sign-ups as they arrive. */
export async function listOptinEvents(
  db: Executor,
  options: { serviceId?: string; limit?: number } = {},
): Promise<OptinEventRow[]> {
  let query = db
    .selectFrom('optin_event')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(options.limit ?? 50, 1), 1000));
  if (options.serviceId !== undefined) query = query.where('service_id', '=', options.serviceId);
  return query.execute();
}

/** Counts of pulled events by type, and sign-ups not (yet) confirmed. */
export async function countOptinEvents(
  db: Executor,
  serviceId: string,
): Promise<{ byType: Record<string, number>; pendingSignups: number }> {
  const rows = await db
    .selectFrom('optin_event')
    .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('service_id', '=', serviceId)
    .groupBy('type')
    .execute();
  const { rows: pending } = await sql<{ n: number }>`
    SELECT count(*) AS n FROM optin_event s
    WHERE s.service_id = ${serviceId} AND s.type = 'signed_up'
      AND NOT EXISTS (SELECT 1 FROM optin_event c WHERE c.service_id = s.service_id AND c.type = 'confirmed'
        AND json_extract(c.data, '$.signupId') = json_extract(s.data, '$.signupId'))`.execute(db);
  return {
    byType: Object.fromEntries(rows.map((row) => [row.type, Number(row.n)])),
    pendingSignups: Number(pending[0]?.n ?? 0),
  };
}
