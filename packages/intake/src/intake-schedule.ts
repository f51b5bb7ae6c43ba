import type { IntakeRunResult } from './imap-intake.js';

export interface IntakeScheduleOptions {
  /** Runs every mailbox once (the api's `intake.run` for all); errors are reported, never thrown. */
  runOnce: (signal: AbortSignal) => Promise<IntakeRunResult[]>;
  /** Seconds between runs. */
  intervalSeconds: number;
  onResult?: (results: IntakeRunResult[]) => void;
  onError?: (error: unknown) => void;
}

export interface IntakeSchedule {
  /** Stops after the run in progress (if any) has ended. */
  stop(): Promise<void>;
}

/**
 * Runs the intake now and then every `intervalSeconds` while the app is open, one run at a time. Polling
 * rather than IMAP IDLE: it works with every server and keeps no connection open between runs.
 *
 * @example
 * const schedule = startIntakeSchedule({ runOnce: (signal) => runAll(signal), intervalSeconds: 300 });
 * app.on('will-quit', () => void schedule.stop());
 */
export function startIntakeSchedule(options: IntakeScheduleOptions): IntakeSchedule {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = options
      .runOnce(controller.signal)
      .then((results) => options.onResult?.(results))
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        if (!controller.signal.aborted)
          timer = setTimeout(tick, Math.max(10, options.intervalSeconds) * 1000);
      });
  };
  tick();
  return {
    async stop() {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
