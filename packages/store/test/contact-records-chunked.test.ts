import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addSuppression,
  addToList,
  createList,
  importContacts,
  loadContactRecords,
  loadListRecordsInChunks,
  upsertContact,
  type Store,
} from '../src/index.js';
import { AT, addSenderEntity, openTempStore } from '../src/testing/index.js';

let store: Store;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  const temp = await openTempStore();
  store = temp.store;
  cleanup = temp.cleanup;
});
afterEach(async () => cleanup());

describe('loading a mailing list in pages', () => {
  it('gives exactly the records of the one-query load, in order, whatever the page size', async () => {
    const entity = await addSenderEntity(store);
    const list = await createList(store.db, { name: 'Nieuwsbrief', at: AT });
    const counts = await importContacts(
      store.db,
      Array.from({ length: 23 }, (_, i) => ({
        email: `klant${i}@example.nl`,
        firstName: `Klant${i}`,
        recipientKind: 'CONSUMER' as const,
        method: 'PAPER' as const,
        senderEntityId: entity,
        scopeLists: 'ALL' as const,
        paperScanRef: 'ordner 1',
      })),
      { at: AT, listId: list.id },
    );
    expect(counts.imported).toBe(23);
    // A member without consent (IMPORTED_UNKNOWN record) and a suppressed member, in the middle of a page.
    const bare = await upsertContact(store.db, { email: 'zonder@example.nl' }, { at: AT });
    await addToList(store.db, list.id, [bare.contactId], { at: AT });
    await addSuppression(store.db, {
      email: 'klant7@example.nl',
      reason: 'UNSUBSCRIBED',
      source: 'CLI',
      at: AT,
    });

    const whole = await loadContactRecords(store.db, { listId: list.id, senderEntityId: entity });
    expect(whole).toHaveLength(24);
    for (const pageRows of [1, 5, 23, 24, 1000])
      expect(
        await loadListRecordsInChunks(store.db, { listId: list.id, senderEntityId: entity }, { pageRows }),
      ).toEqual(whole);
    const klant7 = whole.find((r) => r.record.email === 'klant7@example.nl');
    expect(klant7?.record).toHaveProperty('unsubscribedAt');
    expect(whole.find((r) => r.record.email === 'zonder@example.nl')?.record.method).toBe('IMPORTED_UNKNOWN');
  });
});

describe('loading a mailing list reads every piece of evidence', () => {
  it('gives the same records as loading the contacts by id, for consents with every field filled', async () => {
    const entity = await addSenderEntity(store);
    const list = await createList(store.db, { name: 'Nieuwsbrief', at: AT });
    const full = {
      recipientKind: 'CONSUMER' as const,
      senderEntityId: entity,
      scopeLists: [list.id],
      signupAt: '2026-02-12T17:59:31.000Z',
      signupIp: '192.0.2.1',
      signupUserAgent: 'Mozilla/5.0 "quoted" \\ and ünïcödé',
      source: 'https://bakkerij.nl/nieuwsbrief?a=1&b=[2]',
      consentTextVersionId: 'ctv-1',
      confirmMailSentAt: '2026-02-12T18:00:00.000Z',
      confirmTokenId: 'tok-1',
      confirmedAt: '2026-02-12T18:06:58.000Z',
      confirmIp: '192.0.2.2',
      confirmUserAgent: 'Mozilla/5.0\nwith a line break',
      lastDeliveredAt: '2026-10-01T08:00:00.000Z',
      lastEngagedAt: '2026-10-02T08:00:00.000Z',
      reconfirmedAt: '2026-09-01T08:00:00.000Z',
      trackingConsentAt: '2026-02-12T18:06:58.000Z',
      softBounces: [{ at: '2026-11-01T00:00:00Z', mailingId: 'x1' }],
    };
    await importContacts(
      store.db,
      [
        { email: 'web@example.nl', method: 'WEB_DOI' as const, ...full },
        {
          email: 'klant@example.nl',
          method: 'CUSTOMER' as const,
          ...full,
          orderRef: 'B-1001',
          orderPaid: true,
          orderAt: '2026-03-01',
          lastPurchaseAt: '2026-10-01',
          purchaseCategories: ['brood', 'gebak'],
          optOutOfferedAtCollection: 'YES',
          collectionTextVersionId: 'ctv-2',
          customerRelationship: 'PAID_ORDER',
        },
        { email: 'gratis@example.nl', method: 'CUSTOMER' as const, ...full, orderPaid: false },
        {
          email: 'bel@example.nl',
          method: 'PHONE' as const,
          ...full,
          phoneAgent: 'Anouk',
          phoneRecordingRef: 'rec-7',
          paperScanRef: 'ordner 2',
        },
        {
          email: 'zakelijk@example.nl',
          method: 'B2B_PUBLISHED' as const,
          ...full,
          publishedUrl: 'https://example.nl/contact',
          publishedCapturedAt: '2026-01-01T00:00:00.000Z',
          publishedPurpose: 'inkoop',
          attestationId: 'att-1',
          unsubscribedAt: '2026-11-02T00:00:00.000Z',
          objectedAt: '2026-11-03T00:00:00.000Z',
          complaintAt: '2026-11-04T00:00:00.000Z',
          complaintSource: 'ARF',
          hardBounceAt: '2026-11-05T00:00:00.000Z',
          hardBounceStatus: '5.1.1',
        },
      ],
      { at: AT, listId: list.id },
    );
    const byList = await loadContactRecords(store.db, { listId: list.id, senderEntityId: entity });
    const byId = await loadContactRecords(store.db, {
      contactIds: byList.map((loaded) => loaded.contactId),
      senderEntityId: entity,
    });
    expect(byList).toHaveLength(5);
    expect(byList).toEqual(byId);
    const customer = byList.find((loaded) => loaded.record.email === 'klant@example.nl')?.record;
    expect(customer).toMatchObject({ orderPaid: true, purchaseCategories: ['brood', 'gebak'] });
    expect(byList.find((loaded) => loaded.record.email === 'gratis@example.nl')?.record.orderPaid).toBe(
      false,
    );
  });
});
