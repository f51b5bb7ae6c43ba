import { runIntakeFor, type ApiContext } from '@consent-mailer/api';
import { startIntakeSchedule, type IntakeSchedule } from '@consent-mailer/intake';
import { listIntakeMailboxes } from '@consent-mailer/store';

/** How often the host looks whether a mailbox is due; each mailbox keeps its own poll interval. */
const TICK_SECONDS = 30;

/**
 * Reads every mailbox whose poll interval has passed, while the app is open (issue 16). Runs in the host
 * process (Electron main or the browser host), never in the renderer: IMAP and parsing are asynchronous
 * I/O there and the window stays responsive. A failing mailbox is recorded on its row (last_error) by the
 * intake and does not stop the others.
 *
 * @example
 * const schedule = startDesktopIntake(context);
 * app.on('will-quit', () => void schedule.stop());
 */
export function startDesktopIntake(ctx: ApiContext, tickSeconds = TICK_SECONDS): IntakeSchedule {
  return startIntakeSchedule({
    intervalSeconds: tickSeconds,
    runOnce: async (signal) => {
      const now = ctx.clock().getTime();
      const due = (await listIntakeMailboxes(ctx.store.db)).filter(
        (row) => !row.last_run_at || Date.parse(row.last_run_at) + row.poll_seconds * 1000 <= now,
      );
      const results = [];
      for (const row of due) {
        if (signal.aborted) break;
        try {
          results.push(...(await runIntakeFor(ctx, row.name, signal)));
        } catch {
          // The intake records the failure on the mailbox (shown in Settings › Mailbox); go on with the next.
        }
      }
      return results;
    },
  });
}
