import { createPublicKey, hash, verify } from 'node:crypto';
import { UserError } from '@consent-mailer/policy';
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import { addressIdentity, lookupHashes } from './address-identity.js';
import { canonicalJson, canonicalSha256 } from './canonical-json.js';
import { addConsentTextVersion } from './consent-text-version.repository.js';
import { upsertContact } from './contact-upsert.js';
import { findDeliveryFor } from './delivery-queries.js';
import type { Database } from './database.js';
import { appendEvent, type Executor } from './event-log.js';
import { addToList, createList } from './list.repository.js';
import type { OptinEventRow, OptinServiceRow } from './optin.table.js';
import { addSuppression, suppressedHashes } from './suppression.repository.js';
import { inTransaction } from './transaction.js';

/** An event as the service's `GET /events` publishes it (apps/optin/src/feed.ts). */
export interface OptinFeedEvent {
  seq: number;
  id: string;
  type: string;
  at: string;
  data: Record<string, unknown>;
  signature: string;
}

/** What one recorded page did. */
export interface OptinFeedResult {
  /** Events new to this database, recorded and applied. */
  recorded: number;
  /** Events already held (a page pulled twice): ignored. */
  duplicates: number;
  /** Contacts with a confirmed double opt-in written (new or updated). */
  confirmed: number;
  /** Addresses put on the suppression list. */
  suppressed: number;
  /** Sign-ups still waiting for their confirmation. */
  pending: number;
  /** The highest seq held after this page. */
  lastSeq: number;
}

/** The source every write of the feed carries (suppressions, list memberships). */
export const OPTIN_SOURCE = 'OPTIN_SERVICE';

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

/** True when `signature` is the pinned key's signature over the event's id, type, time and data. */
export function verifyOptinEvent(publicKeyPem: string, event: OptinFeedEvent): boolean {
  try {
    const body = canonicalJson({ id: event.id, type: event.type, at: event.at, data: event.data });
    return verify(
      null,
      Buffer.from(body),
      createPublicKey(publicKeyPem),
      Buffer.from(event.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

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

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function refused(en: string, nl: string): UserError {
  return new UserError('OPTIN_FEED_REFUSED', {
    en: `${en} Nothing of this page was written; the last good pull stands. Check the service (and its key) with the business, then pull again.`,
    nl: `${nl} Niets van deze pagina is opgeslagen; de laatste goede ophaalronde blijft staan. Controleer de service (en de sleutel) met het bedrijf en haal daarna opnieuw op.`,
  });
}

function isFeedEvent(value: unknown): value is OptinFeedEvent {
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

/**
 * Records one page of the service's feed, in one transaction: every event's signature is checked against
 * the PINNED key and the new events must follow the last one held without a gap (any failure refuses the
 * whole page and writes nothing); events already held are ignored. Each new event is stored with its
 * signature and applied: a confirmation becomes a WEB_DOI consent with its full evidence and the lists it
 * named, an unsubscribe a suppression (by the address hash, or through the delivery its token names), a
 * preference change the lists kept. One `optin.feed_pulled` event covers the page (a digest of seq, id
 * and signature of each event). A page with nothing new only moves the pull bookkeeping.
 *
 * @throws {UserError} OPTIN_FEED_REFUSED (bad signature, malformed event, a gap), OPTIN_NOT_PAIRED
 * @example
 * const result = await recordOptinFeed(db, { serviceId, events: body.events, at: now.toISOString() });
 */
export async function recordOptinFeed(
  db: Executor,
  input: { serviceId: string; events: readonly unknown[]; at: string },
): Promise<OptinFeedResult> {
  return inTransaction(db, async (trx) => {
    const service = await trx
      .selectFrom('optin_service')
      .selectAll()
      .where('id', '=', input.serviceId)
      .where('unpaired_at', 'is', null)
      .executeTakeFirst();
    if (service === undefined) throw notPaired();
    const events: OptinFeedEvent[] = [];
    for (const candidate of input.events) {
      if (!isFeedEvent(candidate)) {
        throw refused(
          'The opt-in service sent an event that is not in the feed format.',
          'De opt-in-service stuurde een gebeurtenis die niet in het feedformaat is.',
        );
      }
      if (!verifyOptinEvent(service.public_key, candidate)) {
        throw refused(
          `Event ${candidate.seq} of the opt-in service does not carry a valid signature of the pinned key (${service.key_fingerprint.slice(0, 16)}…): it was changed on the way or signed by someone else.`,
          `Gebeurtenis ${candidate.seq} van de opt-in-service heeft geen geldige handtekening van de vastgelegde sleutel (${service.key_fingerprint.slice(0, 16)}…): hij is onderweg gewijzigd of door een ander ondertekend.`,
        );
      }
      events.push(candidate);
    }
    const held = new Set(
      events.length === 0
        ? []
        : (
            await trx
              .selectFrom('optin_event')
              .select('event_id')
              .where('service_id', '=', service.id)
              .where(
                'event_id',
                'in',
                events.map((e) => e.id),
              )
              .execute()
          ).map((row) => row.event_id),
    );
    let expected = service.last_pulled_seq + 1;
    const fresh: OptinFeedEvent[] = [];
    let duplicates = 0;
    for (const event of events) {
      if (held.has(event.id) || event.seq < expected) {
        duplicates += 1;
        continue;
      }
      if (event.seq !== expected) {
        throw refused(
          `The opt-in service skipped events: after ${expected - 1} came ${event.seq}, so an unsubscribe could be missing.`,
          `De opt-in-service sloeg gebeurtenissen over: na ${expected - 1} kwam ${event.seq}, dus er kan een afmelding ontbreken.`,
        );
      }
      fresh.push(event);
      expected += 1;
    }
    const result: OptinFeedResult = {
      recorded: fresh.length,
      duplicates,
      confirmed: 0,
      suppressed: 0,
      pending: 0,
      lastSeq: expected - 1,
    };
    for (const event of fresh) {
      const applied = await applyEvent(trx, service, event, input.at);
      if (applied.outcome === 'CONTACT_CONSENTED' || applied.outcome === 'CONTACT_RECONFIRMED')
        result.confirmed += 1;
      if (applied.outcome === 'SUPPRESSED') result.suppressed += 1;
      await trx
        .insertInto('optin_event')
        .values({
          service_id: service.id,
          seq: event.seq,
          event_id: event.id,
          type: event.type,
          at: event.at,
          data: JSON.stringify(event.data),
          signature: event.signature,
          contact_id: applied.contactId,
          outcome: applied.outcome,
          pulled_at: input.at,
        })
        .execute();
    }
    // Sign-ups of this page that no confirmation (in this page or later) has answered yet.
    const signupIds = fresh
      .filter((e) => e.type === 'signed_up')
      .map((e) => str(e.data.signupId))
      .filter((id): id is string => id !== undefined);
    if (signupIds.length > 0) {
      const answered = await trx
        .selectFrom('optin_event')
        .select(sql<string>`json_extract(data, '$.signupId')`.as('signup_id'))
        .where('service_id', '=', service.id)
        .where('type', '=', 'confirmed')
        .where(sql<string>`json_extract(data, '$.signupId')`, 'in', signupIds)
        .execute();
      result.pending = signupIds.length - new Set(answered.map((row) => row.signup_id)).size;
    }
    await trx
      .updateTable('optin_service')
      .set({
        // The sealed position moves only with the page's event; a page with nothing new is bookkeeping.
        ...(fresh.length > 0 ? { last_pulled_seq: result.lastSeq } : {}),
        last_pull_at: input.at,
        last_pull_ok_at: input.at,
        last_pull_error: null,
      })
      .where('id', '=', service.id)
      .execute();
    if (fresh.length > 0) {
      await appendEvent(trx, {
        type: 'optin.feed_pulled',
        entity: 'optin_service',
        entityId: service.id,
        at: input.at,
        data: {
          fromSeq: fresh[0]?.seq ?? null,
          toSeq: result.lastSeq,
          events: fresh.length,
          keyFingerprint: service.key_fingerprint,
          pageDigest: canonicalSha256(fresh.map((e) => ({ seq: e.seq, id: e.id, signature: e.signature }))),
          confirmed: result.confirmed,
          suppressed: result.suppressed,
        },
      });
    }
    return result;
  });
}

type Trx = Transaction<Database>;

async function applyEvent(
  trx: Trx,
  service: OptinServiceRow,
  event: OptinFeedEvent,
  at: string,
): Promise<{ outcome: string; contactId: number | null }> {
  const data = event.data;
  if (event.type === 'confirmed') return applyConfirmed(trx, service, data, at);
  if (event.type === 'unsubscribed') {
    let hashValue = str(data.emailHash);
    if (hashValue === undefined || !/^[0-9a-f]{64}$/.test(hashValue)) {
      const token = str(data.token);
      const delivery = token === undefined ? undefined : await findDeliveryFor(trx, { token });
      hashValue = delivery?.address_hash;
    }
    if (hashValue === undefined) return { outcome: 'UNKNOWN_TOKEN', contactId: null };
    await addSuppression(trx, {
      addressHash: hashValue,
      reason: 'UNSUBSCRIBED',
      source: OPTIN_SOURCE,
      note: `opt-in service ${service.url}, ${str(data.via) ?? 'unsubscribe'}, event ${event.seq}`,
      at: str(data.at) ?? event.at,
    });
    return { outcome: 'SUPPRESSED', contactId: await contactIdOf(trx, hashValue) };
  }
  if (event.type === 'preferences_changed') return applyPreferences(trx, service, data, at);
  return { outcome: 'RECORDED', contactId: null };
}

async function contactIdOf(trx: Trx, hashValue: string): Promise<number | null> {
  const row = await trx
    .selectFrom('contact')
    .select('id')
    .where('address_hash', '=', hashValue)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The desktop list a service list id stands for: same id, or same name; created when there is none. */
async function listFor(trx: Trx, serviceList: string, senderEntityId: string, at: string): Promise<string> {
  const found = await trx
    .selectFrom('list')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', serviceList), eb(sql`lower(name)`, '=', serviceList.toLowerCase())]))
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  if (found !== undefined) return found.id;
  return (await createList(trx, { name: serviceList, senderEntityId, at, description: 'opt-in service' })).id;
}

async function applyConfirmed(
  trx: Trx,
  service: OptinServiceRow,
  data: Record<string, unknown>,
  at: string,
): Promise<{ outcome: string; contactId: number | null }> {
  const email = str(data.email);
  // The service keeps addresses only until they are pulled: an event without one has nothing to write.
  if (email === undefined) return { outcome: 'NO_ADDRESS', contactId: null };
  // An address on the suppression list stays there: a sign-up does not lift a desktop opt-out by itself.
  if ((await suppressedHashes(trx, lookupHashes(email))).size > 0)
    return { outcome: 'SUPPRESSED_KEPT', contactId: await contactIdOf(trx, addressIdentity(email).hash) };
  if (str(data.source) === RECONFIRMATION_SOURCE) {
    const reconfirmed = await applyReconfirmed(trx, service, email, data, at);
    if (reconfirmed !== undefined) return reconfirmed;
  }
  const consentText = str(data.consentText);
  let consentTextVersionId: string | undefined;
  if (consentText !== undefined) {
    const version = await addConsentTextVersion(trx, {
      kind: 'CONSENT',
      language: str(data.language) ?? 'nl',
      label: `opt-in form ${str(data.formId) ?? '?'} v${str(data.formVersion) ?? '?'}, text ${str(data.consentTextVersion) ?? '?'}`,
      body: consentText,
      at,
    });
    consentTextVersionId = version.id;
  }
  const serviceLists = Array.isArray(data.lists)
    ? data.lists.filter((l): l is string => typeof l === 'string' && l !== '')
    : [];
  const listIds: string[] = [];
  for (const list of serviceLists) listIds.push(await listFor(trx, list, service.sender_entity_id, at));
  const evidence = {
    signupAt: str(data.signupAt),
    signupIp: str(data.signupIp),
    signupUserAgent: str(data.signupUserAgent),
    source: str(data.source),
    consentTextVersionId,
    confirmMailSentAt: str(data.confirmMailSentAt),
    confirmTokenId: str(data.confirmTokenId),
    confirmedAt: str(data.confirmedAt),
    confirmIp: str(data.confirmIp),
    confirmUserAgent: str(data.confirmUserAgent),
  };
  const { contactId } = await upsertContact(
    trx,
    {
      email,
      consent: {
        method: 'WEB_DOI',
        senderEntityId: service.sender_entity_id,
        scopeLists: listIds.length > 0 ? listIds : 'ALL',
        ...Object.fromEntries(Object.entries(evidence).filter(([, value]) => value !== undefined)),
      },
    },
    { at },
  );
  for (const listId of listIds) await addToList(trx, listId, [contactId], { at, source: OPTIN_SOURCE });
  return { outcome: 'CONTACT_CONSENTED', contactId };
}

/** The `source` the service gives re-permission requests (apps/optin/src/reconfirm.ts). */
export const RECONFIRMATION_SOURCE = 'reconfirmation';

/**
 * A confirmation answering a re-permission request of an EXISTING contact: the consent keeps its method and
 * original evidence (the phone call, the paper form, the first sign-up) and gains `reconfirmedAt` and the
 * confirm* fields, so the rules judge it as WEB_DOI from then on (docs/policy-rules.md section 4). Returns
 * undefined when there is no such consent (the confirmation is then recorded as a fresh sign-up).
 */
async function applyReconfirmed(
  trx: Trx,
  service: OptinServiceRow,
  email: string,
  data: Record<string, unknown>,
  at: string,
): Promise<{ outcome: string; contactId: number | null } | undefined> {
  const identity = addressIdentity(email);
  const contactId = await contactIdOf(trx, identity.hash);
  if (contactId === null) return undefined;
  const consent = await trx
    .selectFrom('consent')
    .selectAll()
    .where('contact_id', '=', contactId)
    .where('sender_entity_id', '=', service.sender_entity_id)
    .executeTakeFirst();
  if (consent === undefined) return undefined;
  const confirmedAt = str(data.confirmedAt);
  if (confirmedAt === undefined) return { outcome: 'RECORDED', contactId };
  const fields = {
    reconfirmed_at: confirmedAt,
    confirmed_at: confirmedAt,
    confirm_mail_sent_at: str(data.confirmMailSentAt) ?? null,
    confirm_token_id: str(data.confirmTokenId) ?? null,
    confirm_ip: str(data.confirmIp) ?? null,
    confirm_user_agent: str(data.confirmUserAgent) ?? null,
  };
  await trx
    .updateTable('consent')
    .set({ ...fields, updated_at: at })
    .where('id', '=', consent.id)
    .execute();
  await appendEvent(trx, {
    type: 'consent.updated',
    entity: 'consent',
    entityId: consent.id,
    at,
    data: {
      contactId,
      senderEntityId: consent.sender_entity_id,
      method: consent.method,
      reconfirmedAt: confirmedAt,
      source: OPTIN_SOURCE,
    },
    personal: { email: identity.email, evidence: fields },
    subjectHash: identity.hash,
  });
  return { outcome: 'CONTACT_RECONFIRMED', contactId };
}

async function applyPreferences(
  trx: Trx,
  service: OptinServiceRow,
  data: Record<string, unknown>,
  at: string,
): Promise<{ outcome: string; contactId: number | null }> {
  const hashValue = str(data.emailHash);
  const contactId = hashValue === undefined ? null : await contactIdOf(trx, hashValue);
  if (contactId === null) return { outcome: 'NO_CONTACT', contactId: null };
  const names = (value: unknown) =>
    Array.isArray(value) ? value.filter((l): l is string => typeof l === 'string' && l !== '') : [];
  const kept: string[] = [];
  for (const list of names(data.lists)) kept.push(await listFor(trx, list, service.sender_entity_id, at));
  const removed: string[] = [];
  for (const list of names(data.removed)) {
    const found = await trx
      .selectFrom('list')
      .select('id')
      .where((eb) => eb.or([eb('id', '=', list), eb(sql`lower(name)`, '=', list.toLowerCase())]))
      .executeTakeFirst();
    if (found !== undefined && !kept.includes(found.id)) removed.push(found.id);
  }
  if (removed.length > 0) {
    await trx
      .deleteFrom('list_membership')
      .where('contact_id', '=', contactId)
      .where('list_id', 'in', removed)
      .execute();
    for (const listId of removed) {
      await appendEvent(trx, {
        type: 'list.members_removed',
        entity: 'list',
        entityId: listId,
        at,
        data: { contactIds: [contactId], source: OPTIN_SOURCE },
      });
    }
  }
  // The consent covers only the lists kept from now on (rule G6 keeps the others from mailing).
  const consent = await trx
    .updateTable('consent')
    .set({ scope_lists: JSON.stringify(kept), updated_at: at })
    .where('contact_id', '=', contactId)
    .where('sender_entity_id', '=', service.sender_entity_id)
    .returning('id')
    .executeTakeFirst();
  if (consent !== undefined) {
    await appendEvent(trx, {
      type: 'consent.updated',
      entity: 'consent',
      entityId: consent.id,
      at,
      data: { contactId, scopeLists: kept, source: OPTIN_SOURCE },
    });
  }
  return { outcome: 'LISTS_CHANGED', contactId };
}

/** Fields of pulled events that are about the person (erased with them). */
const PERSONAL_FIELDS = [
  'email',
  'signupIp',
  'signupUserAgent',
  'source',
  'confirmIp',
  'confirmUserAgent',
  'confirmRawMime',
  'confirmSmtpReply',
  'confirmMessageId',
] as const;

/**
 * Erasure (GDPR art. 17): removes the personal fields (address, IPs, user agents, the raw confirmation
 * mail) from the pulled events of these address hashes or this contact; the hash, times and signature
 * stay, with `erased: true` (the signature no longer matches the data, on purpose). Call it inside the
 * erasure's transaction, before the contact is deleted.
 */
export async function eraseOptinEvents(
  trx: Executor,
  hashes: readonly string[],
  contactId: number | null,
): Promise<number> {
  const rows = await trx
    .selectFrom('optin_event')
    .select(['id', 'data'])
    .where((eb) =>
      eb.or([
        eb(sql<string>`json_extract(data, '$.emailHash')`, 'in', [...hashes]),
        ...(contactId === null ? [] : [eb('contact_id', '=', contactId)]),
      ]),
    )
    .execute();
  for (const row of rows) {
    const data = JSON.parse(row.data) as Record<string, unknown>;
    for (const field of PERSONAL_FIELDS) delete data[field];
    data.erased = true;
    await trx
      .updateTable('optin_event')
      .set({ data: JSON.stringify(data) })
      .where('id', '=', row.id)
      .execute();
  }
  return rows.length;
}

/** What the service answered for one address of a re-permission request (apps/optin/src/reconfirm.ts). */
export type ReconfirmRequestStatus = 'sent' | 'suppressed' | 'limited' | 'mail_failed' | 'invalid';

/**
 * Records one chunk of re-permission requests posted to the service, with an `optin.reconfirmation_requested`
 * event: the contact ids, what the service answered per status, and a digest of (contact, address hash,
 * status) of the chunk. No addresses in the chain.
 *
 * @example
 * await recordReconfirmationRequest(db, { serviceId, mailingId, requests: [{ contactId: 7, addressHash, status: 'sent' }], at });
 */
export async function recordReconfirmationRequest(
  db: Executor,
  input: {
    serviceId: string;
    mailingId: string | null;
    requests: readonly { contactId: number; addressHash: string; status: ReconfirmRequestStatus }[];
    at: string;
  },
): Promise<{ seq: number }> {
  const counts: Record<ReconfirmRequestStatus, number> = {
    sent: 0,
    suppressed: 0,
    limited: 0,
    mail_failed: 0,
    invalid: 0,
  };
  for (const request of input.requests) counts[request.status] += 1;
  const { seq } = await appendEvent(db, {
    type: 'optin.reconfirmation_requested',
    entity: 'optin_service',
    entityId: input.serviceId,
    at: input.at,
    data: {
      mailingId: input.mailingId,
      contactIds: input.requests.map((r) => r.contactId),
      sentContactIds: input.requests.filter((r) => r.status === 'sent').map((r) => r.contactId),
      counts,
      digest: canonicalSha256(
        input.requests.map((r) => ({ contactId: r.contactId, addressHash: r.addressHash, status: r.status })),
      ),
    },
  });
  return { seq };
}

/**
 * Re-permission so far (for one mailing, or all): how many people were sent a request, and how many of
 * them have confirmed since (pulled `confirmed` events of the service's re-permission requests).
 *
 * @example
 * await reconfirmationStatus(db, { mailingId }); // { requested: 2, confirmed: 1, … }
 */
export async function reconfirmationStatus(
  db: Executor,
  input: { mailingId?: string },
): Promise<{ requested: number; confirmed: number; notSent: number; lastRequestedAt: string | null }> {
  let query = db
    .selectFrom('event')
    .select(['data', 'at'])
    .where('type', '=', 'optin.reconfirmation_requested')
    .orderBy('seq');
  if (input.mailingId !== undefined)
    query = query.where(sql<string>`json_extract(data, '$.mailingId')`, '=', input.mailingId);
  const rows = await query.execute();
  const sent = new Set<number>();
  const asked = new Set<number>();
  let lastRequestedAt: string | null = null;
  for (const row of rows) {
    const data = JSON.parse(row.data) as { contactIds?: number[]; sentContactIds?: number[] };
    for (const id of data.contactIds ?? []) asked.add(id);
    for (const id of data.sentContactIds ?? []) sent.add(id);
    lastRequestedAt = row.at;
  }
  if (sent.size === 0) return { requested: 0, confirmed: 0, notSent: asked.size, lastRequestedAt };
  const confirmed = await db
    .selectFrom('optin_event')
    .select('contact_id')
    .distinct()
    .where('type', '=', 'confirmed')
    .where('outcome', '=', 'CONTACT_RECONFIRMED')
    .where('contact_id', 'in', [...sent])
    .execute();
  return {
    requested: sent.size,
    confirmed: confirmed.length,
    notSent: [...asked].filter((id) => !sent.has(id)).length,
    lastRequestedAt,
  };
}
