// A pulled page of the opt-in service's feed, verified and applied: sign-ups become contacts with their
// evidence, unsubscribes suppressions, one chained event per page.
// Over 400 lines because each event type's effect is applied in the one transaction that records the page.
import { UserError } from '@consent-mailer/policy';
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import { addressIdentity, lookupHashes } from './address-identity.js';
import { canonicalSha256 } from './canonical-json.js';
import { addConsentTextVersion } from './consent-text-version.repository.js';
import { upsertContact } from './contact-upsert.js';
import { findDeliveryFor } from './delivery-queries.js';
import type { Database } from './database.js';
import { appendEvent, type Executor } from './event-log.js';
import { addToList, createList } from './list.repository.js';
import type { OptinServiceRow } from './optin.table.js';
import { addSuppression, suppressedHashes } from './suppression.repository.js';
import { inTransaction } from './transaction.js';
import { isFeedEvent, str, verifyOptinEvent, type OptinFeedEvent } from './optin-feed-event.js';
import { notPaired } from './optin-pairing.js';

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

function refused(en: string, nl: string): UserError {
  return new UserError('OPTIN_FEED_REFUSED', {
    en: `${en} Nothing of this page was written; the last good pull stands. Check the service (and its key) with the business, then pull again.`,
    nl: `${nl} Niets van deze pagina is opgeslagen; de laatste goede ophaalronde blijft staan. Controleer de service (en de sleutel) met het bedrijf en haal daarna opnieuw op.`,
  });
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
