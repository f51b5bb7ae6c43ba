import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, hash, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { startSmtpTestServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import { canonicalJson, createOptinServer, parseConfig, type OptinServer } from '@consent-mailer/optin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { CliIo } from '../src/runtime.js';

const execFileAsync = promisify(execFile);
const FEED_TOKEN = 'pairing-test-feed-token-0123456789';
const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const HOUR = 3_600_000;

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

let dir: string;
let service: OptinServer;
let serviceSmtp: SmtpTestServer;
let desktopSmtp: SmtpTestServer;
let base: string;
let serviceOffset = 0;
let cliOffset = 0;
const db = () => join(dir, 'consent-mailer.sqlite');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: false });
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const io: CliIo = {
    stdout,
    stderr,
    env: {
      CONSENT_MAILER_DB: db(),
      CONSENT_MAILER_SECRET_SMTP_MAIN: 'juist',
      CONSENT_MAILER_SECRET_OPTIN_FEED_TOKEN: FEED_TOKEN,
    },
    clock: () => new Date(Date.now() + cliOffset),
  };
  const code = await main(['node', 'consent-mailer', ...args], io);
  return { code, stdout: out, stderr: err };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CLI JSON output is checked field by field
async function cliJson(...args: string[]): Promise<any> {
  const result = await cli(...args, '--json');
  if (result.code !== 0)
    throw new Error(`${args.join(' ')} exited ${result.code}: ${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout) as unknown;
}

/** A person signing up with the form (POST as the browser sends it), then confirming from the mail. */
async function signUpAndConfirm(email: string, lists: string[], confirm = true): Promise<void> {
  const before = serviceSmtp.messages.length;
  const form = new URLSearchParams({
    form_id: 'newsletter',
    form_version: '4',
    consent_text_version: 'v1',
    email,
    language: 'nl',
    website: '',
  });
  for (const list of lists) form.append('lists', list);
  const signup = await fetch(`${base}/signup`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': BROWSER,
      referer: 'https://bakkerij.example/nieuwsbrief',
    },
    body: form.toString(),
  });
  expect(signup.status).toBe(200);
  await serviceSmtp.waitFor(before + 1);
  const mail = serviceSmtp.receivedBy(email.toLowerCase()).at(-1);
  const link = /http:\/\/127\.0\.0\.1:\d+\/confirm\/[A-Za-z0-9_-]+/.exec(mail?.parsed.text ?? '')?.[0];
  expect(link).toBeDefined();
  if (!confirm || !link) return;
  // The person reads the mail a while later (a confirmation within 10 s would be a scanner, rule D4).
  serviceOffset += 60_000;
  const page = await (await fetch(link, { headers: { 'user-agent': BROWSER } })).text();
  const nonce = /name="nonce" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const confirmed = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': BROWSER },
    body: new URLSearchParams({ nonce }).toString(),
  });
  expect(confirmed.status).toBe(200);
  // The receipt mail.
  await serviceSmtp.waitFor(before + 2);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cm-optin-pair-'));
  serviceSmtp = await startSmtpTestServer();
  desktopSmtp = await startSmtpTestServer({ auth: { user: 'nieuws', password: 'juist' } });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  service = await createOptinServer({
    config: parseConfig({
      publicUrl: base,
      listen: { host: '127.0.0.1', port },
      database: { kind: 'sqlite', file: join(dir, 'optin.sqlite') },
      signingKeyFile: join(dir, 'optin-key.pem'),
      feedToken: FEED_TOKEN,
      smtp: { host: serviceSmtp.host, port: serviceSmtp.port, security: 'NONE', connections: 1 },
      mailFrom: 'nieuwsbrief@bakkerij.example',
      controller: {
        legalName: 'Bakkerij de Vries B.V.',
        postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
        contactEmail: 'info@bakkerij.example',
        kvkNumber: '12345678',
      },
      forms: [
        {
          id: 'newsletter',
          version: '4',
          lists: [
            { id: 'nieuwsbrief', name: { nl: 'Nieuwsbrief', en: 'Newsletter' } },
            { id: 'aanbiedingen', name: { nl: 'Aanbiedingen', en: 'Offers' } },
          ],
          consentTexts: [
            {
              version: 'v1',
              text: {
                nl: 'Ja, stuur mij de nieuwsbrief van Bakkerij de Vries.',
                en: 'Yes, send me the Bakkerij de Vries newsletter.',
              },
            },
          ],
        },
      ],
    }),
    now: () => new Date(Date.now() + serviceOffset),
    logLevel: 'silent',
  });
  await service.listen();

  expect((await cli('init')).code).toBe(0);
  const entity = await cli(
    'entity',
    'add',
    '--legal-name',
    'Bakkerij de Vries B.V.',
    '--address',
    'Dorpsstraat 1, 1234 AB Ergens',
    '--email',
    'info@bakkerij.example',
    '--kvk',
    '12345678',
    '--id',
    'bakkerij',
  );
  expect(entity.code, entity.stderr).toBe(0);
  expect((await cli('list', 'create', 'Nieuwsbrief', '--entity', 'bakkerij')).code).toBe(0);
  await cliJson(
    'smtp',
    'add',
    'main',
    '--host',
    '127.0.0.1',
    '--port',
    String(desktopSmtp.port),
    '--security',
    'none',
    '--user',
    'nieuws',
    '--from',
    'nieuws@bakkerij.example',
    '--spf',
    '--dmarc',
  );
}, 60_000);

afterAll(async () => {
  await service.close().catch(() => undefined);
  await serviceSmtp.close();
  await desktopSmtp.close();
  rmSync(dir, { recursive: true, force: true });
});

async function newMailing(name: string): Promise<string> {
  const html = join(dir, `${name}.html`);
  writeFileSync(html, '<html><body><p>Het kerstbrood is er.</p></body></html>');
  const mailing = await cliJson(
    'mailing',
    'create',
    '--name',
    name,
    '--entity',
    'bakkerij',
    '--list',
    'nieuwsbrief',
    '--smtp',
    'main',
    '--subject',
    'Kerstbrood',
    '--html-file',
    html,
  );
  return mailing.id as string;
}

describe('optin pair / pull against the running opt-in service', () => {
  it('pairs (key pinned, token outside the database) and pulls a confirmed sign-up as WEB_DOI that classifies ALLOWED_PROVEN (D1)', async () => {
    await signUpAndConfirm('Jan.Jansen@Example.NL', ['nieuwsbrief']);
    await signUpAndConfirm('wacht@example.nl', ['nieuwsbrief'], false);

    const paired = await cli('optin', 'pair', base, '--token', FEED_TOKEN, '--entity', 'bakkerij');
    expect(paired.code, paired.stderr).toBe(0);
    const fingerprint = hash(
      'sha256',
      createPublicKey(service.publicKey).export({ format: 'der', type: 'spki' }),
      'hex',
    );
    expect(paired.stdout).toContain(`Paired with ${base} for sender entity bakkerij`);
    expect(paired.stdout).toContain(fingerprint);
    // signed_up ×2, confirmation_mail_sent ×2, confirmed ×1.
    expect(paired.stdout).toContain(
      '5 new event(s) pulled and verified (1 confirmed sign-up(s), 0 unsubscribe(s), 1 sign-up(s) awaiting confirmation',
    );

    // Pulling again finds nothing new.
    expect((await cliJson('optin', 'pull')).recorded).toBe(0);

    const status = await cliJson('optin', 'status');
    expect(status.service).toMatchObject({
      url: base,
      keyFingerprint: fingerprint,
      lastPulledSeq: 5,
      stale: false,
    });
    expect(status.counts.pendingSignups).toBe(1);
    expect(JSON.stringify(status)).not.toContain(FEED_TOKEN);

    const shown = await cli('contact', 'show', 'jan.jansen@example.nl');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('Consent for bakkerij: WEB_DOI');
    expect(shown.stdout).toContain('signupIp: 127.0.0.1');
    expect(shown.stdout).toContain('confirmIp: 127.0.0.1');
    expect(shown.stdout).toContain(`signupUserAgent: ${BROWSER}`);
    expect(shown.stdout).toContain(`confirmUserAgent: ${BROWSER}`);
    expect(shown.stdout).toMatch(/signupAt: \d{4}-\d\d-\d\dT/);
    expect(shown.stdout).toMatch(/confirmedAt: \d{4}-\d\d-\d\dT/);
    expect(shown.stdout).toContain('source: https://bakkerij.example/nieuwsbrief');
    expect(shown.stdout).toContain('Lists: ');
    expect(shown.stdout).not.toContain('Lists: -');

    // The unconfirmed sign-up is no contact.
    expect((await cli('contact', 'show', 'wacht@example.nl')).code).not.toBe(0);

    // The record as stored, judged by the rules for a marketing mailing to the list it signed up to.
    const detail = await cliJson('contact', 'show', 'jan.jansen@example.nl');
    const record = detail.records[0];
    const contactFile = join(dir, 'jan.json');
    const mailingFile = join(dir, 'mailing.json');
    writeFileSync(contactFile, JSON.stringify(record));
    writeFileSync(
      mailingFile,
      JSON.stringify({ id: 'm', senderEntityId: 'bakkerij', listId: detail.lists[0], content: 'MARKETING' }),
    );
    const explained = await cliJson('policy', 'explain', '--contact', contactFile, '--mailing', mailingFile);
    expect(explained.classification).toBe('ALLOWED_PROVEN');
    expect(explained.reasons.map((r: { code: string }) => r.code)).toContain('D1');
  });

  it("sends with the service's unsubscribe link first; a one-click POST there suppresses the address at the next pull", async () => {
    const mailingId = await newMailing('December');
    const sent = await cli('mailing', 'send', mailingId);
    expect(sent.code, sent.stderr).toBe(0);
    const message = desktopSmtp.receivedBy('jan.jansen@example.nl')[0];
    expect(message).toBeDefined();
    const raw = (message?.raw.toString('utf8') ?? '').replace(/\r\n[ \t]+/g, ' ');
    const header = /^List-Unsubscribe: (.*)$/im.exec(raw)?.[1]?.trim() ?? '';
    const oneClick = new RegExp(
      `^<(${base.replaceAll('.', '\\.')}/unsubscribe\\?token=[A-Za-z0-9_-]+)>, <mailto:`,
    ).exec(header);
    expect(oneClick, header).not.toBeNull();
    expect(/^List-Unsubscribe-Post: (.*)$/im.exec(raw)?.[1]?.trim()).toBe('List-Unsubscribe=One-Click');
    expect(message?.parsed.text ?? '').toContain(`${base}/unsubscribe?token=`);

    // The mailbox provider's one-click POST (RFC 8058), from curl: 200, no redirect.
    const { stdout } = await execFileAsync('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-X',
      'POST',
      '-d',
      'List-Unsubscribe=One-Click',
      oneClick?.[1] ?? '',
    ]);
    expect(stdout).toBe('200');

    const pulled = await cliJson('optin', 'pull');
    expect(pulled).toMatchObject({ recorded: 1, suppressed: 1 });
    const shown = await cli('contact', 'show', 'JAN.JANSEN@example.nl');
    expect(shown.stdout).toMatch(/Suppressed: UNSUBSCRIBED \(OPTIN_SERVICE, /);
    // The next mailing leaves the address out.
    const next = await cliJson('mailing', 'assess', await newMailing('Januari'));
    expect(next.counts.included).toBe(0);
  });

  it('refuses a page with a changed byte or a foreign signature and writes nothing; the genuine page then goes in', async () => {
    await signUpAndConfirm('piet@example.nl', ['nieuwsbrief', 'aanbiedingen']);
    const before = await cliJson('optin', 'status');
    const confirmed = await service.db
      .selectFrom('feed_event')
      .selectAll()
      .where('type', '=', 'confirmed')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();

    // One byte of the address changed in the feed (on the way, or in the service's database).
    await service.db
      .updateTable('feed_event')
      .set({ data: confirmed.data.replace('piet@example.nl', 'piat@example.nl') })
      .where('seq', '=', confirmed.seq)
      .execute();
    const flipped = await cli('optin', 'pull');
    expect(flipped.code).not.toBe(0);
    expect(flipped.stderr).toContain('OPTIN_FEED_REFUSED');
    expect(flipped.stderr).toContain('does not carry a valid signature of the pinned key');

    // Signed, but by another key than the pinned one.
    const foreign = generateKeyPairSync('ed25519').privateKey;
    const body = {
      id: confirmed.id,
      type: confirmed.type,
      at: confirmed.at,
      data: JSON.parse(confirmed.data) as unknown,
    };
    await service.db
      .updateTable('feed_event')
      .set({
        data: confirmed.data,
        signature: sign(null, Buffer.from(canonicalJson(body)), foreign).toString('base64'),
      })
      .where('seq', '=', confirmed.seq)
      .execute();
    const nl = await cli('optin', 'pull', '--lang', 'nl');
    expect(nl.code).not.toBe(0);
    expect(nl.stderr).toContain('geen geldige handtekening van de vastgelegde sleutel');

    // Nothing of either page was written: no contact, the pull position unchanged, the error noted.
    expect((await cli('contact', 'show', 'piet@example.nl')).code).not.toBe(0);
    expect((await cli('contact', 'show', 'piat@example.nl')).code).not.toBe(0);
    const after = await cliJson('optin', 'status');
    expect(after.service.lastPulledSeq).toBe(before.service.lastPulledSeq);
    expect(after.service.lastPullError).toContain('OPTIN_FEED_REFUSED');
    const verified = await cli('audit', 'verify');
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);

    await service.db
      .updateTable('feed_event')
      .set({ signature: confirmed.signature })
      .where('seq', '=', confirmed.seq)
      .execute();
    const good = await cliJson('optin', 'pull');
    expect(good).toMatchObject({ recorded: 3, confirmed: 1 });
    const piet = await cliJson('contact', 'show', 'piet@example.nl');
    expect(piet.lists).toHaveLength(2);
    expect(piet.records[0]).toMatchObject({ method: 'WEB_DOI', signupIp: '127.0.0.1' });
  });

  it('refuses to send when the last good pull is more than 24 hours old', async () => {
    await service.close();

    // Unreachable for an hour: the good pull of an hour ago still counts, so the send goes ahead.
    cliOffset = HOUR;
    const early = await cli('mailing', 'send', await newMailing('Februari'));
    expect(early.code, early.stderr).toBe(0);
    expect(desktopSmtp.receivedBy('piet@example.nl')).toHaveLength(1);

    // A day and an hour later, still unreachable: nothing is sent.
    const mailingId = await newMailing('Maart');
    const sentBefore = desktopSmtp.messages.length;
    cliOffset = 25 * HOUR;
    const refused = await cli('mailing', 'send', mailingId);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('OPTIN_PULL_STALE');
    expect(refused.stderr).toContain('more than 24 hours ago');
    expect(desktopSmtp.messages.length).toBe(sentBefore);
    const status = await cli('optin', 'status');
    expect(status.stdout).toContain('WARNING: not pulled for more than 24 hours');
    expect(status.stdout).toContain('OPTIN_UNREACHABLE');
  });

  it('unpairs: what was pulled stays, sending no longer waits for the service, links go back to mailto', async () => {
    const unpaired = await cli('optin', 'unpair', '--lang', 'nl');
    expect(unpaired.code, unpaired.stderr).toBe(0);
    expect(unpaired.stdout).toContain(`Ontkoppeld van ${base}`);
    expect((await cli('optin', 'status')).stdout).toContain('Not paired with an opt-in service');
    const sent = await cli('mailing', 'send', await newMailing('April'));
    expect(sent.code, sent.stderr).toBe(0);
    const last = desktopSmtp.receivedBy('piet@example.nl').at(-1);
    const raw = (last?.raw.toString('utf8') ?? '').replace(/\r\n[ \t]+/g, ' ');
    expect(/^List-Unsubscribe: (.*)$/im.exec(raw)?.[1]?.trim()).toMatch(
      /^<mailto:info@bakkerij\.example\?subject=/,
    );
    // The contacts and the suppression the service brought stay.
    expect((await cli('contact', 'show', 'jan.jansen@example.nl')).stdout).toContain(
      'UNSUBSCRIBED (OPTIN_SERVICE',
    );
  });
});
