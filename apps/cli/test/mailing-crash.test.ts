import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startSmtpTestServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCliHarness, type CliHarness } from './cli-harness.js';

const BIN = resolve(import.meta.dirname, '../bin/consent-mailer.js');
const RECIPIENTS = 40;
const KILL_AT = 12;

let cli: CliHarness;
let server: SmtpTestServer;

beforeEach(async () => {
  // Slow enough that the kill lands in the middle of the send.
  server = await startSmtpTestServer({
    auth: { user: 'nieuws', password: 'juist' },
    faults: { dataDelayMs: 25 },
  });
  cli = createCliHarness({ CONSENT_MAILER_SECRET_SMTP_MAIN: 'juist' });
});
afterEach(async () => {
  await server.close();
  cli.cleanup();
});

function spawnCli(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args, '--db', cli.db, '--json'], {
    env: { ...process.env, CONSENT_MAILER_SECRET_SMTP_MAIN: 'juist' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((done) => child.on('exit', (code, signal) => done({ code, signal, stdout, stderr })));
  return { child, exited };
}

describe('crash safety: kill -9 during a send, then start again', () => {
  it(
    'resumes without sending anyone a message twice and lists the uncertain ones',
    { timeout: 120_000 },
    async () => {
      await cli.json('init');
      await cli.run(
        'entity',
        'add',
        '--legal-name',
        'Bakkerij de Vries B.V.',
        '--address',
        'Dorpsstraat 1, 1234 AB Ergens',
        '--email',
        'info@bakkerij.nl',
        '--kvk',
        '12345678',
        '--id',
        'bakkerij',
      );
      await cli.json('list', 'create', 'Nieuwsbrief');
      const rows = Array.from(
        { length: RECIPIENTS },
        (_, i) =>
          `k${i + 1}@example.nl,Klant${i + 1},"2026-02-12 17:59:31",192.0.2.1,"2026-02-12 18:06:58",192.0.2.2`,
      ).join('\n');
      const imported = await cli.json(
        'import',
        cli.file(
          'subscribed_members_export_9.csv',
          `Email Address,First Name,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP\n${rows}\n`,
        ),
        '--method',
        'WEB_DOI',
        '--entity',
        'bakkerij',
        '--list',
        'nieuwsbrief',
        '--evidence',
        'consentTextVersionId=ctv-1',
        '--evidence',
        'source=https://bakkerij.nl/nb',
      );
      expect(imported.imported).toBe(RECIPIENTS);
      await cli.json(
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
      const mailing = await cli.json(
        'mailing',
        'create',
        '--name',
        'Crash',
        '--entity',
        'bakkerij',
        '--list',
        'nieuwsbrief',
        '--smtp',
        'main',
        '--subject',
        'Hallo {{firstName}}',
        '--html',
        '<p>Hallo {{firstName}}</p>',
      );

      // First run: killed with SIGKILL the moment the server has taken message 12 but before it answers 250.
      const first = spawnCli(['mailing', 'send', mailing.id]);
      let acceptedUnanswered: string | undefined;
      server.onMessage = (message) => {
        if (server.messages.length === KILL_AT && !acceptedUnanswered) {
          acceptedUnanswered = message.to[0];
          first.child.kill('SIGKILL');
        }
      };
      const killed = await first.exited;
      expect(killed.signal).toBe('SIGKILL');
      server.onMessage = undefined;
      const receivedBeforeRestart = server.messages.length;
      expect(receivedBeforeRestart).toBeGreaterThanOrEqual(KILL_AT);
      expect(receivedBeforeRestart).toBeLessThan(RECIPIENTS);

      // Second run: the same command picks the send up.
      const second = await spawnCli(['mailing', 'send', mailing.id]).exited;
      expect(second.code, second.stderr).toBe(0);
      const resumed = JSON.parse(second.stdout);
      expect(resumed.recovered.uncertain).toBeGreaterThanOrEqual(1);
      // At most what was in flight (2 connections x 4 = 8) plus replies waiting for their group commit (8).
      expect(resumed.recovered.uncertain).toBeLessThanOrEqual(16);
      expect(resumed.status).toBe('PAUSED');
      const uncertain = new Set<string>(resumed.uncertain.map((u: { email: string }) => u.email));
      expect(uncertain.size).toBe(resumed.recovered.uncertain);
      // The message the server accepted just before the kill is uncertain, not sent again.
      expect(uncertain.has(acceptedUnanswered ?? '')).toBe(true);

      for (let i = 1; i <= RECIPIENTS; i++) {
        const email = `k${i}@example.nl`;
        const got = server.receivedBy(email).length;
        expect(got, email).toBeLessThanOrEqual(1);
        if (!uncertain.has(email)) expect(got, email).toBe(1);
      }
      expect(server.receivedBy(acceptedUnanswered ?? '')).toHaveLength(1);

      // The user decides: skip the uncertain ones; the mailing then finishes.
      const resolved = await cli.json('mailing', 'resolve', mailing.id, '--skip');
      expect(resolved.resolved).toBe(uncertain.size);
      const finished = await cli.json('mailing', 'resume', mailing.id);
      expect(finished.status).toBe('SENT');
      for (let i = 1; i <= RECIPIENTS; i++)
        expect(server.receivedBy(`k${i}@example.nl`).length).toBeLessThanOrEqual(1);
      const status = await cli.json('mailing', 'status', mailing.id);
      expect(status.mailing.deliveries.SENT + status.mailing.deliveries.SKIPPED).toBe(RECIPIENTS);
      expect(status.mailing.deliveries.SKIPPED).toBe(uncertain.size);
    },
  );
});
