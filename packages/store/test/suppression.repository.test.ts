import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addSuppression, addressHash, importContacts, suppressedHashes, type Store } from '../src/index.js';
import { AT, addSenderEntity, openTempStore } from '../src/testing/index.js';

let store: Store;
let cleanup: () => Promise<void>;
let entity: string;

beforeEach(async () => {
  const temp = await openTempStore();
  store = temp.store;
  cleanup = temp.cleanup;
  entity = await addSenderEntity(store);
});
afterEach(async () => {
  await cleanup();
});

const address = (index: number): string => `klant${index}@example.nl`;

async function suppress(indexes: number[]): Promise<void> {
  for (const index of indexes) {
    await addSuppression(store.db, { email: address(index), reason: 'UNSUBSCRIBED', source: 'USER', at: AT });
  }
}

// suppressedHashes reads a short list whole and looks a long one up by the hashes: both must find the same.
describe('suppressedHashes', () => {
  const asked = Array.from({ length: 2500 }, (_, index) => addressHash(address(index)));

  it('finds the suppressed ones among thousands of hashes when the list is short', async () => {
    await suppress([3, 1999, 2499, 9000]);
    const found = await suppressedHashes(store.db, asked);
    expect([...found].sort()).toEqual([3, 1999, 2499].map((index) => addressHash(address(index))).sort());
  });

  it('finds the same when the list is longer than is read whole', async () => {
    await suppress([...Array.from({ length: 2100 }, (_, index) => 10_000 + index), 3, 1999, 2499]);
    const found = await suppressedHashes(store.db, asked);
    expect([...found].sort()).toEqual([3, 1999, 2499].map((index) => addressHash(address(index))).sort());
    expect(await suppressedHashes(store.db, [addressHash(address(10_050))])).toEqual(
      new Set([addressHash(address(10_050))]),
    );
  });

  it('keeps suppressed addresses out of a large import', async () => {
    await suppress([7, 2222]);
    const rows = Array.from({ length: 3000 }, (_, index) => ({
      email: address(index),
      recipientKind: 'CONSUMER' as const,
      method: 'PAPER' as const,
      senderEntityId: entity,
      scopeLists: 'ALL' as const,
      paperScanRef: 'ordner 1',
    }));
    const counts = await importContacts(store.db, rows, { at: AT });
    expect(counts).toMatchObject({ imported: 2998, suppressed: 2 });
    const stored = await store.db
      .selectFrom('contact')
      .select('email')
      .where('email', 'in', [address(7), address(2222), address(8)])
      .execute();
    expect(stored.map((row) => row.email)).toEqual([address(8)]);
  });
});
