import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import {
  INTERRUPTED_ERROR,
  createImportBatch,
  finishImportBatch,
  getImportBatch,
  markInterruptedImportBatches,
  writeImportChunk,
  type ImportContactRow,
  type Store,
} from '../src/index.js';
import { AT, addSenderEntity, openTempStore } from '../src/testing/index.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function storeWithBatch(): Promise<{ store: Store; path: string; batchId: string }> {
  const temp = await openTempStore();
  cleanups.push(temp.cleanup);
  await addSenderEntity(temp.store);
  const batchId = 'batch-1';
  await createImportBatch(temp.store.db, {
    id: batchId,
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
    rowsTotal: 100_000,
    at: AT,
    owner: { pid: process.pid, host: 'this-host' },
  });
  return { ...temp, batchId };
}

function rows(from: number, count: number): ImportContactRow[] {
  return Array.from({ length: count }, (_, index) => ({
    email: `klant${from + index}@example.nl`,
    recipientKind: 'CONSUMER' as const,
    method: 'PAPER' as const,
    senderEntityId: 'bakkerij',
    scopeLists: 'ALL' as const,
    paperScanRef: `scan-${from + index}`,
  }));
}

/**
 * Another process that writes to the same file for `ms` milliseconds: a write transaction every few
 * milliseconds, each holding the lock a little while, as a second app window or the CLI would.
 */
function otherWriter(path: string, ms: number): Promise<number> {
  const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const script = `
    const Database = require(${JSON.stringify(betterSqlite)});
    const db = new Database(${JSON.stringify(path)});
    db.pragma('busy_timeout = 5000');
    const end = Date.now() + ${ms};
    let writes = 0;
    const write = db.transaction(() => {
      db.prepare("UPDATE sender_entity SET updated_at = ? WHERE id = 'bakkerij'").run(new Date().toISOString());
      const until = Date.now() + 5; while (Date.now() < until) {}
    });
    process.stdout.write('ready\\n');
    while (Date.now() < end) { write.immediate(); writes++; const pause = Date.now() + 2; while (Date.now() < pause) {} }
    process.stdout.write(String(writes));
    db.close();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (data: Buffer) => (out += data.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(Number(out.split('\n').at(-1))) : reject(new Error(`writer exited ${code}`)),
    );
  });
}

describe('concurrent writers', () => {
  it('an import goes on while another process writes to the same file (no "database is locked")', async () => {
    const { store, path, batchId } = await storeWithBatch();
    const writer = otherWriter(path, 2500);
    // Let the other process start writing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    let done = 0;
    for (let chunk = 0; chunk < 20; chunk += 1) {
      await writeImportChunk(
        store.db,
        batchId,
        {
          rows: rows(chunk * 500, 500),
          suppress: [],
          duplicates: 0,
          rejected: 0,
          rowsDone: (chunk + 1) * 500,
        },
        { at: AT, listId: null, heartbeatAt: new Date().toISOString() },
      );
      done += 500;
    }
    const writes = await writer;
    expect(writes).toBeGreaterThan(10);
    expect(done).toBe(10_000);
    const batch = await getImportBatch(store.db, batchId);
    expect(batch).toMatchObject({ status: 'RUNNING', rows_done: 10_000, imported_count: 10_000 });
  });

  it('a batch marked failed stops its writer, writes nothing more, and never becomes DONE', async () => {
    const { store, batchId } = await storeWithBatch();
    await writeImportChunk(
      store.db,
      batchId,
      { rows: rows(0, 10), suppress: [], duplicates: 0, rejected: 0, rowsDone: 10 },
      { at: AT, listId: null },
    );
    // Another process saw no live owner and marked it interrupted.
    expect(await markInterruptedImportBatches(store.db, { at: AT, runningIds: new Set() })).toBe(1);
    await expect(
      writeImportChunk(
        store.db,
        batchId,
        { rows: rows(10, 10), suppress: [], duplicates: 0, rejected: 0, rowsDone: 20 },
        { at: AT, listId: null },
      ),
    ).rejects.toMatchObject({ code: 'IMPORT_BATCH_CLOSED' });
    await expect(finishImportBatch(store.db, batchId, { status: 'DONE', at: AT })).rejects.toMatchObject({
      code: 'IMPORT_BATCH_CLOSED',
    });
    const batch = await getImportBatch(store.db, batchId);
    expect(batch).toMatchObject({
      status: 'FAILED',
      error: INTERRUPTED_ERROR,
      rows_done: 10,
      imported_count: 10,
    });
    expect(await store.db.selectFrom('contact').select('id').execute()).toHaveLength(10);
  });

  it('leaves a batch alone while its owner lives, and marks it once the owner is gone', async () => {
    const { store, batchId } = await storeWithBatch();
    const seen: unknown[] = [];
    const marked = await markInterruptedImportBatches(store.db, {
      at: AT,
      runningIds: new Set(),
      ownerIsAlive: (owner) => {
        seen.push(owner);
        return true;
      },
    });
    expect(marked).toBe(0);
    expect(seen).toEqual([{ pid: process.pid, host: 'this-host', heartbeatAt: AT }]);
    expect((await getImportBatch(store.db, batchId)).status).toBe('RUNNING');
    expect(
      await markInterruptedImportBatches(store.db, {
        at: AT,
        runningIds: new Set(),
        ownerIsAlive: () => false,
      }),
    ).toBe(1);
    expect((await getImportBatch(store.db, batchId)).status).toBe('FAILED');
  });
});
