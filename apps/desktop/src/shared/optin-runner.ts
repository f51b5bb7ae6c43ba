import { pullOptin, type ApiContext } from '@consent-mailer/api';

/** How often the host pulls the paired opt-in service while the app is open. */
const PULL_SECONDS = 300;

/**
 * Pulls the paired opt-in service's signed events every few minutes while the app is open (issue 15), so
 * sign-ups show up as they arrive and unsubscribes are in before the next mailing. Runs in the host
 * process; an unpaired installation does nothing. A failed pull is noted on the pairing (shown in
 * Settings › Opt-in service); sending itself pulls again before every batch.
 *
 * @example
 * const pulls = startDesktopOptinPull(context);
 * app.on('will-quit', () => void pulls.stop());
 */
export function startDesktopOptinPull(ctx: ApiContext, seconds = PULL_SECONDS): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = pullOptin(ctx).catch(() => undefined);
  };
  const timer = setInterval(tick, seconds * 1000);
  timer.unref();
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
