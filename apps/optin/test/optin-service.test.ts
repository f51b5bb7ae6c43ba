import { join } from 'node:path';
import { startSmtpTestServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../src/config.js';
import { verifyEvent } from '../src/crypto.js';
import { startOptinTestService, type OptinTestService } from '../src/testing/index.js';
import { curl, launchChromium, STORAGES } from './support.js';

const DAY = 86_400_000;

interface Harness extends OptinTestService {
  smtp: SmtpTestServer;
  logs: string[];
}

/** The service with the shop's newsletter form (version 3, two lists, two consent text versions). */
async function startHarness(
  database: (dir: string) => DatabaseConfig,
  extra: Record<string, unknown> = {},
): Promise<Harness> {
  const smtp = await startSmtpTestServer();
  const logs: string[] = [];
  const service = await startOptinTestService({
    smtp,
    database,
    logStream: { write: (line) => void logs.push(line) },
    config: {
      trustedProxies: ['127.0.0.1'],
      forms: [
        {
          id: 'newsletter',
          version: '3',
          lists: [
            { id: 'news', name: { nl: 'Nieuwsbrief', en: 'Newsletter' } },
            { id: 'offers', name: { nl: 'Aanbiedingen', en: 'Offers' } },
          ],
          consentTexts: [
            { version: 'v1', text: { nl: 'Oude tekst.', en: 'Old text.' } },
            {
              version: 'v2',
              text: {
                nl: 'Ja, stuur mij de nieuwsbrief van Bakkerij Test.',
                en: 'Yes, send me the Bakkerij Test newsletter.',
              },
            },
          ],
        },
      ],
      limits: { signupsPerIpPerHour: 60 },
      ...extra,
    },
  });
  return {
    ...service,
    smtp,
    logs,
    async close() {
      await service.close();
      await smtp.close();
    },
  };
}

function linkIn(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  if (!match) throw new Error(`No link matching ${pattern} in:\n${text}`);
  return match[0];
}

function apiSignup(
  base: string,
  email: string,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
) {
  return fetch(`${base}/api/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      formId: 'newsletter',
      formVersion: '3',
      consentTextVersion: 'v2',
      email,
      lists: ['news'],
      language: 'en',
      ...extra,
    }),
  });
}

describe.each(STORAGES)('the opt-in service on %s', (_name, storage) => {
  let h: Harness;
  let stopStorage: () => void = () => undefined;

  beforeAll(async () => {
    const s = await storage();
    stopStorage = () => s.stop();
    h = await startHarness(s.db);
  });
  afterAll(async () => {
    await h.close();
    stopStorage();
  });

  let unsubscribeLink = '';

  it('signs up in Chromium, survives a link scanner, confirms on the human button press and sends a receipt', async () => {
    const browser = await launchChromium('nl');
    try {
      const page = await browser.context.newPage();
      await page.goto(`${h.base}/signup?form=newsletter&lang=nl`);
      await page.fill('input[name=email]', 'Jan.Jansen@Example.NL');
      await page.click('button[type=submit]');
      await expect.poll(() => page.textContent('h1')).toBe('Kijk in je mailbox');
      await h.smtp.waitFor(1);
      const mail = h.smtp.receivedBy('jan.jansen@example.nl')[0];
      expect(mail?.parsed.subject).toBe('Bevestig je aanmelding');
      const link = linkIn(mail?.parsed.text ?? '', /http:\/\/127\.0\.0\.1:\d+\/confirm\/[A-Za-z0-9_-]+/);

      // A scanner fetches the link (HEAD, then GET) before the person does: nothing is confirmed.
      expect((await fetch(link, { method: 'HEAD' })).status).toBe(200);
      const scanned = await fetch(link, { headers: { 'user-agent': 'SafeLinks-Scanner/1.0' } });
      expect(await scanned.text()).toContain('Ja, ik bevestig mijn aanmelding');
      // The scanner also "submits" without the nonce its own GET got: refused.
      expect((await fetch(link, { method: 'POST' })).status).toBe(403);
      expect((await h.feed()).filter((e) => e.type === 'confirmed')).toHaveLength(0);

      h.advance(15_000);
      await page.goto(link);
      await page.click('button[type=submit]');
      await expect.poll(() => page.textContent('h1')).toBe('Bevestigd');
      // A second press (back, resubmit) still shows success and writes nothing.
      await page.goto(link);
      await expect.poll(() => page.textContent('h1')).toBe('Bevestigd');
      const repeat = await fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'nonce=AAAAAAAAAAAAAAAAAAAAAA',
      });
      expect(repeat.status).toBe(200);

      const events = await h.feed();
      const confirmed = events.filter((e) => e.type === 'confirmed');
      expect(confirmed).toHaveLength(1);
      const data = confirmed[0]?.data ?? {};
      expect(data).toMatchObject({
        email: 'Jan.Jansen@example.nl',
        formId: 'newsletter',
        formVersion: '3',
        consentTextVersion: 'v2',
        consentText: 'Ja, stuur mij de nieuwsbrief van Bakkerij Test.',
        lists: ['news', 'offers'],
        signupIp: '127.0.0.1',
        confirmIp: '127.0.0.1',
        confirmMethod: 'LINK_PAGE_BUTTON_POST',
        source: `${h.base}/signup?form=newsletter&lang=nl`,
      });
      expect(String(data.signupUserAgent)).toMatch(/Chrome/);
      expect(String(data.confirmUserAgent)).toMatch(/Chrome/);
      expect(Number(data.secondsSinceMail)).toBeGreaterThanOrEqual(14);
      expect(String(data.confirmRawMime)).toContain('Message-ID: ');
      expect(String(data.confirmSmtpReply)).toMatch(/^250/);

      await h.smtp.waitFor(2);
      const receipt = h.smtp.receivedBy('jan.jansen@example.nl')[1];
      expect(receipt?.parsed.subject).toBe('Je aanmelding is bevestigd');
      expect(receipt?.parsed.text).toContain('versie v2');
      expect(receipt?.parsed.text).toContain('KvK 87654321');
      unsubscribeLink = linkIn(
        receipt?.parsed.text ?? '',
        /http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=[A-Za-z0-9_-]+/,
      );
    } finally {
      await browser.close();
    }
  });

  it('signs every event so the pinned key verifies it, and a flipped byte is refused', async () => {
    const key = ((await (await fetch(`${h.base}/key`)).json()) as { publicKey: string }).publicKey;
    const events = await h.feed();
    expect(events.map((e) => e.type)).toEqual(['signed_up', 'confirmation_mail_sent', 'confirmed']);
    for (const event of events) expect(verifyEvent(key, event, event.signature)).toBe(true);
    const first = events[0];
    if (!first) throw new Error('no event');
    const tampered = { ...first, data: { ...first.data, signupIp: '127.0.0.2' } };
    expect(verifyEvent(key, tampered, first.signature)).toBe(false);
    const sig = Buffer.from(first.signature, 'base64');
    sig[0] = (sig[0] ?? 0) ^ 1;
    expect(verifyEvent(key, first, sig.toString('base64'))).toBe(false);
    expect((await fetch(`${h.base}/events?after=0`)).status).toBe(401);
    expect(
      (
        await fetch(`${h.base}/events?after=0`, {
          headers: { authorization: 'Bearer wrong-token-wrong-token-wrong' },
        })
      ).status,
    ).toBe(401);
  });

  it('answers the RFC 8058 one-click POST from curl with 200, no redirect, idempotent, in both encodings', async () => {
    const before = (await h.feed()).length;
    const urlencoded = await curl([
      '-X',
      'POST',
      '-H',
      'Content-Type: application/x-www-form-urlencoded',
      '--data',
      'List-Unsubscribe=One-Click',
      unsubscribeLink,
    ]);
    expect(urlencoded.status).toBe(200);
    expect(urlencoded.headers.toLowerCase()).not.toContain('location:');
    expect(urlencoded.headers.toLowerCase()).not.toContain('set-cookie:');
    const again = await curl(['-X', 'POST', '-F', 'List-Unsubscribe=One-Click', unsubscribeLink]);
    expect(again.status).toBe(200);
    expect(again.body).toBe(urlencoded.body);
    const unknown = await curl([
      '-X',
      'POST',
      '-F',
      'List-Unsubscribe=One-Click',
      '-H',
      'Origin: https://evil.example',
      `${h.base}/unsubscribe?token=deliveryToken1234567`,
    ]);
    expect(unknown.status).toBe(200);
    expect(unknown.body).toBe(urlencoded.body);
    const events = (await h.feed()).slice(before);
    expect(events.map((e) => e.type)).toEqual(['unsubscribed', 'unsubscribed']);
    expect(events[0]?.data).toMatchObject({ email: 'Jan.Jansen@example.nl', lists: 'ALL', via: 'one-click' });
    expect(events[1]?.data).toMatchObject({ token: 'deliveryToken1234567', lists: 'ALL' });

    // The GET shows a button, never unsubscribes by itself.
    const get = await fetch(`${h.base}/unsubscribe?token=anotherToken123456`);
    expect(await get.text()).toContain('<button');
    expect((await h.feed()).length).toBe(before + 2);

    // A suppressed address gets no further confirmation mail.
    const mails = h.smtp.messages.length;
    h.advance(2 * DAY);
    expect((await apiSignup(h.base, 'Jan.Jansen@example.nl')).status).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.smtp.messages.length).toBe(mails);
  });

  it('sends exactly one mail for a flood of 50 sign-ups of one address in a minute, and none for a honeypot', async () => {
    const mails = h.smtp.messages.length;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        apiSignup(h.base, 'flood@example.nl', { 'x-forwarded-for': '198.51.100.50' }),
      ),
    );
    expect(answers.every((a) => a.status === 202)).toBe(true);
    await h.smtp.waitFor(mails + 1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.smtp.receivedBy('flood@example.nl')).toHaveLength(1);
    // Next day one more, but never more than three a month.
    for (let day = 1; day <= 4; day++) {
      h.advance(DAY);
      await apiSignup(h.base, 'flood@example.nl');
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.smtp.receivedBy('flood@example.nl')).toHaveLength(3);

    expect((await apiSignup(h.base, 'bot@example.nl', {}, { website: 'http://spam' })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.smtp.receivedBy('bot@example.nl')).toHaveLength(0);
  });

  it('lets a token expire after 30 days and keeps one-click working for a desktop token', async () => {
    await apiSignup(h.base, 'late@example.nl');
    await expect.poll(() => h.smtp.receivedBy('late@example.nl').length).toBe(1);
    const link = linkIn(
      h.smtp.receivedBy('late@example.nl')[0]?.parsed.text ?? '',
      /http:\/\/127\.0\.0\.1:\d+\/confirm\/[A-Za-z0-9_-]+/,
    );
    const html = await (await fetch(link)).text();
    const nonce = /name="nonce" value="([^"]+)"/.exec(html)?.[1] ?? '';
    h.advance(31 * DAY);
    const late = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `nonce=${nonce}`,
    });
    expect(late.status).toBe(404);
    expect((await h.feed()).some((e) => e.type === 'confirmed' && e.data.email === 'late@example.nl')).toBe(
      false,
    );
  });

  it('believes X-Forwarded-For only from the trusted proxy and limits sign-ups per IP', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 61; i++) {
      answers.push(
        (await apiSignup(h.base, `ip${i}@example.nl`, { 'x-forwarded-for': '203.0.113.7' })).status,
      );
    }
    expect(answers.filter((s) => s === 429)).toHaveLength(1);
    expect(answers.at(-1)).toBe(429);
    // Another client behind the same proxy is not limited.
    expect((await apiSignup(h.base, 'other@example.nl', { 'x-forwarded-for': '203.0.113.8' })).status).toBe(
      202,
    );
    await expect
      .poll(async () =>
        (await h.feed()).some((e) => e.type === 'signed_up' && e.data.signupIp === '203.0.113.8'),
      )
      .toBe(true);
  });

  it('serves security headers, limits request size and logs no address or token', async () => {
    const response = await fetch(`${h.base}/signup`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const big = await fetch(`${h.base}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=${'a'.repeat(20_000)}`,
    });
    expect(big.status).toBe(413);
    expect((await fetch(`${h.base}/health`)).status).toBe(200);
    const log = h.logs.join('');
    expect(log).toContain('"route":"/confirm/:token"');
    expect(log.toLowerCase()).not.toContain('jan.jansen');
    expect(log).not.toContain('203.0.113');
    expect(log).not.toMatch(/token=[A-Za-z0-9_-]{8}/);
    expect(await fetch(`${h.base}/signup?lang=en`).then((r) => r.text())).toContain('Sign up');
  });
});

describe('an opt-in service without trusted proxies', () => {
  it('ignores X-Forwarded-For and records the connecting address', async () => {
    const h = await startHarness((dir) => ({ kind: 'sqlite', file: join(dir, 'o.sqlite') }), {
      trustedProxies: [],
    });
    try {
      await apiSignup(h.base, 'spoof@example.nl', { 'x-forwarded-for': '198.51.100.1' });
      const signup = (await h.feed()).find((e) => e.type === 'signed_up');
      expect(signup?.data.signupIp).toBe('127.0.0.1');
    } finally {
      await h.close();
    }
  });
});
