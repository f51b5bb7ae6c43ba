import type { Lang } from '@consent-mailer/policy';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SmtpTestServer } from '@consent-mailer/mailer/testing';
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { parseConfig, type DatabaseConfig, type OptinConfigInput } from '../config.js';
import type { PublishedEvent } from '../feed.js';
import { createOptinServer, type OptinServer } from '../server.js';

/** The feed token every test service uses (the tests pair with it). */
export const TEST_FEED_TOKEN = 'feed-token-for-tests-0123456789abcdef';

export interface OptinTestService {
  /** `http://127.0.0.1:<port>` (loopback: the desktop allows http only there). */
  base: string;
  server: OptinServer;
  /** The temp folder holding the service's database and signing key. */
  dir: string;
  /** Moves the service's clock forward (token expiry, limits). */
  advance(ms: number): void;
  /** The signed feed after `after`, as the desktop pulls it. */
  feed(after?: number): Promise<PublishedEvent[]>;
  /**
   * A person signing up with the form (POST as a browser sends it) and, unless `confirm` is false,
   * confirming from the mail a minute later (GET the page, POST its nonce), then the receipt mail.
   * Returns the confirmation link.
   */
  signUp(email: string, options?: SignUpOptions): Promise<string>;
  /**
   * What the Altcha widget would put in the form: a challenge from GET /altcha/challenge, solved with
   * altcha-lib's own solver, as the widget's base64 payload.
   */
  altchaPayload(): Promise<string>;
  /** The person opens the latest confirmation link mailed to `email` (GET page, POST with its nonce). */
  confirmFromMail(email: string, userAgent?: string): Promise<void>;
  close(): Promise<void>;
}

export interface SignUpOptions {
  lists?: string[];
  formVersion?: string;
  language?: Lang;
  confirm?: boolean;
  userAgent?: string;
}

/** The browser a test person uses (the evidence records it). */
export const TEST_BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36';

export interface OptinTestServiceOptions {
  /** Where the service sends its confirmation and receipt mails: a real SMTP test server on 127.0.0.1. */
  smtp: SmtpTestServer;
  /** SQLite in the temp folder unless given (PostgreSQL for the multi-instance tests). */
  database?: (dir: string) => DatabaseConfig;
  /** The public URL when a proxy stands in front (default: the service's own address). */
  publicUrl?: (base: string) => string;
  /** Config fields that differ from the defaults (controller, forms, limits, trusted proxies …). */
  config?: Partial<OptinConfigInput>;
  /** Log lines, for tests that check that no personal data is logged; else logging is off. */
  logStream?: { write(line: string): void };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real opt-in service on 127.0.0.1 for a test: its own temp folder, a shop ("Bakkerij Test B.V.")
 * with one form `newsletter` (list `news`, consent text `v1`), the test feed token, and a clock the test can
 * move. The one place the service, the CLI and the desktop tests start it from.
 *
 * @example
 * const service = await startOptinTestService({ smtp: { port: smtp.port } });
 * await fetch(`${service.base}/signup`, …);
 * await service.close();
 */
export async function startOptinTestService(options: OptinTestServiceOptions): Promise<OptinTestService> {
  const dir = mkdtempSync(join(tmpdir(), 'optin-test-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let offset = 0;
  const config = parseConfig({
    publicUrl: options.publicUrl ? options.publicUrl(base) : base,
    listen: { host: '127.0.0.1', port },
    database: options.database ? options.database(dir) : { kind: 'sqlite', file: join(dir, 'optin.sqlite') },
    signingKeyFile: join(dir, 'key.pem'),
    feedToken: TEST_FEED_TOKEN,
    smtp: { host: options.smtp.host, port: options.smtp.port, security: 'NONE', connections: 1 },
    mailFrom: 'nieuwsbrief@bakkerij.example',
    controller: {
      legalName: 'Bakkerij Test B.V.',
      postalAddress: 'Dorpsstraat 1, Utrecht',
      contactEmail: 'info@bakkerij.example',
      kvkNumber: '87654321',
    },
    forms: [
      {
        id: 'newsletter',
        version: '1',
        lists: [{ id: 'news', name: { nl: 'Nieuwsbrief', en: 'Newsletter' } }],
        consentTexts: [
          {
            version: 'v1',
            text: { nl: 'Ja, stuur mij de nieuwsbrief.', en: 'Yes, send me the newsletter.' },
          },
        ],
      },
    ],
    ...options.config,
  });
  const server = await createOptinServer({
    config,
    now: () => new Date(Date.now() + offset),
    ...(options.logStream ? { logStream: options.logStream } : { logLevel: 'silent' }),
  });
  await server.listen();
  const confirmationLink = (email: string): string => {
    const text = options.smtp.receivedBy(email).at(-1)?.parsed.text ?? '';
    const link = /https?:\/\/[^\s/]+\/confirm\/[A-Za-z0-9_-]+/.exec(text)?.[0];
    if (!link) throw new Error(`No confirmation link in the mail to ${email}:\n${text}`);
    return link;
  };
  const service: OptinTestService = {
    base,
    server,
    dir,
    advance: (ms) => {
      offset += ms;
    },
    async feed(after = 0) {
      const response = await fetch(`${base}/events?after=${after}`, {
        headers: { authorization: `Bearer ${TEST_FEED_TOKEN}` },
      });
      if (response.status !== 200) throw new Error(`GET /events answered ${response.status}`);
      return ((await response.json()) as { events: PublishedEvent[] }).events;
    },
    async signUp(
      email,
      { lists = ['news'], formVersion = '1', language = 'nl', confirm = true, userAgent = TEST_BROWSER } = {},
    ) {
      const mail = options.smtp;
      const before = mail.messages.length;
      const form = new URLSearchParams({
        form_id: 'newsletter',
        form_version: formVersion,
        consent_text_version: 'v1',
        email,
        language,
        website: '',
      });
      for (const list of lists) form.append('lists', list);
      if (config.altcha.enabled) form.append('altcha', await service.altchaPayload());
      const signup = await fetch(`${base}/signup`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': userAgent,
          referer: 'https://bakkerij.example/nieuwsbrief',
        },
        body: form.toString(),
      });
      if (signup.status !== 200) throw new Error(`POST /signup answered ${signup.status}`);
      await mail.waitFor(before + 1);
      const link = confirmationLink(email);
      if (confirm) await service.confirmFromMail(email, userAgent);
      return link;
    },
    async altchaPayload() {
      const response = await fetch(`${base}/altcha/challenge`);
      if (response.status !== 200) throw new Error(`GET /altcha/challenge answered ${response.status}`);
      const challenge = (await response.json()) as Challenge;
      const solution = await solveChallenge({ challenge, deriveKey });
      if (!solution) throw new Error('altcha-lib found no solution for the challenge');
      const payload = {
        challenge: { parameters: challenge.parameters, signature: challenge.signature },
        solution,
      };
      return Buffer.from(JSON.stringify(payload)).toString('base64');
    },
    async confirmFromMail(email, userAgent = TEST_BROWSER) {
      const mail = options.smtp;
      const before = mail.messages.length;
      const link = confirmationLink(email);
      // The person reads the mail a while later (a confirmation within seconds would be a scanner, rule D4).
      offset += 60_000;
      const page = await (await fetch(link, { headers: { 'user-agent': userAgent } })).text();
      const nonce = /name="nonce" value="([^"]+)"/.exec(page)?.[1] ?? '';
      const confirmed = await fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent },
        body: new URLSearchParams({ nonce }).toString(),
      });
      if (confirmed.status !== 200) throw new Error(`POST ${link} answered ${confirmed.status}`);
      // The receipt mail.
      await mail.waitFor(before + 1);
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return service;
}
