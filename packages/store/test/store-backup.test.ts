import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backupStore,
  countContacts,
  getContactByEmail,
  importContacts,
  inspectBackup,
  openStore,
  restoreStore,
  verifyChain,
  type ImportContactRow,
  type Store,
} from '../src/index.js';
import { AT, addSenderEntity, openTempStore } from '../src/testing/index.js';

let store: Store;
let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  const temp = await openTempStore();
  ({ store, dir, cleanup } = temp);
  await addSenderEntity(store);
});
afterEach(async () => {
  await cleanup();
});

function rows(prefix: string, count: number): ImportContactRow[] {
  return Array.from({ length: count }, (_, index) => ({
    email: `${prefix}${index}@example.nl`,
    recipientKind: 'CONSUMER' as const,
    method: 'WEB_SOI' as const,
    senderEntityId: 'bakkerij',
    scopeLists: 'ALL' as const,
    signupAt: AT,
    source: 'https://bakkerij.nl',
  }));
}

describe('backup and restore', () => {
  it('backs up while writes go on, and restores the state of the backup', async () => {
    await importContacts(store.db, rows('before', 2000), { at: AT });
    const out = join(dir, 'backup.sqlite');
    // Writes racing the backup must neither fail nor corrupt the copy.
    const [info] = await Promise.all([
      backupStore(store, out),
      importContacts(store.db, rows('during', 500), { at: AT }),
    ]);
    expect(info.events).toBeGreaterThanOrEqual(1);
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
    const copied = await inspectBackup(out);
    expect(copied.headHash).toBe(info.headHash);

    await importContacts(store.db, rows('after', 100), { at: AT });
    expect(await countContacts(store.db)).toBe(2600);

    const restored = await restoreStore(store, out, { at: AT });
    expect(restored.sha256).toBe(info.sha256);
    // The same open store sees the restored content at once.
    const count = await countContacts(store.db);
    expect([2000, 2500]).toContain(count);
    expect(await getContactByEmail(store.db, 'after1@example.nl')).toBeNull();
    expect(await getContactByEmail(store.db, 'before1999@example.nl')).not.toBeNull();
    const chain = await verifyChain(store.db);
    expect(chain).toMatchObject({ ok: true, events: info.events + 1 });
    const last = await store.db
      .selectFrom('event')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(last.type).toBe('store.restored');

    // And it reopens cleanly, in WAL mode.
    await store.close();
    const reopened = await openStore({ path: store.path });
    expect(reopened.health?.chain?.ok).toBe(true);
    expect(reopened.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    store = reopened;
  });

  it('refuses to restore a file that is not a sound Consent Mailer backup, and changes nothing', async () => {
    await importContacts(store.db, rows('keep', 10), { at: AT });
    const bogus = join(dir, 'bogus.sqlite');
    writeFileSync(bogus, 'not a database at all'.repeat(100));
    await expect(restoreStore(store, bogus, { at: AT })).rejects.toMatchObject({
      code: 'STORE_BACKUP_INVALID',
    });
    await expect(restoreStore(store, join(dir, 'missing.sqlite'), { at: AT })).rejects.toMatchObject({
      code: 'STORE_BACKUP_INVALID',
      text: { en: expect.stringContaining('does not exist') as unknown },
    });
    await expect(backupStore(store, store.path)).rejects.toMatchObject({ code: 'STORE_BACKUP_SAME_FILE' });
    expect(await countContacts(store.db)).toBe(10);
  });
});
