import { afterEach, describe, expect, it } from 'vitest';
import { doubleOptInConsent } from '@consent-mailer/store/testing';
import { createSendingFixture, type SendingFixture } from './sending-fixture.js';

// Issue 14: "Yes, cancel" showed CANCELLED while all 15 were delivered. The worker claimed the whole
// mailing in one batch and looked at pause/cancel only between batches; a slow server (or a rate limit)
// then kept sending what it held. These count what ARRIVED at a slow real SMTP server after the click.

let fx: SendingFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const MAILING = {
  name: 'December',
  senderEntityId: 'bakkerij',
  listId: 'nieuwsbrief',
  smtpProfile: 'main',
  subject: 'Kerstbrood',
  html: '<p>Ons kerstbrood is er weer.</p>',
};

// One connection keeps at most 4 messages handed to the SMTP pool (the worker's window); those are "on
// the way" at the click and may still arrive, nothing after them.
const WINDOW = 4;

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function slowMailing(): Promise<{ f: SendingFixture; id: string }> {
  fx = await createSendingFixture({
    batchSize: 100,
    profile: { connections: 1 },
    server: { faults: { dataDelayMs: 150 } },
  });
  await fx.seed(
    Array.from({ length: 15 }, (_, i) => ({
      email: `k${i + 1}@example.nl`,
      consent: doubleOptInConsent('bakkerij'),
    })),
  );
  const mailing = await fx.caller.mailings.create(MAILING);
  return { f: fx, id: mailing.id };
}

describe('cancel and pause stop a slow send at once', () => {
  it(
    'cancel: nothing beyond what was on the way arrives, and the counts say so',
    { timeout: 30_000 },
    async () => {
      const { f, id } = await slowMailing();
      let clicked: Promise<{ cancelled: number }> | undefined;
      let arrivedAtClick = 0;
      f.server.onMessage = () => {
        if (f.server.messages.length === 2 && !clicked) {
          arrivedAtClick = f.server.messages.length;
          clicked = f.caller.mailings.cancel({ id });
        }
      };
      const start = await f.caller.mailings.send({ id });
      const job = await f.ctx.jobs.wait(start.jobId);
      const cancel = await clicked;
      expect((job.result as { stoppedBecause: string }).stoppedBecause).toBe('CANCELLED');
      // Let anything still queued in the pool land before counting.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const arrived = f.server.messages.length;
      expect(arrived).toBeLessThanOrEqual(arrivedAtClick + WINDOW);
      expect(arrived).toBeLessThan(15);
      // What the UI reports as "not sent" is exactly what never arrived.
      expect(cancel?.cancelled).toBe(15 - arrived);
      const status = await f.caller.mailings.status({ id });
      expect(status.mailing.status).toBe('CANCELLED');
      expect(status.mailing.deliveries.SENT).toBe(arrived);
      expect(status.mailing.deliveries.CANCELLED).toBe(15 - arrived);
    },
  );

  it(
    'pause, resume in the same process, cancel: no MAILING_ALREADY_SENDING, nothing twice',
    { timeout: 30_000 },
    async () => {
      const { f, id } = await slowMailing();
      let paused: Promise<unknown> | undefined;
      f.server.onMessage = () => {
        if (f.server.messages.length === 2 && !paused) paused = f.caller.mailings.pause({ id });
      };
      const start = await f.caller.mailings.send({ id });
      await until(() => paused !== undefined);
      await paused;
      // Resume straight after the pause, while the first worker may still be finishing its SMTP transaction.
      const resumed = await f.caller.mailings.resume({ id });
      await f.ctx.jobs.wait(start.jobId);
      let cancelled: Promise<unknown> | undefined;
      const afterResume = f.server.messages.length;
      f.server.onMessage = () => {
        if (f.server.messages.length === afterResume + 2 && !cancelled)
          cancelled = f.caller.mailings.cancel({ id });
      };
      await f.ctx.jobs.wait(resumed.jobId);
      expect(cancelled).toBeDefined();
      await cancelled;
      await new Promise((resolve) => setTimeout(resolve, 500));
      const arrived = f.server.messages.length;
      expect(arrived).toBeLessThan(15);
      for (const m of f.server.messages) expect(f.server.receivedBy(m.to[0] ?? '')).toHaveLength(1);
      const status = await f.caller.mailings.status({ id });
      expect(status.mailing.status).toBe('CANCELLED');
      expect(status.mailing.deliveries.SENT).toBe(arrived);
      expect(status.mailing.deliveries.CANCELLED).toBe(15 - arrived);
    },
  );
});
