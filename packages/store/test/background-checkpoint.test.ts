import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { appendEvent } from '../src/index.js';
import { openTempStore } from '../src/testing/index.js';

// A checkpoint inside a commit froze the desktop's main process for ~200 ms; a worker thread does it now,
// from 16 MiB of WAL. The main connection's own checkpoint (at 64 MiB) is only the backstop: without the
// worker the WAL of this test would reach 64 MiB and more, so a WAL that stays well under that shows the
// worker does the work.
describe('WAL checkpoints off the writing thread', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('keeps the WAL bounded while 80 MiB are written, and the data is all there after close', async () => {
    const opened = await openTempStore();
    cleanup = opened.cleanup;
    const { store, path } = opened;
    const filler = 'x'.repeat(1024 * 1024);
    let largestWal = 0;
    for (let i = 0; i < 80; i++) {
      await appendEvent(store.db, {
        type: 'test.filled',
        entity: 'store',
        at: new Date().toISOString(),
        data: { i, filler },
      });
      largestWal = Math.max(largestWal, statSync(`${path}-wal`).size);
      // Lets the worker's answer arrive, as the app's event loop does between changes.
      await sleep(5);
    }
    // Each checkpoint starts at 16 MiB and the WAL starts over once it is done; a few MiB of slack for
    // the writes made while one runs.
    expect(largestWal).toBeLessThan(40 * 1024 * 1024);
    const count = store.sqlite.prepare(`SELECT count(*) FROM event WHERE type = 'test.filled'`).pluck().get();
    expect(count).toBe(80);
  });
});
