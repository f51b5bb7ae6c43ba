import { randomUUID } from 'node:crypto';

export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** What the UI and the CLI show of a long operation (an import, a send). */
export interface JobProgress {
  /** Units done so far (rows, messages). */
  done: number;
  /** Units in all, when known. */
  total?: number;
  /** A short machine-readable phase name, e.g. "parsing", "writing", "sending". */
  phase?: string;
}

export interface JobSnapshot<TResult = unknown> {
  id: string;
  kind: string;
  state: JobState;
  progress: JobProgress;
  startedAt: string;
  endedAt?: string;
  result?: TResult;
  error?: { code: string; message: string; text?: { en: string; nl: string } };
}

export interface JobControls {
  /** Report progress; cheap, call it per chunk. */
  report(progress: JobProgress): void;
  /** Aborted when the user cancels: stop at the next safe point (between chunks). */
  signal: AbortSignal;
}

/**
 * Runs long operations in the background of the process and keeps their progress, so a tRPC call can start
 * one and return at once while the UI polls `get`. Work must yield between chunks (await) so the process
 * stays responsive.
 */
export interface JobRegistry {
  start<TResult>(kind: string, work: (controls: JobControls) => Promise<TResult>): JobSnapshot<TResult>;
  get(id: string): JobSnapshot | undefined;
  /**
   * The job `id` only if it is of `kind`, typed with that kind's result: a send job's id given to the
   * import progress query is "not found", not an import of unknown shape.
   */
  getOfKind<TResult>(id: string, kind: string): JobSnapshot<TResult> | undefined;
  list(): JobSnapshot[];
  cancel(id: string): boolean;
  /** Resolves when the job has ended (for the CLI and tests). */
  wait(id: string): Promise<JobSnapshot>;
}

export function createJobRegistry(clock: () => Date = () => new Date()): JobRegistry {
  const jobs = new Map<string, { snapshot: JobSnapshot; controller: AbortController; done: Promise<void> }>();

  return {
    start(kind, work) {
      const controller = new AbortController();
      const snapshot: JobSnapshot = {
        id: randomUUID(),
        kind,
        state: 'running',
        progress: { done: 0 },
        startedAt: clock().toISOString(),
      };
      const controls: JobControls = {
        report: (progress) => {
          snapshot.progress = progress;
        },
        signal: controller.signal,
      };
      const done = (async () => {
        try {
          snapshot.result = await work(controls);
          snapshot.state = controller.signal.aborted ? 'cancelled' : 'succeeded';
        } catch (error) {
          snapshot.state = controller.signal.aborted ? 'cancelled' : 'failed';
          snapshot.error = describeError(error);
        } finally {
          snapshot.endedAt = clock().toISOString();
        }
      })();
      jobs.set(snapshot.id, { snapshot, controller, done });
      return snapshot as JobSnapshot<never>;
    },
    get: (id) => jobs.get(id)?.snapshot,
    getOfKind: <TResult>(id: string, kind: string) => {
      const snapshot = jobs.get(id)?.snapshot;
      return snapshot?.kind === kind ? (snapshot as JobSnapshot<TResult>) : undefined;
    },
    list: () => [...jobs.values()].map((job) => job.snapshot),
    cancel(id) {
      const job = jobs.get(id);
      if (!job || job.snapshot.state !== 'running') return false;
      job.controller.abort();
      return true;
    },
    async wait(id) {
      const job = jobs.get(id);
      if (!job) throw new Error(`No job with id ${id}`);
      await job.done;
      return job.snapshot;
    },
  };
}

function describeError(error: unknown): NonNullable<JobSnapshot['error']> {
  if (error instanceof Error) {
    const maybe = error as Error & { code?: unknown; text?: { en: string; nl: string } };
    return {
      code: typeof maybe.code === 'string' ? maybe.code : 'INTERNAL',
      message: error.message,
      ...(maybe.text ? { text: maybe.text } : {}),
    };
  }
  return { code: 'INTERNAL', message: String(error) };
}
