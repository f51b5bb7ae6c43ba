import { randomUUID, generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DomainPacer,
  composeMessage,
  composeSignedMessage,
  createSmtpPool,
  createUnsubscribeToken,
  estimateSendDuration,
  runOutbox,
  warmupDailyLimit,
  type ComposeRecipient,
} from '../src/index.js';
import { createMemoryOutboxStore, startSmtpTestServer, type SmtpTestServer } from '../src/testing/index.js';

const sender = {
  legalName: 'Bakkerij de Vries B.V.',
  postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
  contactEmail: 'info@bakkerij.nl',
  kvkNumber: '12345678',
};
const mailing = {
  subject: 'Nieuws',
  html: '<p>Hallo</p>',
  lang: 'nl' as const,
  content: 'MARKETING' as const,
};

/** `count` recipients at each domain, interleaved as a real list would be. */
function mixed(count: number, domains: readonly string[]): ComposeRecipient[] {
  return Array.from({ length: count * domains.length }, (_, i) => ({
    email: `klant${Math.floor(i / domains.length) + 1}@${domains[i % domains.length] ?? ''}`,
    merge: {},
    method: 'WEB_DOI' as const,
    firstMailing: false,
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

/** A real SMTP server that answers 451 4.7.0 (too fast / reputation) to every RCPT at gmail.com. */
async function throttlingGmail(list: ComposeRecipient[]) {
  const log: { address: string; at: number; reply: 'DEFERRED' | 'OK' }[] = [];
  server = await startSmtpTestServer({
    faults: {
      onRcpt: (address) => {
        const throttled = address.endsWith('@gmail.com');
        log.push({ address, at: Date.now(), reply: throttled ? 'DEFERRED' : 'OK' });
        return throttled
          ? { code: 451, message: '4.7.0 Try again later, closing connection. (rate)' }
          : undefined;
      },
    },
  });
  const outbox = createMemoryOutboxStore(list);
  const transport = createSmtpPool(
    { host: '127.0.0.1', port: server.port, security: 'NONE', connections: 2 },
    undefined,
    { connectionTimeoutMs: 2000, greetingTimeoutMs: 1000, socketTimeoutMs: 5000 },
  );
  pools.push(transport);
  const run = (domainPacing?: DomainPacer) =>
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
      connections: 2,
      batchSize: 10,
      retryDelaysMs: [60_000],
      maxWaitMs: 0,
      ...(domainPacing ? { domainPacing } : {}),
    });
  return { server, outbox, run, log };
}

describe('per-recipient-domain pacing against a real SMTP server', () => {
  it('a 4.7.0 deferral from gmail.com slows gmail.com only: the other domain keeps flowing', async () => {
    const list = mixed(30, ['gmail.com', 'bakkerij-klant.nl']);
    const { server, outbox, run, log } = await throttlingGmail(list);
    const pacer = new DomainPacer();
    const started = Date.now();
    const result = await run(pacer);

    // Every message to the other domain was accepted, within seconds, though gmail.com kept deferring.
    const others = list.filter((r) => r.email.endsWith('@bakkerij-klant.nl'));
    for (const r of others) expect(server.receivedBy(r.email)).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result).toMatchObject({ sent: 30, stoppedBecause: 'WAITING' });

    // gmail.com got only what was already under way when it first said 4.7.0; the rest waits for its pause.
    const gmailTries = log.filter((l) => l.reply === 'DEFERRED');
    expect(gmailTries.length).toBeGreaterThan(0);
    expect(gmailTries.length).toBeLessThanOrEqual(8);
    const firstDeferral = gmailTries[0]?.at ?? 0;
    expect(log.filter((l) => l.reply === 'OK' && l.at > firstDeferral).length).toBeGreaterThan(20);
    const queued = outbox.deliveries.filter(
      (d) => d.recipient.email.endsWith('@gmail.com') && d.state === 'QUEUED',
    );
    expect(queued.length).toBe(30 - gmailTries.length);

    expect(pacer.slowed().map((s) => s.group)).toEqual(['gmail']);
    expect(pacer.limitsFor('x@gmail.com')).toEqual({ perMinute: 30, perHour: 1000, perDay: undefined });
    expect(pacer.delayFor('x@gmail.com', Date.now())).toBeGreaterThan(40_000);
    expect(pacer.delayFor('x@bakkerij-klant.nl', Date.now())).toBe(0);
  });

  it('without domain pacing the same server gets every gmail.com message thrown at it (the test can fail)', async () => {
    const list = mixed(30, ['gmail.com', 'bakkerij-klant.nl']);
    const { run, log } = await throttlingGmail(list);
    await run();
    expect(log.filter((l) => l.reply === 'DEFERRED')).toHaveLength(30);
  });
});

describe('DomainPacer', () => {
  it('shares one limit across a provider’s domains and applies overrides', () => {
    const pacer = new DomainPacer({ overrides: { 'ziggo.nl': { perMinute: 2 } } });
    expect(pacer.groupOf('a@hotmail.com')).toBe(pacer.groupOf('b@outlook.com'));
    expect(pacer.groupOf('a@xs4all.nl')).toBe('xs4all');
    expect(pacer.groupOf('a@KPNmail.nl')).toBe('kpn');
    const t = 1_000_000;
    pacer.record('a@ziggo.nl', t);
    pacer.record('b@home.nl', t);
    expect(pacer.delayFor('c@upcmail.nl', t)).toBe(60_000);
    expect(pacer.delayFor('d@gmail.com', t)).toBe(0);
    expect(pacer.delayFor('e@unknown.example', t)).toBe(0);
  });

  it('slows a domain without limits after a deferral, and wins the rate back after accepted messages', () => {
    const pacer = new DomainPacer({ deferral: { recoverAfter: 2 } });
    const t = 5_000_000;
    pacer.deferred('a@gmail.com', t);
    expect(pacer.limitsFor('a@gmail.com').perMinute).toBe(30);
    expect(pacer.delayFor('a@gmail.com', t)).toBe(60_000);
    // A second 4.7.x during the pause is the same signal (messages already under way).
    pacer.deferred('a@gmail.com', t + 1000);
    expect(pacer.limitsFor('a@gmail.com').perMinute).toBe(30);
    pacer.deferred('a@gmail.com', t + 60_000);
    expect(pacer.limitsFor('a@gmail.com').perMinute).toBe(15);
    expect(pacer.delayFor('a@gmail.com', t + 60_000)).toBe(120_000);
    pacer.accepted('a@gmail.com');
    pacer.accepted('a@gmail.com');
    expect(pacer.limitsFor('a@gmail.com').perMinute).toBe(30);
    pacer.accepted('a@gmail.com');
    pacer.accepted('a@gmail.com');
    expect(pacer.limitsFor('a@gmail.com').perMinute).toBe(60);
    pacer.deferred('x@small.example', t);
    expect(pacer.limitsFor('x@small.example')).toMatchObject({ perMinute: 10 });
  });
});

describe('warm-up and the send-time estimate', () => {
  it('follows the warm-up schedule from the first send and ends it after the last day', () => {
    expect(warmupDailyLimit(undefined, new Date('2026-12-01T00:00:00Z'))).toBe(50);
    expect(warmupDailyLimit('2026-12-01T09:00:00Z', new Date('2026-12-01T20:00:00Z'))).toBe(50);
    expect(warmupDailyLimit('2026-12-01T09:00:00Z', new Date('2026-12-03T10:00:00Z'))).toBe(200);
    expect(warmupDailyLimit('2026-10-01T09:00:00Z', new Date('2026-12-01T10:00:00Z'))).toBeUndefined();
  });

  it('estimates by the slowest of throughput, the profile limit and each provider', () => {
    const pacer = new DomainPacer();
    const gmail = estimateSendDuration({
      recipientsByDomain: { 'gmail.com': 3000, 'example.nl': 100 },
      profileLimits: {},
      pacer,
      connections: 2,
    });
    expect(gmail.limitedBy).toEqual({ kind: 'PROVIDER', group: 'gmail' });
    expect(gmail.totalMs).toBe(3_600_000);
    const warm = estimateSendDuration({
      recipientsByDomain: { 'example.nl': 500 },
      profileLimits: { perDay: 200 },
      pacer,
      connections: 2,
    });
    expect(warm).toMatchObject({ totalMs: 2 * 86_400_000, limitedBy: { kind: 'PROFILE_LIMIT' } });
    const fast = estimateSendDuration({
      recipientsByDomain: { 'example.nl': 400 },
      profileLimits: {},
      pacer,
      connections: 2,
    });
    expect(fast).toMatchObject({ totalMs: 50_000, limitedBy: { kind: 'THROUGHPUT' } });
  });
});

describe('a key that cannot sign stops the send', () => {
  it('stops the mailing as DKIM_FAILED before anything is handed over, and nothing goes out unsigned', async () => {
    server = await startSmtpTestServer({});
    const list = mixed(5, ['example.nl']);
    const outbox = createMemoryOutboxStore(list);
    const transport = createSmtpPool(
      { host: '127.0.0.1', port: server.port, security: 'NONE', connections: 1 },
      undefined,
    );
    pools.push(transport);
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const result = await runOutbox({
      store: outbox,
      transport,
      mailingId: 'm1',
      workerId: randomUUID(),
      compose: (delivery) =>
        composeSignedMessage({
          sender,
          settings: {
            fromAddress: 'nieuws@bakkerij.nl',
            dkim: { domainName: 'bakkerij.nl', keySelector: 's1', privateKey: pem.replace(/\n/g, ' ') },
          },
          mailing,
          recipient: delivery.recipient,
        }),
      connections: 1,
    });
    expect(result.stoppedBecause).toBe('DKIM_FAILED');
    expect(outbox.stopped?.code).toBe('SMTP_DKIM_KEY_ONE_LINE');
    expect(server.messages).toHaveLength(0);
    expect(outbox.deliveries.every((d) => d.state === 'QUEUED' && !d.handedOver)).toBe(true);
  });
});
