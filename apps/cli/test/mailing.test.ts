import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSmtpTestServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCliHarness, type CliHarness } from './cli-harness.js';

let cli: CliHarness;
let server: SmtpTestServer;

beforeEach(async () => {
  server = await startSmtpTestServer({ auth: { user: 'nieuws', password: 'juist' } });
  cli = createCliHarness({ CONSENT_MAILER_SECRET_SMTP_MAIN: 'juist' });
});
afterEach(async () => {
  await server.close();
  cli.cleanup();
});

/** A Mailchimp export: double opt-in with times and IPs. */
const MAILCHIMP =
  'Email Address,First Name,Last Name,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP\n' +
  'anna@example.nl,Anna,de Vries,"2026-02-12 17:59:31",192.0.2.1,"2026-02-12 18:06:58",192.0.2.2\n' +
  'bram@example.nl,Bram,Peters,"2026-03-01 09:00:00",192.0.2.3,"2026-03-01 09:05:00",192.0.2.3\n' +
  'carla@example.nl,Carla,,"2026-04-01 09:00:00",192.0.2.4,"2026-04-01 09:03:00",192.0.2.4\n' +
  'dirk@example.nl,,Jansen,"2026-05-01 09:00:00",192.0.2.5,"2026-05-01 09:02:00",192.0.2.5\n';

async function setUp(): Promise<{ mailingId: string }> {
  expect((await cli.run('init')).code).toBe(0);
  expect(
    (
      await cli.run(
        'entity',
        'add',
        '--legal-name',
        'Bakkerij de Vries B.V.',
        '--trade-name',
        'Bakkerij de Vries',
        '--address',
        'Dorpsstraat 1, 1234 AB Ergens',
        '--email',
        'info@bakkerij.nl',
        '--kvk',
        '12345678',
        '--id',
        'bakkerij',
        '--unsubscribe-url',
        'https://bakkerij.nl/afmelden',
      )
    ).code,
  ).toBe(0);
  // The list is made with the CLI and named by its name ("nieuwsbrief" matches "Nieuwsbrief").
  expect((await cli.run('list', 'create', 'Nieuwsbrief', '--entity', 'bakkerij')).code).toBe(0);

  const imported = await cli.json(
    'import',
    cli.file('subscribed_members_export_1.csv', MAILCHIMP),
    '--method',
    'WEB_DOI',
    '--entity',
    'bakkerij',
    '--list',
    'nieuwsbrief',
    '--evidence',
    'consentTextVersionId=ctv-2026',
    '--evidence',
    'source=https://bakkerij.nl/nieuwsbrief',
  );
  expect(imported).toMatchObject({ imported: 4, rejected: 0 });
  // Paper forms without a scan or the text signed: consent cannot be shown (rules Q2, U1), so BLOCKED.
  const paper = await cli.json(
    'import',
    cli.file('formulieren.csv', 'email\npapier1@example.nl\npapier2@example.nl\n'),
    '--method',
    'PAPER',
    '--entity',
    'bakkerij',
    '--list',
    'nieuwsbrief',
  );
  expect(paper).toMatchObject({ imported: 2 });

  const smtp = await cli.json(
    'smtp',
    'add',
    'main',
    '--host',
    '127.0.0.1',
    '--port',
    String(server.port),
    '--security',
    'none',
    '--user',
    'nieuws',
    '--from',
    'nieuws@bakkerij.nl',
    '--spf',
    '--dmarc',
    '--connections',
    '2',
  );
  expect(smtp).toMatchObject({ name: 'main', security: 'NONE', user: 'nieuws' });
  expect(JSON.stringify(smtp)).not.toContain('juist');

  const html = cli.file(
    'december.html',
    '<html><body><h1>Hallo {{firstName|klant}}</h1><p>Het kerstbrood is er.</p></body></html>',
  );
  const mailing = await cli.json(
    'mailing',
    'create',
    '--name',
    'December',
    '--entity',
    'bakkerij',
    '--list',
    'nieuwsbrief',
    '--smtp',
    'main',
    '--subject',
    'Kerstbrood voor {{firstName|u}}',
    '--html-file',
    html,
  );
  return { mailingId: mailing.id as string };
}

describe('consent-mailer mailing (end to end, in process)', () => {
  it(
    'sends a mailing to an imported list with the right recipients, headers and footer',
    { timeout: 60_000 },
    async () => {
      const { mailingId } = await setUp();
      const tested = await cli.run('smtp', 'test', 'main');
      expect(tested.code).toBe(0);
      expect(tested.stdout).toContain('login accepted');

      const assessment = await cli.json('mailing', 'assess', mailingId);
      expect(assessment.counts).toMatchObject({ total: 6, excluded: 2, included: 4 });
      expect(assessment.excluded.map((r: { email: string }) => r.email).sort()).toEqual([
        'papier1@example.nl',
        'papier2@example.nl',
      ]);

      // A phone call: Carla no longer wants it.
      const unsubscribed = await cli.run('unsubscribe', 'carla@example.nl', '--channel', 'PHONE');
      expect(unsubscribed.code).toBe(0);
      expect(unsubscribed.stdout).toContain('carla@example.nl is unsubscribed');

      const sent = await cli.json('mailing', 'send', mailingId);
      expect(sent).toMatchObject({
        status: 'SENT',
        queued: 3,
        result: { stoppedBecause: 'FINISHED', sent: 3 },
        uncertain: [],
      });

      expect(server.messages.flatMap((m) => m.to).sort()).toEqual([
        'anna@example.nl',
        'bram@example.nl',
        'dirk@example.nl',
      ]);
      for (const never of ['carla@example.nl', 'papier1@example.nl', 'papier2@example.nl'])
        expect(server.receivedBy(never)).toHaveLength(0);
      const anna = server.receivedBy('anna@example.nl')[0]?.parsed;
      expect(anna?.subject).toBe('Kerstbrood voor Anna');
      expect(anna?.from?.value[0]).toMatchObject({
        name: 'Bakkerij de Vries',
        address: 'nieuws@bakkerij.nl',
      });
      expect(anna?.messageId).toMatch(/@bakkerij\.nl>$/);
      expect(anna?.html).toContain('Hallo Anna');
      expect(anna?.text).toContain('Bakkerij de Vries (Bakkerij de Vries B.V.)');
      expect(anna?.text).toContain('Dorpsstraat 1, 1234 AB Ergens');
      expect(anna?.text).toContain('KvK: 12345678');
      expect(anna?.text).toContain('bezwaar te maken');
      expect(anna?.text).toMatch(/Afmelden: https:\/\/bakkerij\.nl\/afmelden\?token=[A-Za-z0-9_-]{22}/);
      const listUnsubscribe =
        anna?.headerLines.find((h) => h.key === 'list-unsubscribe')?.line.replace(/\r?\n[ \t]+/g, ' ') ?? '';
      expect(listUnsubscribe).toMatch(
        // https first (Gmail acts on the first entry), then mailto.
        /^List-Unsubscribe: <https:\/\/bakkerij\.nl\/afmelden\?token=[A-Za-z0-9_-]{22}>, <mailto:info@bakkerij\.nl\?subject=unsubscribe%20[A-Za-z0-9_-]{22}>$/,
      );
      expect(anna?.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
        'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
      );
      // Dirk has no first name: the fallback, not an empty gap.
      expect(server.receivedBy('dirk@example.nl')[0]?.parsed.subject).toBe('Kerstbrood voor u');

      const status = await cli.run('mailing', 'status', mailingId);
      expect(status.stdout).toContain(`Mailing ${mailingId} (December): SENT`);
      expect(status.stdout).toContain('sent 3');

      // Sending again is refused clearly.
      const again = await cli.run('mailing', 'send', mailingId);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('MAILING_ALREADY_SENT');
    },
  );

  it(
    'says the password is wrong, then stops a send on 535 and resumes after the fix',
    { timeout: 60_000 },
    async () => {
      const { mailingId } = await setUp();
      cli.env.CONSENT_MAILER_SECRET_SMTP_MAIN = 'fout';
      const tested = await cli.run('smtp', 'test', 'main');
      expect(tested.code).toBe(1);
      expect(tested.stderr).toContain('SMTP_AUTH_FAILED');

      const sent = await cli.run('mailing', 'send', mailingId);
      expect(sent.code).toBe(1);
      expect(sent.stderr).toContain('SMTP_AUTH_FAILED');
      expect(sent.stderr).toContain(`mailing resume ${mailingId}`);
      expect(server.messages).toHaveLength(0);

      delete cli.env.CONSENT_MAILER_SECRET_SMTP_MAIN;
      const missing = await cli.run('mailing', 'resume', mailingId);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('CONSENT_MAILER_SECRET_SMTP_MAIN');

      cli.env.CONSENT_MAILER_SECRET_SMTP_MAIN = 'juist';
      const resumed = await cli.json('mailing', 'resume', mailingId);
      expect(resumed).toMatchObject({ status: 'SENT', result: { sent: 4 } });
      expect(server.messages).toHaveLength(4);
    },
  );

  it(
    'records complaints and imported bounces as suppressions, and pauses and cancels',
    { timeout: 60_000 },
    async () => {
      const { mailingId } = await setUp();
      const complaint = await cli.json(
        'complaint',
        'anna@example.nl',
        '--source',
        'SPAMKLACHT',
        '--reference',
        'SK-2026-001',
      );
      expect(complaint).toMatchObject({ email: 'anna@example.nl', source: 'SPAMKLACHT' });
      const dsn = readFileSync(
        join(import.meta.dirname, '../../../packages/mailer/test/fixtures/dsn-hard-bounce.eml'),
        'utf8',
      ).replaceAll('piet.nietbestaand@example.org', 'bram@example.nl');
      const bounced = await cli.json('bounce', 'import', cli.file('bounce.eml', dsn));
      expect(bounced).toMatchObject({
        kind: 'DSN',
        bounces: [{ email: 'bram@example.nl', kind: 'HARD', status: '5.1.1', suppressed: true }],
      });
      const notAReport = await cli.run(
        'bounce',
        'import',
        cli.file('gewoon.eml', 'From: a@b.nl\r\nSubject: hoi\r\n\r\nhoi\r\n'),
      );
      expect(notAReport.code).toBe(1);
      expect(notAReport.stderr).toContain('FEEDBACK_NOT_A_REPORT');

      const assessment = await cli.json('mailing', 'assess', mailingId);
      const reasons = Object.fromEntries(
        assessment.excluded.map((r: { email: string; reasons: { code: string }[] }) => [
          r.email,
          r.reasons.map((x) => x.code),
        ]),
      );
      expect(reasons['anna@example.nl']).toContain('G2');
      expect(reasons['bram@example.nl']).toContain('G3');

      const paused = await cli.run('mailing', 'pause', mailingId);
      expect(paused.code).toBe(1);
      expect(paused.stderr).toContain('MAILING_NOT_SENDING');
      const cancelled = await cli.json('mailing', 'cancel', mailingId);
      expect(cancelled.status).toBe('CANCELLED');
      const send = await cli.run('mailing', 'send', mailingId);
      expect(send.stderr).toContain('MAILING_CANCELLED');
      expect(server.messages).toHaveLength(0);
      const list = await cli.json('mailing', 'status');
      expect(list).toEqual([expect.objectContaining({ id: mailingId, status: 'CANCELLED' })]);
    },
  );

  it(
    'refuses an unknown merge field and a line break in the subject when the mailing is written',
    { timeout: 30_000 },
    async () => {
      await setUp();
      const unknown = await cli.run(
        'mailing',
        'create',
        '--name',
        'x',
        '--entity',
        'bakkerij',
        '--list',
        'nieuwsbrief',
        '--smtp',
        'main',
        '--subject',
        'Hoi {{voornaam}}',
        '--html',
        '<p>x</p>',
      );
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('MAILING_UNKNOWN_MERGE_FIELD');
      const injected = await cli.run(
        'mailing',
        'create',
        '--name',
        'x',
        '--entity',
        'bakkerij',
        '--list',
        'nieuwsbrief',
        '--smtp',
        'main',
        '--subject',
        'Hoi\r\nBcc: iedereen@example.nl',
        '--html',
        '<p>x</p>',
      );
      expect(injected.code).toBe(1);
      expect(injected.stderr).toContain('MAIL_HEADER_LINE_BREAK');
    },
  );
});
