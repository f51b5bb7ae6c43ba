import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey } from '@consent-mailer/api';
import { startSmtpTestServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import { unzipSync, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCliHarness, type CliHarness } from './cli-harness.js';

let cli: CliHarness;
let server: SmtpTestServer;
const { key, secret } = generateSigningKey();

beforeEach(async () => {
  server = await startSmtpTestServer({});
  cli = createCliHarness({ CONSENT_MAILER_SECRET_ACKNOWLEDGEMENT_SIGNING_KEY: secret });
});
afterEach(async () => {
  await server.close();
  cli.cleanup();
});

async function sendOne(): Promise<string> {
  expect((await cli.run('init')).code).toBe(0);
  await cli.json(
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
  );
  expect((await cli.run('list', 'create', 'Nieuwsbrief', '--entity', 'bakkerij')).code).toBe(0);
  await cli.json(
    'import',
    cli.file(
      'export.csv',
      'Email Address,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP\n' +
        'anna@example.nl,"2026-02-12 17:59:31",192.0.2.1,"2026-02-12 18:06:58",192.0.2.2\n' +
        'bram@example.nl,"2026-03-01 09:00:00",192.0.2.3,"2026-03-01 09:05:00",192.0.2.3\n',
    ),
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
    '--from',
    'nieuws@bakkerij.nl',
    '--spf',
    '--dmarc',
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
    'Kerstbrood',
    '--html-file',
    cli.file('m.html', '<p>Het kerstbrood is er.</p>'),
  );
  await cli.json('mailing', 'send', mailing.id as string);
  return mailing.id as string;
}

describe('consent-mailer contact proof / complaint dossier / verify BUNDLE.zip', () => {
  it(
    'writes a bundle that verifies against the pinned key and refuses a changed byte',
    { timeout: 60_000 },
    async () => {
      await sendOne();
      const out = join(cli.dir, 'anna.zip');
      const written = await cli.run('contact', 'proof', 'anna@example.nl', '--out', out);
      expect(written.code).toBe(0);
      expect(written.stdout).toContain('Proof bundle written to');

      const ok = await cli.run('verify', out, '--key', key.fingerprint);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('VALID: signed with the trusted key');
      const nl = await cli.run('verify', out, '--key', key.fingerprint, '--lang', 'nl');
      expect(nl.stdout).toContain('GELDIG');

      const files = unzipSync(new Uint8Array(readFileSync(out)));
      const pdf = new Uint8Array(files['proof-en.pdf'] ?? []);
      pdf[100] = (pdf[100] ?? 0) ^ 0x20;
      const tampered = join(cli.dir, 'tampered.zip');
      writeFileSync(tampered, zipSync({ ...files, 'proof-en.pdf': pdf }));
      const refused = await cli.run('verify', tampered, '--key', key.fingerprint);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('NOT VALID');
      expect(refused.stderr).toContain('proof-en.pdf does not match its sha256');
    },
  );

  it(
    'makes a complaint dossier from a forwarded complaint and suppresses the right address',
    { timeout: 60_000 },
    async () => {
      const mailingId = await sendOne();
      const original = server.receivedBy('bram@example.nl')[0]?.raw;
      if (!original) throw new Error('no message for bram');
      const forward = cli.file(
        'klacht.eml',
        [
          'From: abuse@hoster.example',
          'To: info@bakkerij.nl',
          'Subject: Abuse report',
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="x"',
          '',
          '--x',
          'Content-Type: text/plain',
          '',
          'A customer of ours reported the attached message as spam.',
          '--x',
          'Content-Type: message/rfc822',
          '',
          original.toString('utf8'),
          '--x--',
          '',
        ].join('\r\n'),
      );
      const out = join(cli.dir, 'dossier.zip');
      const dossier = await cli.json('complaint', 'dossier', forward, '--source', 'hoster', '--out', out);
      expect(dossier).toMatchObject({ email: 'bram@example.nl', mailingId, complaintRate: 0.5 });
      const files = unzipSync(new Uint8Array(readFileSync(out)));
      expect(Buffer.from(files['letter-nl.txt'] ?? []).toString('utf8')).toContain('Aan de hostingprovider');
      expect((await cli.run('verify', out, '--key', key.fingerprint)).code).toBe(0);
      const bram = await cli.json('contact', 'show', 'bram@example.nl');
      expect(bram.suppressions).toMatchObject([{ reason: 'COMPLAINT', source: 'HOSTER' }]);
      const anna = await cli.json('contact', 'show', 'anna@example.nl');
      expect(anna.suppressions).toEqual([]);
      // The plain `complaint EMAIL` command still works beside the dossier subcommand.
      expect((await cli.run('complaint', 'anna@example.nl', '--source', 'MANUAL')).code).toBe(0);
    },
  );
});
