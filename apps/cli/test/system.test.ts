import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importContacts, openStore } from '@consent-mailer/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawWrite } from '@consent-mailer/store/testing';
import { runCli } from './cli-harness.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cm-cli-system-'));
  db = join(dir, 'data', 'consent-mailer.sqlite');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function addContacts(emails: string[]): Promise<void> {
  const store = await openStore({ path: db });
  const at = '2026-11-28T12:00:00.000Z';
  await rawWrite(
    store,
    store.db
      .insertInto('sender_entity')
      .values({
        id: 'bakkerij',
        legal_name: 'Bakkerij de Vries B.V.',
        trade_name: null,
        postal_address: null,
        contact_email: null,
        kvk_number: null,
        created_at: at,
        updated_at: at,
      })
      .onConflict((conflict) => conflict.column('id').doNothing()),
  );
  await importContacts(
    store.db,
    emails.map((email) => ({
      email,
      recipientKind: 'CONSUMER' as const,
      method: 'WEB_SOI' as const,
      senderEntityId: 'bakkerij',
      scopeLists: 'ALL' as const,
    })),
    { at },
  );
  await store.close();
}

describe('consent-mailer init and status', () => {
  it('creates and migrates the database file, then reports it as JSON', async () => {
    const init = await runCli(['init', '--db', db]);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Database ready.');
    expect(init.stdout).toContain(db);
    expect(existsSync(db)).toBe(true);

    await addContacts(['a@example.nl', 'b@example.nl']);
    const status = await runCli(['status', '--db', db, '--json']);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed).toMatchObject({
      path: db,
      pendingMigrations: [],
      counts: { contacts: 2, consents: 2, events: 1 },
      chain: { ok: true, events: 1 },
    });
    expect(parsed.migrationsApplied).toBeGreaterThanOrEqual(15);
  });

  it('works as a real child process through the bin script', () => {
    const bin = resolve(import.meta.dirname, '..', 'bin', 'consent-mailer.js');
    const result = spawnSync(process.execPath, [bin, 'init', '--db', db, '--json'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ path: db, chain: { ok: true } });
  }, 60_000);
});

describe('consent-mailer backup and restore', () => {
  it('round-trips: a restored backup brings back exactly the backed-up contacts', async () => {
    await runCli(['init', '--db', db]);
    await addContacts(['kept@example.nl']);
    const out = join(dir, 'my.backup.sqlite');
    const backup = await runCli(['backup', '--db', db, '--out', out]);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain(`Backup written: ${out}`);
    await addContacts(['later@example.nl']);

    const restore = await runCli(['restore', out, '--db', db, '--json', '--yes']);
    expect(restore.code).toBe(0);
    const result = JSON.parse(restore.stdout);
    expect(existsSync(result.safetyBackup.path)).toBe(true);
    const status = JSON.parse((await runCli(['status', '--db', db, '--json'])).stdout);
    expect(status.counts.contacts).toBe(1);
    expect(status.chain.ok).toBe(true);
  });

  it('says what to do when the backup file is not a backup', async () => {
    await runCli(['init', '--db', db]);
    const restore = await runCli(['restore', join(dir, 'missing.sqlite'), '--db', db]);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/STORE_BACKUP_INVALID.*does not exist.*Choose another backup file/);
  });
});
