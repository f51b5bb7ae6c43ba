import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { countContacts, importContacts, MIGRATIONS, openStore } from '@consent-mailer/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addSenderEntity } from '@consent-mailer/store/testing';
import { NOW, openApiFixture } from './store-fixture.js';

let fixture: Awaited<ReturnType<typeof openApiFixture>>;
beforeEach(async () => {
  fixture = await openApiFixture('cm-api-system-');
});
afterEach(async () => {
  await fixture.cleanup();
});

const at = NOW.toISOString();
const row = (email: string) => ({
  email,
  recipientKind: 'CONSUMER' as const,
  method: 'WEB_SOI' as const,
  senderEntityId: 'bakkerij',
  scopeLists: 'ALL' as const,
});

describe('system.init and system.status', () => {
  it('report the migrated database, its counts and a verifying chain', async () => {
    const init = await fixture.caller.system.init();
    expect(init).toMatchObject({
      path: fixture.path,
      migrationsApplied: Object.keys(MIGRATIONS).length,
      pendingMigrations: [],
      counts: { contacts: 0, consents: 0, mailings: 0, events: 0 },
      chain: { ok: true, events: 0 },
      integrity: [],
    });
    expect(init.schemaVersion).toBe(Object.keys(MIGRATIONS).sort().at(-1));
    await addSenderEntity(fixture.store);
    await importContacts(fixture.store.db, [row('a@example.nl'), row('b@example.nl')], { at });
    const status = await fixture.caller.system.status();
    expect(status.counts).toMatchObject({ contacts: 2, consents: 2, events: 1 });
    expect(status.chain.ok).toBe(true);
  });
});

describe('system.backup and system.restore', () => {
  it('backs up into the data folder and restores it, keeping a safety copy of the state it replaced', async () => {
    await addSenderEntity(fixture.store);
    await importContacts(fixture.store.db, [row('kept@example.nl')], { at });
    const backup = await fixture.caller.system.backup({ path: 'my-backup.sqlite' });
    expect(backup.path).toBe(join(fixture.dir, 'my-backup.sqlite'));
    await importContacts(fixture.store.db, [row('later@example.nl')], { at });

    const { restored, safetyBackup } = await fixture.caller.system.restore({
      path: backup.path,
      confirm: true,
    });
    expect(restored.sha256).toBe(backup.sha256);
    expect(existsSync(safetyBackup.path)).toBe(true);
    const status = await fixture.caller.system.status();
    expect(status.counts.contacts).toBe(1);
    expect(status.chain).toMatchObject({ ok: true, events: backup.events + 1 });
    // The safety copy still has the contact the restore removed.
    const safety = await openStore({ path: safetyBackup.path });
    expect(await countContacts(safety.db)).toBe(2);
    await safety.close();
  });

  it('refuses a restore from a file that is not a backup before touching anything', async () => {
    await expect(
      fixture.caller.system.restore({ path: join(fixture.dir, 'nothing-here.sqlite') }),
    ).rejects.toMatchObject({
      cause: { code: 'STORE_BACKUP_INVALID' },
    });
    expect(existsSync(join(fixture.dir, 'backups'))).toBe(false);
  });
});
