import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startSmtpTestServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import { isUserError } from '@consent-mailer/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../src/config.js';
import { purgeSpentAltcha } from '../src/altcha.js';
import { startOptinTestService, type OptinTestService } from '../src/testing/index.js';
import { curl, launchChromium, STORAGES } from './support.js';

const ALTCHA_KEY = 'altcha-hmac-key-for-tests-0123456789abcdef';
const TTL_SECONDS = 600;

interface Harness extends OptinTestService {
  smtp: SmtpTestServer;
  logs: string[];
}

async function startHarness(
  database: ((dir: string) => DatabaseConfig) | undefined,
  altcha: Record<string, unknown>,
): Promise<Harness> {
  const smtp = await startSmtpTestServer();
  const logs: string[] = [];
  const service = await startOptinTestService({
    smtp,
    ...(database ? { database } : {}),
    logStream: { write: (line) => void logs.push(line) },
    // A light challenge keeps the tests quick; the check is the same at any cost.
    config: { altcha, limits: { signupsPerIpPerHour: 500 } },
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

const ON = {
  enabled: true,
  hmacKey: ALTCHA_KEY,
  cost: 100,
  counter: { min: 50, max: 100 },
  challengeTtlSeconds: TTL_SECONDS,
};

/** Set to a folder to keep a screenshot of the form with the widget per language (for a person to look at). */
const SCREENSHOTS = process.env.OPTIN_SCREENSHOT_DIR;

function formBody(email: string, altcha?: string, language: 'nl' | 'en' = 'nl'): string {
  const form = new URLSearchParams({
    form_id: 'newsletter',
    form_version: '1',
    consent_text_version: 'v1',
    email,
    lists: 'news',
    language,
    website: '',
  });
  if (altcha !== undefined) form.append('altcha', altcha);
  return form.toString();
}

function postForm(base: string, email: string, altcha?: string, language: 'nl' | 'en' = 'nl') {
  return fetch(`${base}/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formBody(email, altcha, language),
  });
}

function postJson(base: string, email: string, altcha?: string) {
  return fetch(`${base}/api/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      formId: 'newsletter',
      formVersion: '1',
      consentTextVersion: 'v1',
      email,
      lists: ['news'],
      language: 'en',
      ...(altcha === undefined ? {} : { altcha }),
    }),
  });
}

/** The payload with another answer: a counter one off and a derived key that is not the challenge's. */
function wrongAnswer(payload: string): string {
  const decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as {
    solution: { counter: number; derivedKey: string };
  };
  const key = decoded.solution.derivedKey;
  decoded.solution = {
    counter: decoded.solution.counter + 1,
    derivedKey: `${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`,
  };
  return Buffer.from(JSON.stringify(decoded)).toString('base64');
}

/** A payload whose parameters were edited after signing (a cheaper cost), signature kept. */
function tampered(payload: string): string {
  const decoded = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as {
    challenge: { parameters: { cost: number } };
  };
  decoded.challenge.parameters.cost = 1;
  return Buffer.from(JSON.stringify(decoded)).toString('base64');
}

/** What a refused sign-up must leave behind: nothing, in any table a sign-up writes, and no mail. */
async function traces(h: Harness) {
  const db = h.server.db;
  const count = async (table: 'signup' | 'ip_hit' | 'mail_slot' | 'feed_event' | 'altcha_spent') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    signups: await count('signup'),
    ipHits: await count('ip_hit'),
    mailSlots: await count('mail_slot'),
    events: await count('feed_event'),
    spent: await count('altcha_spent'),
    mails: h.smtp.messages.length,
  };
}

describe('with Altcha off (the default)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(undefined, {});
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves the form without any script or widget (no worker or fetch in its CSP), and a plain form POST signs up', async () => {
    const page = await curl([`${h.base}/signup?form=newsletter&lang=nl`]);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('<script');
    expect(page.body).not.toContain('<altcha-widget');
    const csp = /content-security-policy: (.*)/i.exec(page.headers)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('worker-src');
    expect(csp).not.toContain('connect-src');
    expect((await curl([`${h.base}/altcha/challenge`])).status).toBe(404);
    expect((await curl([`${h.base}/snippet?form=newsletter`])).body).not.toContain('<script');

    // A browser without JavaScript sends exactly the form's fields.
    const signup = await curl(['-X', 'POST', '--data', formBody('zonder.js@example.nl'), `${h.base}/signup`]);
    expect(signup.status).toBe(200);
    expect(signup.body).toContain('Kijk in je mailbox');
    await h.smtp.waitFor(1);
    expect(h.smtp.receivedBy('zonder.js@example.nl')).toHaveLength(1);
  });
});

describe('starting with Altcha on', () => {
  it('refuses to start without a key, saying in Dutch and English where the key goes', async () => {
    const smtp = await startSmtpTestServer();
    try {
      const error: unknown = await startOptinTestService({
        smtp,
        config: { altcha: { enabled: true } },
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isUserError(error)).toBe(true);
      const { code, text } = error as { code: string; text: { nl: string; en: string } };
      expect(code).toBe('OPTIN_ALTCHA_KEY_MISSING');
      expect(text.en).toContain('set OPTIN_ALTCHA_HMAC_KEY');
      expect(text.nl).toContain('zet OPTIN_ALTCHA_HMAC_KEY');
    } finally {
      await smtp.close();
    }
  });
});

describe('challenges per address', () => {
  it('gives one address only its share of challenges a minute, then "too many requests" until the minute is over', async () => {
    const h = await startHarness(undefined, { ...ON, challengesPerIpPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await fetch(`${h.base}/altcha/challenge`)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await fetch(`${h.base}/altcha/challenge`);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await refused.json()).toMatchObject({ status: 'rate_limited' });
      // Only the challenge is counted: the form itself and the widget's files are still served.
      expect((await fetch(`${h.base}/signup?form=newsletter&lang=nl`)).status).toBe(200);
      expect((await fetch(`${h.base}/altcha/altcha.js`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});

describe.each(STORAGES)('with Altcha on, on %s', (_name, storage) => {
  let h: Harness;
  let stopStorage: () => void = () => undefined;
  let accepted = '';

  beforeAll(async () => {
    const s = await storage();
    stopStorage = () => s.stop();
    h = await startHarness(s.db, ON);
  });
  afterAll(async () => {
    await h.close();
    stopStorage();
  });

  it('puts the widget in the hosted form, with its files from the service and a word for browsers without JavaScript', async () => {
    const page = await curl([`${h.base}/signup?form=newsletter&lang=nl`]);
    expect(page.body).toContain('<altcha-widget challenge="/altcha/challenge" name="altcha" language="nl"');
    expect(page.body).toContain('<script type="module" src="/altcha/altcha.js"></script>');
    expect(page.body).toContain('<noscript><p>Dit formulier laat je browser eerst een korte rekentaak doen');
    const challenge = await curl([`${h.base}/altcha/challenge`]);
    expect(challenge.headers.toLowerCase()).toContain('cache-control: no-store');
    expect(JSON.parse(challenge.body)).toMatchObject({
      parameters: { algorithm: 'PBKDF2/SHA-256', cost: 100 },
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it("accepts a form POST whose challenge altcha-lib's solver solved, and mails the confirmation", async () => {
    accepted = await h.altchaPayload();
    const response = await postForm(h.base, 'opgelost@example.nl', accepted);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Kijk in je mailbox');
    await h.smtp.waitFor(1);
    expect(h.smtp.receivedBy('opgelost@example.nl')[0]?.parsed.subject).toBe('Bevestig je aanmelding');
    expect((await traces(h)).spent).toBe(1);
  });

  it('accepts a JSON sign-up with a solved challenge', async () => {
    const before = h.smtp.messages.length;
    const response = await postJson(h.base, 'json.solved@example.nl', await h.altchaPayload());
    expect(response.status).toBe(202);
    await h.smtp.waitFor(before + 1);
    expect(h.smtp.receivedBy('json.solved@example.nl')).toHaveLength(1);
  });

  const refusals: [string, 'missing' | 'invalid' | 'replayed', () => Promise<string | undefined>][] = [
    ['no solution at all', 'missing', () => Promise.resolve(undefined)],
    ['an empty field (a browser without JavaScript)', 'missing', () => Promise.resolve('')],
    ['a wrong number', 'invalid', async () => wrongAnswer(await h.altchaPayload())],
    ['parameters edited after signing', 'invalid', async () => tampered(await h.altchaPayload())],
    ['garbage instead of a payload', 'invalid', () => Promise.resolve('bm90IGFsdGNoYQ==')],
    ['a solution accepted once before (replay)', 'replayed', () => Promise.resolve(accepted)],
  ];

  it.each(refusals)(
    'refuses a form POST with %s: a Dutch page saying what to do, nothing stored, nothing mailed',
    async (_what, reason, payload) => {
      const before = await traces(h);
      const response = await postForm(h.base, 'geweigerd@example.nl', await payload());
      expect(response.status).toBe(403);
      const page = await response.text();
      expect(page).toContain('we hebben niets opgeslagen en niets gemaild');
      expect(page).toContain(
        reason === 'missing'
          ? 'Zet JavaScript aan'
          : reason === 'replayed'
            ? 'al eens gebruikt'
            : 'klopt niet',
      );
      expect(await traces(h)).toEqual(before);
      expect(h.smtp.receivedBy('geweigerd@example.nl')).toHaveLength(0);
    },
  );

  it.each(refusals)(
    'refuses a JSON sign-up with %s: a status and the message in both languages, nothing stored or mailed',
    async (_what, reason, payload) => {
      const before = await traces(h);
      const response = await postJson(h.base, 'json.refused@example.nl', await payload());
      expect(response.status).toBe(403);
      const body = (await response.json()) as { status: string; message: { nl: string; en: string } };
      expect(body.status).toBe(`altcha_${reason}`);
      expect(body.message.en).toContain('we stored nothing and mailed nothing');
      expect(body.message.nl).toContain('we hebben niets opgeslagen en niets gemaild');
      expect(await traces(h)).toEqual(before);
      expect(h.smtp.receivedBy('json.refused@example.nl')).toHaveLength(0);
    },
  );

  it('refuses a challenge solved in time but sent after it expired, and forgets spent ones once expired', async () => {
    const payload = await h.altchaPayload();
    const before = await traces(h);
    h.advance((TTL_SECONDS + 1) * 1000);
    const response = await postForm(h.base, 'te.laat@example.nl', payload, 'en');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('The check against spam has expired');
    expect(await traces(h)).toEqual(before);

    // The hourly purge drops what the expiry check now refuses anyway.
    await purgeSpentAltcha(h.server.db, new Date(Date.now() + (TTL_SECONDS + 120) * 1000));
    expect((await traces(h)).spent).toBe(0);
  });

  it('never logs the key or a payload', () => {
    const logged = h.logs.join('\n');
    expect(logged.length).toBeGreaterThan(0);
    expect(logged).not.toContain(ALTCHA_KEY);
    expect(logged).not.toContain(accepted.slice(0, 40));
  });
});

describe('the Altcha widget in a real Chromium', () => {
  let h: Harness;
  beforeAll(async () => {
    // The default work (PBKDF2 cost 5000, counter 500–1000): what a real visitor's browser does.
    h = await startHarness(undefined, { enabled: true, hmacKey: ALTCHA_KEY });
  });
  afterAll(async () => {
    await h.close();
  });

  it.each([
    ['nl', 'Geverifieerd', 'Kijk in je mailbox', 'Bevestig je aanmelding'],
    ['en', 'Verified', 'Check your mailbox', 'Confirm your sign-up'],
  ] as const)(
    'in %s: the widget solves itself from the service, the form goes out and the confirmation mail arrives',
    async (language, verified, checkMail, subject) => {
      const browser = await launchChromium(language);
      try {
        const page = await browser.context.newPage();
        const problems: string[] = [];
        page.on('console', (m) => {
          // Chromium asks every site for /favicon.ico; the service has none, which is no CSP matter.
          if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico'))
            problems.push(`${m.text()} ${m.location().url}`);
        });
        page.on('pageerror', (e) => problems.push(e.message));
        page.on('requestfailed', (r) => problems.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
        const requested: string[] = [];
        page.on('request', (r) => requested.push(r.url()));

        const response = await page.goto(`${h.base}/signup?form=newsletter&lang=${language}`);
        const csp = (await response?.allHeaders())?.['content-security-policy'] ?? '';
        const directive = (name: string) => new RegExp(`(^|;)${name} ([^;]*)`).exec(csp)?.[2];
        expect(directive('script-src')).toBe("'self'");
        expect(directive('worker-src')).toBe("'self'");
        expect(directive('connect-src')).toBe("'self'");
        const email = `browser.${language}@example.nl`;
        await page.fill('input[name=email]', email);
        // The widget starts on focus and fills its hidden field when the work is done.
        await expect
          .poll(() => page.inputValue('input[name=altcha]').catch(() => ''), { timeout: 30_000 })
          .not.toBe('');
        await expect.poll(() => page.locator('altcha-widget').textContent()).toContain(verified);
        if (SCREENSHOTS)
          await page.screenshot({ path: join(SCREENSHOTS, `altcha-form-${language}.png`), fullPage: true });

        const before = h.smtp.messages.length;
        await page.click('button[type=submit]');
        await expect.poll(() => page.textContent('h1')).toBe(checkMail);
        await h.smtp.waitFor(before + 1);
        expect(h.smtp.receivedBy(email)[0]?.parsed.subject).toBe(subject);

        // Everything came from the service itself (no CDN) and nothing broke the CSP.
        expect(requested.every((url) => url.startsWith(h.base))).toBe(true);
        expect(requested.some((url) => url.endsWith('/altcha/pbkdf2-worker.js'))).toBe(true);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );

  it('puts the widget in the snippet with absolute URLs to the service and serves its files cross-origin', async () => {
    const snippet = await curl([`${h.base}/snippet?form=newsletter&lang=nl`]);
    expect(snippet.body).toContain(`<altcha-widget challenge="${h.base}/altcha/challenge"`);
    expect(snippet.body).toContain(`src="${h.base}/altcha/altcha-embedded.js"`);
    expect(snippet.body).toContain(`src="${h.base}/altcha/i18n/nl.js"`);
    for (const path of ['altcha-embedded.js', 'i18n/nl.js', 'challenge']) {
      const asset = await curl(['-H', 'Origin: https://bakkerij.example', `${h.base}/altcha/${path}`]);
      expect(asset.status).toBe(200);
      expect(asset.headers.toLowerCase()).toContain('access-control-allow-origin: *');
    }
    // Only the listed files: nothing else of node_modules or the service is reachable through /altcha/.
    expect((await curl(['--path-as-is', `${h.base}/altcha/../../package.json`])).status).toBe(404);
    expect((await curl([`${h.base}/altcha/workers/argon2id.js`])).status).toBe(404);
  });

  it("works pasted into the business's own site (another origin): the widget solves and the sign-up arrives", async () => {
    const snippet = (await curl([`${h.base}/snippet?form=newsletter&lang=nl`])).body;
    // The shop's own web server on another port: another origin, with no CSP of its own.
    const shop = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><html lang="nl"><body><h1>Bakkerij</h1>${snippet}</body></html>`);
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    const browser = await launchChromium('nl');
    try {
      const page = await browser.context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('requestfailed', (r) => problems.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
      await page.goto(`http://127.0.0.1:${(shop.address() as AddressInfo).port}/`);
      await page.fill('input[name=email]', 'winkel.site@example.nl');
      await expect
        .poll(() => page.inputValue('input[name=altcha]').catch(() => ''), { timeout: 30_000 })
        .not.toBe('');
      const before = h.smtp.messages.length;
      await page.click('button[type=submit]');
      await expect.poll(() => page.textContent('h1')).toBe('Kijk in je mailbox');
      await h.smtp.waitFor(before + 1);
      expect(h.smtp.receivedBy('winkel.site@example.nl')).toHaveLength(1);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await new Promise((resolve) => shop.close(resolve));
    }
  });
});
