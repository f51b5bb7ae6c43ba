// Moves SQLite's WAL checkpoint off the thread that writes (issue 19: the longest stall of the desktop main
// process was an automatic checkpoint inside a commit after a bulk write, ~200 ms at 64 MiB of WAL).
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** The WAL size at which the store asks for a checkpoint; the main connection then never checkpoints itself. */
export const BACKGROUND_CHECKPOINT_BYTES = 16 * 1024 * 1024;

/**
 * SQLite's own checkpoint in the writer's commit, every 64 MiB: the backstop that stays on. While the
 * worker keeps up, the WAL starts over long before that and it never fires; when writes outrun the worker
 * (or no worker can run: no worker threads, a module that cannot be loaded there) the WAL is still bounded
 * as it was before the worker (see configure in store.ts).
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 16_384;

/** Frames (4 KiB pages) written during a round that are few enough to finish with a RESTART: 2 MiB. */
const SMALL_DELTA_FRAMES = 512;

// Plain CommonJS, evaluated as the worker's source: nothing to bundle or ship beside the store's files.
// The WAL only starts over once a checkpoint has copied every frame, and a writer that keeps writing adds
// frames while one runs. So: PASSIVE rounds (they never wait for or block the writer), each copying what
// was written during the one before, until a round finds little new; then one RESTART, which holds the
// writer back for that little (milliseconds, where the writer's own checkpoint of 64 MiB took ~200 ms)
// and lets the WAL start over. A writer that outruns every round is left to the backstop.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const options = { fileMustExist: true };
if (workerData.nativeBinding) options.nativeBinding = workerData.nativeBinding;
const db = new Database(workerData.path, options);
db.pragma('busy_timeout = 2000');
const checkpoint = (mode) => db.pragma('wal_checkpoint(' + mode + ')')[0];
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    let result = checkpoint('PASSIVE');
    let restarted = false;
    for (let round = 1; round < 12; round++) {
      const next = checkpoint('PASSIVE');
      // Frames written while the last round ran; fewer than before means the WAL started over meanwhile.
      const fresh = next.log - result.log;
      result = next;
      if (fresh < 0) break;
      if (fresh <= workerData.smallFrames) {
        result = checkpoint('RESTART');
        restarted = result.busy === 0;
        break;
      }
    }
    parentPort.postMessage({ ok: true, restarted, result });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String(error) });
  }
});
`;

export interface BackgroundCheckpoint {
  /** After a write: asks the worker for a checkpoint once the WAL has grown past the threshold. */
  afterWrite(): void;
  /** Stops the worker and closes its connection; the store's own close then checkpoints the rest. */
  close(): Promise<void>;
}

/**
 * Lets a worker thread with a connection of its own checkpoint the WAL once it passes `thresholdBytes`, long
 * before the main connection's own automatic checkpoint would (in a commit, on the main thread). The worker
 * starts on the first need, so a short CLI command that writes little never starts one. If a worker cannot
 * start or fails, it is not asked again and SQLite's automatic checkpoint does the work as before.
 *
 * @example
 * const checkpoint = startBackgroundCheckpoint(sqlite, '/data/consent-mailer.sqlite');
 * // after every commit:
 * checkpoint.afterWrite();
 */
export function startBackgroundCheckpoint(
  sqlite: BetterSqlite3.Database,
  path: string,
  options: { nativeBinding?: string; thresholdBytes?: number } = {},
): BackgroundCheckpoint {
  const threshold = options.thresholdBytes ?? BACKGROUND_CHECKPOINT_BYTES;
  const walPath = `${path}-wal`;
  let worker: Worker | undefined;
  let failed = false;
  let running = false;
  let closed = false;

  // SQLite's own checkpoint stays on as the backstop (FALLBACK_AUTOCHECKPOINT_PAGES): a failed worker is
  // simply not asked again.
  const fallBack = () => {
    failed = true;
    worker = undefined;
  };

  const startWorker = (): Worker | undefined => {
    try {
      const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
      const started = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          path,
          modulePath,
          nativeBinding: options.nativeBinding,
          smallFrames: SMALL_DELTA_FRAMES,
        },
      });
      // The worker must never keep a CLI command alive, nor fail the store: on any error SQLite's own
      // checkpoint takes over again.
      started.unref();
      started.on('message', (message: { ok: boolean }) => {
        running = false;
        if (!message.ok) fallBack();
      });
      started.on('error', fallBack);
      started.on('exit', () => {
        if (!closed) fallBack();
      });
      return started;
    } catch {
      fallBack();
      return undefined;
    }
  };

  return {
    afterWrite() {
      if (closed || failed || running) return;
      let size: number;
      try {
        size = statSync(walPath).size;
      } catch {
        return;
      }
      if (size < threshold) return;
      worker ??= startWorker();
      if (worker === undefined) return;
      running = true;
      worker.postMessage('checkpoint');
    },
    async close() {
      closed = true;
      const current = worker;
      worker = undefined;
      if (current === undefined) return;
      // Held alive until its connection is closed: an unref'd worker would let a process whose last work
      // is this close exit first, with the close still waiting.
      current.ref();
      await new Promise<void>((done) => {
        current.once('exit', () => done());
        current.postMessage('close');
      });
    },
  };
}
