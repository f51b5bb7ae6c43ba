import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { startDovecot, type DovecotServer } from '@consent-mailer/intake/testing';
import { startSmtpTestServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import type { OptinConfigInput } from '@consent-mailer/optin';
import {
  startOptinTestService,
  TEST_FEED_TOKEN as FEED_TOKEN,
  type OptinTestService,
} from '@consent-mailer/optin/testing';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../src/optin-check/index.js';
import { fingerprintOf, serviceKey } from '../src/optin-check/feed.js';
import { runCli } from './cli-harness.js';

const DAY = 86_400_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A real opt-in service on 127.0.0.1 with default limits, mailing through the real SMTP test server. */
function startService(
  smtp: SmtpTestServer,
  publicUrl?: string,
  config: Partial<OptinConfigInput> = {},
): Promise<OptinTestService> {
  return startOptinTestService({
    smtp,
    ...(publicUrl ? { publicUrl: () => publicUrl } : {}),
    config,
  });
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A deliberately broken deployment: a proxy in front of a real service that confirms on GET (as if its
 * page auto-submitted), redirects the one-click POST, and hands out a feed whose events were altered.
 */
async function startBrokenProxy(port: number, upstream: () => string): Promise<Server> {
  const forward = async (request: IncomingMessage, path: string, method: string, payload?: Buffer) => {
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'user-agent', 'authorization', 'accept-language', 'origin'])
      if (typeof request.headers[name] === 'string') headers[name] = request.headers[name];
    return fetch(`${upstream()}${path}`, {
      method,
      headers,
      redirect: 'manual',
      ...(payload && payload.length > 0 ? { body: payload } : {}),
    });
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const path = request.url ?? '/';
      const method = request.method ?? 'GET';
      const payload = method === 'GET' || method === 'HEAD' ? undefined : await body(request);
      const upstreamAnswer = await forward(request, path, method, payload);
      let text = await upstreamAnswer.text();
      if (method === 'GET' && path.startsWith('/confirm/')) {
        const nonce = /name="nonce" value="([^"]+)"/.exec(text)?.[1];
        if (nonce)
          await fetch(`${upstream()}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: `nonce=${nonce}`,
          });
      }
      if (method === 'POST' && path.startsWith('/unsubscribe')) {
        response.writeHead(303, { location: '/unsubscribed' }).end();
        return;
      }
      if (path.startsWith('/events') && upstreamAnswer.status === 200) {
        const feed = JSON.parse(text) as { events: { at: string }[] };
        for (const event of feed.events) event.at = event.at.replace(/Z$/, '+00:00');
        text = JSON.stringify(feed);
      }
      response.writeHead(upstreamAnswer.status, {
        'content-type': upstreamAnswer.headers.get('content-type') ?? 'text/plain',
      });
      response.end(method === 'HEAD' ? undefined : text);
    })().catch((error: unknown) => {
      response.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

function statusOf(report: CheckReport): Record<string, string> {
  return Object.fromEntries(report.results.map((r) => [r.id, r.status]));
}

describe('consent-mailer optin check', () => {
  let dovecot: DovecotServer;
  let smtp: SmtpTestServer;
  let deliverer: ImapFlow;
  let imapUrl: string;
  const appends: Promise<unknown>[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot({ users: { probe: 'geheim' } });
    imapUrl = `imap://probe:geheim@${dovecot.host}:${dovecot.port}/INBOX`;
    deliverer = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      auth: { user: 'probe', pass: 'geheim' },
      logger: false,
    });
    await deliverer.connect();
    smtp = await startSmtpTestServer();
    // What the service's SMTP server accepts lands in the probe mailbox, as a mail host would deliver it.
    smtp.onMessage = (message) => void appends.push(deliverer.append('INBOX', message.raw));
  });

  afterAll(async () => {
    await Promise.allSettled(appends);
    await deliverer?.logout();
    await smtp?.close();
    await dovecot?.stop();
  });

  it('passes every clause against the running service, reading real mail over IMAP', async () => {
    const service = await startService(smtp);
    try {
      // A link the hoster kept from a sign-up 31 days ago (the service's clock is moved on).
      const before = smtp.messages.length;
      await fetch(`${service.base}/api/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          formId: 'newsletter',
          formVersion: '1',
          consentTextVersion: 'v1',
          email: 'old@bakkerij.example',
          lists: ['news'],
          language: 'en',
        }),
      });
      await smtp.waitFor(before + 1);
      const expiredLink = /https?:\/\/\S+\/confirm\/\S+/.exec(smtp.messages.at(-1)?.parsed.text ?? '')?.[0];
      expect(expiredLink).toBeDefined();
      service.advance(31 * DAY);

      const key = await serviceKey(new URL(`${service.base}/`));
      if ('error' in key) throw new Error(key.error);
      const fingerprint = fingerprintOf(key.key);
      const run = await runCli([
        '--json',
        'optin',
        'check',
        service.base,
        '--imap',
        imapUrl,
        '--address',
        'probe@bakkerij.example',
        '--feed-token',
        FEED_TOKEN,
        '--key',
        fingerprint.toUpperCase(),
        '--expired-link',
        expiredLink ?? '',
        '--wait',
        '20',
        '--settle',
        '2',
      ]);
      const report = JSON.parse(run.stdout) as CheckReport;
      const failing = report.results.filter((r) => r.status !== 'pass');
      expect(failing, JSON.stringify(failing, null, 2)).toEqual([]);
      expect(run.code).toBe(0);
      expect(report.results.map((r) => r.id)).toEqual([
        'feed.key',
        'feed.auth',
        'confirm.scanner',
        'confirm.human',
        'confirm.single-use',
        'confirm.nonce-replay',
        'confirm.unknown-token',
        'expiry.ttl',
        'expiry.link',
        'rfc8058.urlencoded',
        'rfc8058.multipart',
        'rfc8058.no-cookie-origin',
        'rfc8058.idempotent',
        'rfc8058.unknown-token',
        'rfc8058.get-page',
        'rfc8058.get-no-change',
        'flood.one-mail',
        'feed.verifies',
        'feed.flipped-byte',
      ]);
      // The flood really went through SMTP: one message for the flood address, nothing more.
      const flood = smtp.messages.filter((m) => m.to.some((to) => /\+cm[0-9a-f]{8}f@/.test(to)));
      expect(flood).toHaveLength(1);
      // The probe confirmed through the button, as the feed records it.
      const feed = (await (
        await fetch(`${service.base}/events?after=0`, { headers: { authorization: `Bearer ${FEED_TOKEN}` } })
      ).json()) as { events: { type: string; data: { confirmMethod?: string; email?: string } }[] };
      const confirmations = feed.events.filter((e) => e.type === 'confirmed');
      expect(confirmations.map((e) => e.data.confirmMethod)).toEqual([
        'LINK_PAGE_BUTTON_POST',
        'LINK_PAGE_BUTTON_POST',
      ]);
    } finally {
      await service.close();
    }
  });

  it('passes every clause against a service with Altcha on, solving each proof of work as the widget does', async () => {
    const service = await startService(smtp, undefined, {
      // A light proof keeps the 50 flood sign-ups quick; the check solves whatever the service asks.
      altcha: { enabled: true, hmacKey: 'altcha-hmac-key-for-the-check-0123456789', cost: 100 },
    });
    try {
      // Without a proof the service refuses: the check passes only because it does the work.
      const bare = await fetch(`${service.base}/api/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          formId: 'newsletter',
          formVersion: '1',
          consentTextVersion: 'v1',
          email: 'bare@bakkerij.example',
          lists: ['news'],
        }),
      });
      expect(bare.status).toBe(403);
      const key = await serviceKey(new URL(`${service.base}/`));
      if ('error' in key) throw new Error(key.error);
      const run = await runCli([
        '--json',
        'optin',
        'check',
        service.base,
        '--imap',
        imapUrl,
        '--address',
        'probe@bakkerij.example',
        '--feed-token',
        FEED_TOKEN,
        '--key',
        fingerprintOf(key.key),
        '--wait',
        '20',
        '--settle',
        '2',
      ]);
      const report = JSON.parse(run.stdout) as CheckReport;
      const failing = report.results.filter((r) => r.status !== 'pass' && r.id !== 'expiry.link');
      expect(failing, JSON.stringify(failing, null, 2)).toEqual([]);
      expect(statusOf(report)['confirm.human']).toBe('pass');
      expect(statusOf(report)['flood.one-mail']).toBe('pass');
      // The service's default of 30 challenges a minute per address stops the flood before its 50th
      // sign-up; the check says so instead of breaking.
      const flood = report.results.find((r) => r.id === 'flood.one-mail');
      expect(flood?.detail.en).toMatch(/1 mail arrived .*; \d+ got no challenge \(429/);
      expect(run.code).toBe(0);
    } finally {
      await service.close();
    }
  });

  it('fails the clauses a broken deployment breaks, exits non-zero, and says so in Dutch', async () => {
    const proxyPort = await freePort();
    const service = await startService(smtp, `http://127.0.0.1:${proxyPort}`);
    const proxy = await startBrokenProxy(proxyPort, () => service.base);
    try {
      const run = await runCli([
        '--lang',
        'nl',
        'optin',
        'check',
        `http://127.0.0.1:${proxyPort}`,
        '--imap',
        imapUrl,
        '--address',
        'probe@bakkerij.example',
        '--feed-token',
        FEED_TOKEN,
        '--wait',
        '20',
        '--settle',
        '2',
      ]);
      if (process.env.OPTIN_CHECK_SHOW) console.log(run.stdout);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/OPTIN_CHECK_FAILED.*voldoet niet/);
      const line = (id: string) => run.stdout.split('\n').find((l) => l.includes(` ${id}:`)) ?? '';
      expect(line('confirm.scanner')).toMatch(/^\s+FOUT /);
      expect(line('rfc8058.urlencoded')).toMatch(/^\s+FOUT /);
      expect(line('rfc8058.multipart')).toMatch(/^\s+FOUT /);
      expect(line('rfc8058.no-cookie-origin')).toMatch(/^\s+FOUT /);
      expect(line('feed.verifies')).toMatch(/^\s+FOUT /);
      expect(line('feed.flipped-byte')).toMatch(/^\s+FOUT /);
      // What the proxy does not break still passes.
      expect(line('flood.one-mail')).toMatch(/^\s+GOED /);
      expect(line('feed.auth')).toMatch(/^\s+GOED /);
      expect(run.stdout).toMatch(/303 → \/unsubscribed/);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
      await service.close();
    }
  });

  it('fails the flood clause when the limits let more mails through, and the key clause for another key', async () => {
    const service = await startService(smtp, undefined, {
      limits: { mailsPerAddressPerDay: 5, mailsPerAddressPerMonth: 10 },
    });
    try {
      const run = await runCli([
        'optin',
        'check',
        service.base,
        '--imap',
        imapUrl,
        '--address',
        'probe@bakkerij.example',
        '--feed-token',
        FEED_TOKEN,
        '--key',
        `sha256:${'0'.repeat(64)}`,
        '--wait',
        '20',
        '--settle',
        '2',
      ]);
      expect(run.code).toBe(1);
      const line = (id: string) => run.stdout.split('\n').findIndex((l) => l.includes(` ${id}:`));
      const lines = run.stdout.split('\n');
      expect(lines[line('flood.one-mail')]).toMatch(/^\s+FAIL /);
      expect(lines[line('flood.one-mail') + 1]).toMatch(/5 mails arrived/);
      expect(lines[line('feed.key')]).toMatch(/^\s+FAIL /);
      expect(lines[line('feed.key') + 1]).toMatch(/not the pinned sha256:0{64}: do not pair/);
      expect(lines[line('confirm.scanner')]).toMatch(/^\s+PASS /);
      expect(run.stdout).toMatch(/16 passed, 2 failed, 1 skipped/);
    } finally {
      await service.close();
    }
  });

  it('reports the clauses it cannot check without a mailbox or feed token as skipped, never as passed', async () => {
    const service = await startService(smtp);
    try {
      const run = await runCli(['--json', 'optin', 'check', service.base]);
      const report = JSON.parse(run.stdout) as CheckReport;
      const status = statusOf(report);
      for (const id of [
        'confirm.scanner',
        'confirm.human',
        'confirm.single-use',
        'confirm.nonce-replay',
        'flood.one-mail',
        'rfc8058.unknown-token',
      ])
        expect(report.results.find((r) => r.id === id)?.detail.en).toBe(
          'skipped: needs --imap and --address',
        );
      for (const id of ['rfc8058.idempotent', 'rfc8058.get-no-change', 'feed.verifies', 'feed.flipped-byte'])
        expect(status[id]).toBe('skipped');
      expect(status['expiry.link']).toBe('skipped');
      // What needs neither is checked for real.
      expect(status['rfc8058.urlencoded']).toBe('pass');
      expect(status['rfc8058.multipart']).toBe('pass');
      expect(status['feed.auth']).toBe('pass');
      expect(status['expiry.ttl']).toBe('pass');
      expect(report.failed).toBe(0);
      expect(run.code).toBe(0);
    } finally {
      await service.close();
    }
  });
});
