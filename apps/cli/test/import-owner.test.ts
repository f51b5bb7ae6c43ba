import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createImportBatch, getImportBatch, openStore, type Store } from '@consent-mailer/store';
import { rawWrite } from '@consent-mailer/store/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/consent-mailer.js');

let dir: string;
let db: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cm-cli-owner-'));
  db = join(dir, 'consent-mailer.sqlite');
  store = await openStore({ path: db });
  const at = new Date().toISOString();
  await rawWrite(
    store,
    store.db.insertInto('sender_entity').values({
      id: 'bakkerij',
      legal_name: 'Bakkerij B.V.',
      trade_name: null,
      postal_address: null,
      contact_email: null,
      kvk_number: '12345678',
      created_at: at,
      updated_at: at,
    }),
  );
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function runningBatch(id: string, owner: { pid: number; host: string }, at: string): Promise<void> {
  await createImportBatch(store.db, {
    id,
    fileName: 'klanten.csv',
    fileSha256: 'a'.repeat(64),
    fileSize: 10,
    senderEntityId: 'bakkerij',
    listId: null,
    mapping: {},
    defaultMethod: 'PAPER',
    sourceTool: 'generic',
    encoding: 'utf-8',
    delimiter: ',',
    rowsTotal: 1000,
    at,
    owner,
  });
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args, '--db', db, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((done) => child.on('exit', (code) => done({ code, stdout, stderr })));
}

describe('imports list in another process', () => {
  it('does not mark an import failed while its owner (this process) is alive and writing', async () => {
    await runningBatch('live', { pid: process.pid, host: hostname() }, new Date().toISOString());
    const result = await cli(['imports', 'list']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as { id: string; status: string; interrupted: boolean }[];
    expect(listed.find((batch) => batch.id === 'live')).toMatchObject({
      status: 'RUNNING',
      interrupted: false,
    });
    expect((await getImportBatch(store.db, 'live')).status).toBe('RUNNING');
  }, 60_000);

  it('marks an import interrupted once its owner process is gone', async () => {
    // A process that has ended: its pid is free (the probe says ESRCH).
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const pid = Number(gone.stdout.toString());
    await runningBatch('dead', { pid, host: hostname() }, new Date(Date.now() - 10 * 60_000).toISOString());
    const result = await cli(['imports', 'list']);
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as { id: string; status: string; interrupted: boolean }[];
    expect(listed.find((batch) => batch.id === 'dead')).toMatchObject({
      status: 'FAILED',
      interrupted: true,
    });
  }, 60_000);
});
