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
