import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  composeMessage,
  createSmtpPool,
  createUnsubscribeToken,
  runOutbox,
  type ComposeRecipient,
  type OutboxWorkerOptions,
  type SmtpTimeouts,
} from '../src/index.js';
import {
  createMemoryOutboxStore,
  startSmtpTestServer,
  type MemoryOutboxStore,
  type SmtpTestServer,
  type SmtpTestServerOptions,
} from '../src/testing/index.js';

const sender = {
  legalName: 'Bakkerij de Vries B.V.',
  postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
  contactEmail: 'info@bakkerij.nl',
  kvkNumber: '12345678',
};
const mailing = {
  subject: 'Nieuws voor {{firstName|u}}',
  html: '<p>Beste {{firstName|klant}},</p>',
  lang: 'nl' as const,
  content: 'MARKETING' as const,
};

function recipients(count: number, prefix = 'klant'): ComposeRecipient[] {
  return Array.from({ length: count }, (_, i) => ({
    email: `${prefix}${i + 1}@example.nl`,
    merge: { firstName: `Naam${i + 1}` },
    method: 'WEB_DOI' as const,
    firstMailing: i % 2 === 0,
    unsubscribeToken: createUnsubscribeToken(),
  }));
}

let server: SmtpTestServer | undefined;
const pools: { close(): void }[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) pool.close();
  await server?.close();
  server = undefined;
});

async function setup(
  serverOptions: SmtpTestServerOptions,
  list: ComposeRecipient[],
  options: {
    password?: string;
    connections?: number;
    timeouts?: SmtpTimeouts;
  } = {},
) {
  server = await startSmtpTestServer(serverOptions);
  const outbox = createMemoryOutboxStore(list);
  const connections = options.connections ?? 2;
  const transport = createSmtpPool(
    {
      host: '127.0.0.1',
      port: server.port,
      security: 'NONE',
      connections,
      ...(serverOptions.auth ? { user: serverOptions.auth.user } : {}),
    },
    options.password,
    options.timeouts ?? { connectionTimeoutMs: 2000, greetingTimeoutMs: 1000, socketTimeoutMs: 5000 },
  );
  pools.push(transport);
  const run = (extra: Partial<OutboxWorkerOptions> = {}) =>
    runOutbox({
      store: outbox,
      transport,
      mailingId: 'm1',
      workerId: randomUUID(),
      compose: (delivery) =>
        composeMessage({
          sender,
          settings: { fromAddress: 'nieuws@bakkerij.nl' },
          mailing,
          recipient: delivery.recipient,
        }),
      connections,
      batchSize: 5,
      retryDelaysMs: [20, 40, 80],
      ...extra,
    });
  return { server, outbox, run };
}

function states(outbox: MemoryOutboxStore): Record<string, string> {
  return Object.fromEntries(outbox.deliveries.map((d) => [d.recipient.email, d.state]));
}

describe('runOutbox against a real SMTP server', () => {
  it('sends every recipient exactly once with their own merge fields and footer, and keeps the reply', async () => {
    const list = recipients(12);
    const { server, outbox, run } = await setup({}, list);
    const result = await run();
    expect(result).toMatchObject({ stoppedBecause: 'FINISHED', sent: 12, done: 12, total: 12 });
    for (const r of list) {
      const got = server.receivedBy(r.email);
      expect(got).toHaveLength(1);
      expect(got[0]?.parsed.subject).toBe(`Nieuws voor ${r.merge.firstName}`);
      expect(got[0]?.parsed.text).toContain(`unsubscribe%20${r.unsubscribeToken}`);
      expect(got[0]?.parsed.text?.includes('bezwaar te maken')).toBe(r.firstMailing);
    }
    expect(
      outbox.deliveries.every((d) => d.result?.kind === 'SENT' && d.result.reply.startsWith('250')),
    ).toBe(true);
    expect(outbox.finishedAt).toBeDefined();
    // Batches of 5: 12 recipients take three claims; empty claims only at the end.
    expect(outbox.claims.map((ids) => ids.length).filter((n) => n > 0)).toEqual([5, 5, 2]);
    expect(outbox.claims.length).toBeLessThanOrEqual(5);
  });

  it("suppresses a 550 5.1.1 hard bounce and fails a spam refusal as the sender's problem without suppressing", async () => {
    const list = recipients(4);
    const { server, outbox, run } = await setup(
      {
        faults: {
          onRcpt: (address) =>
            address === 'klant2@example.nl'
              ? { code: 550, message: '5.1.1 <klant2@example.nl>: Recipient address rejected: User unknown' }
              : address === 'klant3@example.nl'
                ? { code: 554, message: '5.7.1 Message refused as spam' }
                : undefined,
        },
      },
      list,
    );
    const result = await run();
    expect(result).toMatchObject({ sent: 2, bounced: 1, failed: 1, stoppedBecause: 'FINISHED' });
    expect(outbox.deliveries[1]?.result).toMatchObject({ kind: 'HARD_BOUNCE', status: '5.1.1', code: 550 });
    expect(outbox.deliveries[2]?.result).toMatchObject({
      kind: 'FAILED',
      reason: 'SENDER_REFUSED',
      code: 554,
    });
    expect([...outbox.suppressed]).toEqual(['klant2@example.nl']);
    expect(server.receivedBy('klant2@example.nl')).toHaveLength(0);
    expect(server.receivedBy('klant3@example.nl')).toHaveLength(0);
  });

  it('retries a 451 with backoff and delivers once', async () => {
    const list = recipients(3);
    const { server, outbox, run } = await setup(
      {
        faults: {
          onRcpt: (address, attempt) =>
            address === 'klant1@example.nl' && attempt <= 2
              ? { code: 451, message: '4.7.1 Greylisted, try again later' }
              : undefined,
        },
      },
      list,
    );
    const result = await run();
    expect(result.stoppedBecause).toBe('FINISHED');
    expect(server.attempts.get('klant1@example.nl')).toBe(3);
    expect(server.receivedBy('klant1@example.nl')).toHaveLength(1);
    expect(states(outbox)).toEqual({
      'klant1@example.nl': 'SENT',
      'klant2@example.nl': 'SENT',
      'klant3@example.nl': 'SENT',
    });
    expect(outbox.deliveries[0]?.attempts).toBe(3);
  });

  it('retries when the server says 421 at connect and gives up after the last backoff', async () => {
    const list = recipients(2);
    const { server, outbox, run } = await setup(
      {
        faults: {
          onConnect: (n) => (n <= 2 ? { code: 421, message: '4.3.2 Too busy, try later' } : undefined),
        },
      },
      list,
      { connections: 1 },
    );
    const result = await run();
    expect(result.stoppedBecause).toBe('FINISHED');
    expect(server.messages).toHaveLength(2);
    expect(Object.values(states(outbox))).toEqual(['SENT', 'SENT']);

    // A server that never stops saying 421: after the last retry the delivery fails, with the reply kept.
    await server.close();
    const { outbox: outbox2, run: run2 } = await setup(
      { faults: { onConnect: () => ({ code: 421, message: '4.3.2 Too busy, try later' }) } },
      recipients(1),
      { connections: 1 },
    );
    const result2 = await run2();
    expect(result2).toMatchObject({ stoppedBecause: 'FINISHED', failed: 1 });
    expect(outbox2.deliveries[0]).toMatchObject({
      state: 'FAILED',
      attempts: 4,
      result: { kind: 'FAILED', reason: 'RETRIES_EXHAUSTED' },
    });
    expect(outbox2.deliveries[0]?.result?.reply).toContain('421');
  });

  it('retries a full mailbox (552 5.2.2) instead of failing or suppressing it', async () => {
    const list = recipients(2);
    const { server, outbox, run } = await setup(
      {
        faults: {
          onRcpt: (address, attempt) =>
            address === 'klant1@example.nl' && attempt === 1
              ? { code: 552, message: '5.2.2 The email account that you tried to reach is over quota' }
              : undefined,
        },
      },
      list,
    );
    const result = await run();
    expect(result).toMatchObject({ sent: 2, bounced: 0, failed: 0, deferred: 1, stoppedBecause: 'FINISHED' });
    expect([...outbox.suppressed]).toEqual([]);
    expect(server.receivedBy('klant1@example.nl')).toHaveLength(1);
  });

  it('pauses the mailing when servers keep refusing the sender (5.7.26) and suppresses nobody', async () => {
    const list = recipients(30);
    const { server, outbox, run } = await setup(
      {
        faults: {
          onRcpt: () => ({
            code: 550,
            message:
              '5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users',
          }),
        },
      },
      list,
    );
    const result = await run({ batchSize: 5 });
    expect(result.stoppedBecause).toBe('SENDER_REFUSED');
    expect(outbox.stopped?.code).toBe('MAILING_SENDER_REFUSED');
    expect(result.sent + result.failed).toBeLessThan(30);
    expect([...outbox.suppressed]).toEqual([]);
    expect(server.messages).toHaveLength(0);
  });

  it('stops the whole mailing on 535 and sends nothing', async () => {
    const list = recipients(6);
    const { server, outbox, run } = await setup({ auth: { user: 'nieuws', password: 'juist' } }, list, {
      password: 'fout',
    });
    const result = await run();
    expect(result.stoppedBecause).toBe('AUTH_FAILED');
    expect(result.error?.code).toBe('SMTP_AUTH_FAILED');
    expect(result.error?.message).toContain('535');
    expect(outbox.stopped?.code).toBe('SMTP_AUTH_FAILED');
    expect(server.messages).toHaveLength(0);
    // Nobody lost their place: every delivery is back in the queue for when the password is fixed.
    expect(outbox.deliveries.every((d) => d.state === 'QUEUED' && d.attempts === 0)).toBe(true);
  });

  it('retries a connection dropped mid-DATA and delivers exactly once', async () => {
    const list = recipients(4);
    const { server, outbox, run } = await setup(
      { faults: { dropMidData: (address, attempt) => address === 'klant2@example.nl' && attempt === 1 } },
      list,
    );
    const result = await run();
    expect(result.stoppedBecause).toBe('FINISHED');
    expect(server.attempts.get('klant2@example.nl')).toBe(2);
    expect(server.receivedBy('klant2@example.nl')).toHaveLength(1);
    expect(server.messages).toHaveLength(4);
    expect(outbox.deliveries[1]?.attempts).toBe(2);
  });

  it('retries when a slow server does not greet in time, without sending twice', async () => {
    const list = recipients(3);
    const { server, outbox, run } = await setup(
      { faults: { connectDelayMs: (n) => (n === 1 ? 1500 : 0) } },
      list,
      {
        connections: 1,
        timeouts: { connectionTimeoutMs: 2000, greetingTimeoutMs: 500, socketTimeoutMs: 5000 },
      },
    );
    const result = await run();
    expect(result.stoppedBecause).toBe('FINISHED');
    expect(server.messages).toHaveLength(3);
    for (const r of list) expect(server.receivedBy(r.email)).toHaveLength(1);
    expect(outbox.deliveries.some((d) => d.attempts > 1)).toBe(true);
  });

  it('pauses before the next hand-over on a slow server, and resumes where it stopped', async () => {
    const list = recipients(15);
    const { server, outbox, run } = await setup({ faults: { dataDelayMs: 50 } }, list);
    server.onMessage = () => {
      if (server.messages.length === 1) outbox.controlState = 'PAUSED';
    };
    const paused = await run();
    expect(paused.stoppedBecause).toBe('PAUSED');
    // Issue 14: only what was already handed to the pool (at most 4 per connection, 2 connections) goes
    // on after the pause; the rest of the claimed batch goes back to the queue untouched.
    const sentBeforePause = server.messages.length;
    expect(sentBeforePause).toBeLessThanOrEqual(1 + 8);
    expect(outbox.deliveries.filter((d) => d.state === 'QUEUED')).toHaveLength(15 - sentBeforePause);
    outbox.controlState = 'RUN';
    const resumed = await run();
    expect(resumed).toMatchObject({ stoppedBecause: 'FINISHED', done: 15 });
    expect(server.messages).toHaveLength(15);
    for (const r of list) expect(server.receivedBy(r.email)).toHaveLength(1);
  });

  it('honours an unsubscribe that arrives during the send at the next batch', async () => {
    const list = recipients(10);
    const { server, outbox, run } = await setup({}, list, { connections: 1 });
    server.onMessage = (message) => {
      if (message.to.includes('klant1@example.nl')) outbox.suppressed.add('klant8@example.nl');
    };
    const result = await run();
    expect(result).toMatchObject({ stoppedBecause: 'FINISHED', sent: 9, suppressed: 1 });
    expect(server.receivedBy('klant8@example.nl')).toHaveLength(0);
    expect(states(outbox)['klant8@example.nl']).toBe('SKIPPED');
  });

  it('stops at the batch boundary when the host check before a batch refuses, and pauses with its reason', async () => {
    const list = recipients(12);
    const { server, outbox, run } = await setup({}, list, { connections: 1 });
    let batches = 0;
    const result = await run({
      batchSize: 5,
      // The api pulls the opt-in service's unsubscribes here; the third batch finds the pull stale.
      beforeBatch: () => {
        batches += 1;
        return Promise.resolve(
          batches >= 3
            ? { code: 'OPTIN_PULL_STALE', message: 'unsubscribes not pulled for 24 hours' }
            : undefined,
        );
      },
    });
    expect(result.stoppedBecause).toBe('GATE_REFUSED');
    expect(result.error?.code).toBe('OPTIN_PULL_STALE');
    expect(outbox.stopped?.code).toBe('OPTIN_PULL_STALE');
    expect(server.messages).toHaveLength(10);
    // The last two were never claimed: they wait in the queue for the resume.
    expect(outbox.deliveries.filter((d) => d.state === 'QUEUED')).toHaveLength(2);
  });

  it('stays within the per-minute limit', async () => {
    const list = recipients(7);
    let now = Date.parse('2026-11-28T10:00:00Z');
    const { outbox, run } = await setup({}, list, { connections: 1 });
    const result = await run({
      limits: { perMinute: 3 },
      clock: () => new Date(now),
      sleep: (ms) => {
        now += ms;
        return Promise.resolve();
      },
    });
    expect(result.stoppedBecause).toBe('FINISHED');
    const times = outbox.deliveries.map((d) => Date.parse(d.sentAt ?? '')).sort((a, b) => a - b);
    for (const t of times) {
      expect(times.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(3);
    }
    // 7 messages at 3 a minute take at least two full minutes.
    expect((times[6] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(120_000);
  });

  it('fails one message that cannot be composed and sends the rest', async () => {
    const list = recipients(3);
    list[1] = { ...(list[1] as ComposeRecipient), merge: { firstName: 'Evil\r\nBcc: everyone@x.nl' } };
    const { server, outbox, run } = await setup({}, list);
    const result = await run();
    expect(result).toMatchObject({ sent: 2, failed: 1 });
    expect(outbox.deliveries[1]?.result).toMatchObject({ kind: 'FAILED', reason: 'INVALID_MESSAGE' });
    expect(server.receivedBy('klant2@example.nl')).toHaveLength(0);
  });
});
