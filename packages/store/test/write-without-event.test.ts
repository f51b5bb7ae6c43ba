import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendEvent, inTransaction, openStore, verifyChain, type Store } from '../src/index.js';
import { AT, addSenderEntity, openTempStore } from '../src/testing/index.js';

// Issue 12: a write to a sealed table without an event is refused by the writer's own transaction (rolled
// back whole), not only found at the next open.

let store: Store;
let path: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ store, path, cleanup } = await openTempStore());
  await addSenderEntity(store);
});
afterEach(async () => {
  await cleanup();
});

const HASH = 'c'.repeat(64);

async function suppressionCount(): Promise<number> {
  const row = await store.db
    .selectFrom('suppression')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('a transaction that writes a sealed table', () => {
  it('is rolled back, naming the table, when it appends no event', async () => {
    await expect(
      inTransaction(store.db, async (trx) => {
        await trx
          .insertInto('suppression')
          .values({ address_hash: HASH, reason: 'MANUAL', source: 'MANUAL', note: null, created_at: AT })
          .execute();
        // A second table in the same transaction is named too.
        await trx.updateTable('sender_entity').set({ legal_name: 'Ander B.V.' }).execute();
      }),
    ).rejects.toMatchObject({
      code: 'STORE_WRITE_WITHOUT_EVENT',
      text: {
        en: expect.stringContaining(
          'the change to sender_entity (1), suppression (1) has no event',
        ) as unknown,
      },
    });
    expect(await suppressionCount()).toBe(0);
    const entity = await store.db.selectFrom('sender_entity').select('legal_name').executeTakeFirstOrThrow();
    expect(entity.legal_name).toBe('Bakkerij de Vries B.V.');
  });

  it('commits when the event comes after the write, and the file opens clean', async () => {
    await inTransaction(store.db, async (trx) => {
      await trx
        .insertInto('suppression')
        .values({ address_hash: HASH, reason: 'MANUAL', source: 'MANUAL', note: null, created_at: AT })
        .execute();
      await appendEvent(trx, { type: 'suppression.added', entity: 'suppression', at: AT });
    });
    expect(await suppressionCount()).toBe(1);
    await store.close();
    store = await openStore({ path });
    expect(await verifyChain(store.db)).toMatchObject({ ok: true });
  });

  it('is refused when the write comes after the event', async () => {
    await expect(
      inTransaction(store.db, async (trx) => {
        await appendEvent(trx, { type: 'suppression.added', entity: 'suppression', at: AT });
        await trx
          .insertInto('suppression')
          .values({ address_hash: HASH, reason: 'MANUAL', source: 'MANUAL', note: null, created_at: AT })
          .execute();
      }),
    ).rejects.toMatchObject({ code: 'STORE_WRITE_WITHOUT_EVENT' });
    expect(await suppressionCount()).toBe(0);
  });

  it('refuses a single write outside any transaction, which never carries an event', async () => {
    await expect(
      store.db
        .insertInto('suppression')
        .values({ address_hash: HASH, reason: 'MANUAL', source: 'MANUAL', note: null, created_at: AT })
        .execute(),
    ).rejects.toMatchObject({ code: 'STORE_WRITE_WITHOUT_EVENT' });
    expect(await suppressionCount()).toBe(0);
    // A write to a table that is not sealed goes through as before.
    await store.db
      .insertInto('import_mapping')
      .values({ name: 'm', mapping: '{}', created_at: AT, updated_at: AT })
      .execute();
  });

  it('does not blame a raw write made earlier on the next transaction; close seals that write', async () => {
    store.sqlite
      .prepare(
        `INSERT INTO suppression (address_hash, reason, source, created_at) VALUES (?, 'MANUAL', 'MANUAL', ?)`,
      )
      .run(HASH, AT);
    await inTransaction(store.db, async (trx) => {
      await trx.updateTable('import_mapping').set({ name: 'x' }).execute();
    });
    await store.close();
    store = await openStore({ path });
    expect(await verifyChain(store.db)).toMatchObject({ ok: true });
    const sealed = store.sqlite
      .prepare(`SELECT data FROM event WHERE type = 'ledger.sealed' ORDER BY seq DESC LIMIT 1`)
      .pluck()
      .get() as string;
    expect(JSON.parse(sealed)).toMatchObject({ sealedRows: { suppression: { n: 1 } } });
  });
});
