import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addressHash,
  canonicalJson,
  eraseContact,
  getContactByEmail,
  getPairedOptinService,
  isSuppressed,
  pairOptinService,
  recordOptinFeed,
  verifyChain,
  type OptinFeedEvent,
  type Store,
} from '../src/index.js';
import { AT, addSenderEntity, openTempStore } from '../src/testing/index.js';

let store: Store;
let cleanup: () => Promise<void>;
let key: KeyObject;
let serviceId: string;
let seq = 0;

beforeEach(async () => {
  const temp = await openTempStore();
  store = temp.store;
  cleanup = temp.cleanup;
  await addSenderEntity(store);
  const pair = generateKeyPairSync('ed25519');
  key = pair.privateKey;
  seq = 0;
  const row = await pairOptinService(store.db, {
    id: randomUUID(),
    url: 'https://optin.bakkerij.example',
    publicKey: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    senderEntityId: 'bakkerij',
    tokenRef: 'optin:feed-token',
    at: AT,
  });
  serviceId = row.id;
});
afterEach(async () => {
  await cleanup();
});

/** An event as the service signs it (apps/optin/src/crypto.ts: canonical JSON of id, type, at, data). */
function event(type: string, data: Record<string, unknown>, signer: KeyObject = key): OptinFeedEvent {
  seq += 1;
  const body = { id: randomUUID(), type, at: `2026-11-28T10:00:${String(seq).padStart(2, '0')}.000Z`, data };
  return { seq, ...body, signature: sign(null, Buffer.from(canonicalJson(body)), signer).toString('base64') };
}

function confirmed(email: string, lists: string[]): OptinFeedEvent {
  return event('confirmed', {
    signupId: randomUUID(),
    email,
    emailHash: addressHash(email.toLowerCase()),
    language: 'nl',
    formId: 'newsletter',
    formVersion: '1',
    consentTextVersion: 'v1',
    consentText: 'Ja, stuur mij de nieuwsbrief.',
    lists,
    signupAt: '2026-11-28T09:00:00.000Z',
    signupIp: '192.0.2.10',
    signupUserAgent: 'Mozilla/5.0 Firefox/133.0',
    source: 'https://bakkerij.example/nieuwsbrief',
    confirmTokenId: 'a'.repeat(32),
    confirmMailSentAt: '2026-11-28T09:00:01.000Z',
    confirmMessageId: '<abc@bakkerij.example>',
    confirmedAt: '2026-11-28T09:05:00.000Z',
    confirmIp: '192.0.2.11',
    confirmUserAgent: 'Mozilla/5.0 Firefox/133.0',
  });
}

async function eventCount(): Promise<number> {
  const row = await store.db
    .selectFrom('event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('recordOptinFeed', () => {
  it('refuses a page with a gap in the numbers and writes nothing of it', async () => {
    const first = confirmed('jan@example.nl', ['nieuwsbrief']);
    seq += 1; // event 2 never arrives
    const third = event('unsubscribed', { emailHash: addressHash('kees@example.nl'), lists: 'ALL', at: AT });
    const events = await eventCount();
    await expect(
      recordOptinFeed(store.db, { serviceId, events: [first, third], at: AT }),
    ).rejects.toMatchObject({
      code: 'OPTIN_FEED_REFUSED',
      message: expect.stringContaining('after 1 came 3') as unknown,
    });
    expect(await getContactByEmail(store.db, 'jan@example.nl')).toBeNull();
    expect(await isSuppressed(store.db, 'kees@example.nl')).toBe(false);
    expect(await eventCount()).toBe(events);
    expect((await getPairedOptinService(store.db))?.last_pulled_seq).toBe(0);
  });

  it('ignores a page pulled twice, with one chain event per new page', async () => {
    const page = [confirmed('jan@example.nl', ['nieuwsbrief'])];
    const before = await eventCount();
    expect(await recordOptinFeed(store.db, { serviceId, events: page, at: AT })).toMatchObject({
      recorded: 1,
      confirmed: 1,
    });
    const afterFirst = await eventCount();
    const again = await recordOptinFeed(store.db, { serviceId, events: page, at: AT });
    expect(again).toMatchObject({ recorded: 0, duplicates: 1, lastSeq: 1 });
    expect(await eventCount()).toBe(afterFirst);
    const pulled = await store.db
      .selectFrom('event')
      .select('type')
      .where('seq', '>', before)
      .where('type', '=', 'optin.feed_pulled')
      .execute();
    expect(pulled).toHaveLength(1);
    expect((await verifyChain(store.db)).ok).toBe(true);
  });

  it('never loses an opt-out: an unsubscribe of an address without a contact blocks its later sign-up', async () => {
    await recordOptinFeed(store.db, {
      serviceId,
      events: [
        event('unsubscribed', {
          emailHash: addressHash('kees@example.nl'),
          lists: 'ALL',
          via: 'one-click',
          at: AT,
        }),
      ],
      at: AT,
    });
    expect(await isSuppressed(store.db, 'Kees@Example.NL')).toBe(true);
    const result = await recordOptinFeed(store.db, {
      serviceId,
      events: [confirmed('Kees@example.nl', ['nieuwsbrief'])],
      at: AT,
    });
    expect(result).toMatchObject({ recorded: 1, confirmed: 0 });
    expect(await getContactByEmail(store.db, 'kees@example.nl')).toBeNull();
    const stored = await store.db
      .selectFrom('optin_event')
      .select(['type', 'outcome'])
      .orderBy('seq')
      .execute();
    expect(stored).toEqual([
      { type: 'unsubscribed', outcome: 'SUPPRESSED' },
      { type: 'confirmed', outcome: 'SUPPRESSED_KEPT' },
    ]);
  });

  it('applies a preference change to the lists and the consent scope', async () => {
    await recordOptinFeed(store.db, {
      serviceId,
      events: [confirmed('jan@example.nl', ['nieuwsbrief', 'aanbiedingen'])],
      at: AT,
    });
    const before = await getContactByEmail(store.db, 'jan@example.nl');
    expect(before?.lists).toHaveLength(2);
    await recordOptinFeed(store.db, {
      serviceId,
      events: [
        event('preferences_changed', {
          emailHash: addressHash('jan@example.nl'),
          lists: ['nieuwsbrief'],
          removed: ['aanbiedingen'],
          at: AT,
        }),
      ],
      at: AT,
    });
    const after = await getContactByEmail(store.db, 'jan@example.nl');
    const kept = await store.db
      .selectFrom('list')
      .select('id')
      .where('name', '=', 'nieuwsbrief')
      .executeTakeFirstOrThrow();
    expect(after?.lists).toEqual([kept.id]);
    expect(after?.records[0]?.scopeLists).toEqual([kept.id]);
    expect((await verifyChain(store.db)).ok).toBe(true);
  });

  it('erases what the service reported about a person with the person', async () => {
    await recordOptinFeed(store.db, {
      serviceId,
      events: [confirmed('jan@example.nl', ['nieuwsbrief'])],
      at: AT,
    });
    await eraseContact(store.db, { email: 'jan@example.nl', source: 'CLI', at: AT });
    const rows = await store.db.selectFrom('optin_event').select('data').execute();
    expect(rows).toHaveLength(1);
    const text = rows[0]?.data ?? '';
    expect(text).not.toContain('jan@example.nl');
    expect(text).not.toContain('192.0.2.1');
    expect(text).not.toContain('Firefox');
    expect(JSON.parse(text)).toMatchObject({ erased: true, emailHash: addressHash('jan@example.nl') });
    expect((await verifyChain(store.db)).ok).toBe(true);
  });

  it('refuses an event signed by another key than the pinned one', async () => {
    const foreign = generateKeyPairSync('ed25519').privateKey;
    await expect(
      recordOptinFeed(store.db, {
        serviceId,
        events: [event('signed_up', { email: 'x@example.nl' }, foreign)],
        at: AT,
      }),
    ).rejects.toMatchObject({ code: 'OPTIN_FEED_REFUSED' });
    expect(await store.db.selectFrom('optin_event').selectAll().execute()).toEqual([]);
  });
});
