import { afterEach, describe, expect, it } from 'vitest';
import { queueDeliveries, recordDeliveryOutcomes, type Store } from '../src/index.js';
import { ledgerFixture, type LedgerFixture } from './ledger-fixture.js';

// `last_delivered_at` decides a verdict (a consent not mailed for years lapses), so a sent message must set
// it on the consent of that mailing's sender and on no other; both write paths are tried.
describe('recording what the server accepted', () => {
  let fixture: LedgerFixture;
  let store: Store;
  afterEach(async () => {
    await store.close();
    fixture.cleanup();
  });

  const deliveredAt = async () =>
    Object.fromEntries(
      (
        await store.db
          .selectFrom('consent')
          .innerJoin('contact', 'contact.id', 'consent.contact_id')
          .select(['contact.email', 'consent.last_delivered_at'])
          .execute()
      ).map((row) => [row.email, row.last_delivered_at]),
    );

  it('sets last_delivered_at on the consents of exactly the accepted deliveries', async () => {
    fixture = await ledgerFixture();
    store = await fixture.open();
    // The fixture sent its mailing to its first three contacts through the outbox's synchronous path.
    const after = await deliveredAt();
    const delivered = Object.entries(after).filter(([, at]) => at !== null);
    expect(delivered).toHaveLength(3);
    expect(after['jan@example.nl']).toBeNull();

    // A mixed group (one accepted, one deferred) takes the transactional path.
    const jan = await store.db
      .selectFrom('contact')
      .select('id')
      .where('email', '=', 'jan@example.nl')
      .executeTakeFirstOrThrow();
    const other = await store.db
      .selectFrom('contact')
      .select(['id', 'email'])
      .where('email', '=', 'onbekend10@example.nl')
      .executeTakeFirstOrThrow();
    await queueDeliveries(store.db, {
      mailingId: fixture.mailingId,
      at: '2026-11-29T08:00:00.000Z',
      recipients: [
        { contactId: jan.id, email: 'jan@example.nl', unsubscribeToken: 'token-jan' },
        { contactId: other.id, email: other.email, unsubscribeToken: 'token-other' },
      ].map((r) => ({
        ...r,
        classification: 'ALLOWED_PROVEN' as const,
        method: 'WEB_DOI' as const,
        firstMailing: false,
      })),
    });
    const queued = await store.db
      .selectFrom('delivery')
      .select(['id', 'contact_id'])
      .where('state', '=', 'QUEUED')
      .execute();
    const at = '2026-11-29T09:00:00.000Z';
    await recordDeliveryOutcomes(
      store.db,
      queued.map((d) => ({
        id: d.id,
        outcome:
          d.contact_id === jan.id
            ? { kind: 'SENT' as const, reply: '250 2.0.0 Ok', code: 250 }
            : {
                kind: 'DEFERRED' as const,
                reply: '451 4.7.1 Try again later',
                code: 451,
                nextAttemptAt: '2026-11-29T10:00:00.000Z',
              },
      })),
      at,
      store.sqlite,
    );
    const now = await deliveredAt();
    expect(now['jan@example.nl']).toBe(at);
    expect(now[other.email]).toBeNull();
    expect(Object.values(now).filter((value) => value === at)).toHaveLength(1);
  });
});
