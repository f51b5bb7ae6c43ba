import { generateKeyPairSync } from 'node:crypto';
import {
  dkimpyVerify,
  startDnsTestServer,
  startSmtpTestServer,
  txt,
  type DnsTestServer,
  type SmtpTestServer,
} from '@consent-mailer/mailer/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCliHarness, type CliHarness } from './cli-harness.js';

let cli: CliHarness;
let server: SmtpTestServer;
let dns: DnsTestServer;

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const GOOD_KEY = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_KEY = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const DKIM_RECORD = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;

beforeEach(async () => {
  server = await startSmtpTestServer();
  // A real authoritative DNS server (Knot): good SPF for the SMTP server's address, the key, DMARC.
  dns = await startDnsTestServer({
    'bakkerij.test': [
      '@ TXT "v=spf1 ip4:127.0.0.1 -all"',
      `s1._domainkey TXT ${txt(DKIM_RECORD)}`,
      '_dmarc TXT "v=DMARC1; p=reject"',
    ],
  });
  cli = createCliHarness({ CONSENT_MAILER_DNS_SERVERS: dns.server });
  const init = await cli.run('init');
  expect(init.code, init.stderr + init.stdout).toBe(0);
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
    'nieuws@bakkerij.test',
  );
});
afterEach(async () => {
  await server.close();
  await dns.close();
  cli.cleanup();
});

describe('smtp dkim | pacing | pacing-set | history | self-test', () => {
  it('refuses the three broken keys with a clear message and stores nothing', async () => {
    const broken = {
      'not a key': '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PRIVATE KEY-----\n',
      'one line': GOOD_KEY.replace(/\n/g, ' '),
      'public key': PUBLIC_KEY,
    };
    for (const [what, key] of Object.entries(broken)) {
      const result = await cli.run(
        'smtp',
        'dkim',
        'main',
        '--domain',
        'bakkerij.test',
        '--selector',
        's1',
        '--key-file',
        cli.file(`${what}.pem`, key),
      );
      expect(result.code, what).not.toBe(0);
      expect(result.stderr, what).toMatch(/DKIM|key/i);
    }
    const [profile] = await cli.json('smtp', 'list');
    expect(profile.dkim).toBeNull();
  });

  it('sets a good key, prints the record to publish, and the self-test shows a signed message', async () => {
    const set = await cli.run(
      'smtp',
      'dkim',
      'main',
      '--domain',
      'bakkerij.test',
      '--selector',
      's1',
      '--key-file',
      cli.file('good.pem', GOOD_KEY),
    );
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('s1._domainkey.bakkerij.test TXT "v=DKIM1; k=rsa; p=');
    const record = set.stdout.match(/TXT "([^"]+)"/)?.[1] ?? '';
    expect(set.stdout).toContain('CONSENT_MAILER_SECRET_DKIM_MAIN');
    cli.env.CONSENT_MAILER_SECRET_DKIM_MAIN = GOOD_KEY;
    const test = await cli.run('smtp', 'self-test', 'main');
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toContain('Self-test passed');
    expect(test.stdout).toMatch(
      /Authentication-Results: .*dkim=pass header\.i=@bakkerij\.test header\.s=s1/s,
    );
    expect(test.stdout).toMatch(/dmarc=pass/);
    const json = await cli.json('smtp', 'self-test', 'main');
    expect(json.raw).toMatch(/DKIM-Signature: [^]*d=bakkerij\.test/);
    // An independent verifier (dkimpy) accepts the signature against the record the command printed.
    const verdict = await dkimpyVerify(json.raw, 's1._domainkey.bakkerij.test', record);
    expect(verdict.ok).toBe(true);
    // With a selector that has no key in DNS, the self-test reports the failure as a receiver would.
    expect(
      (await cli.run('smtp', 'dkim', 'main', '--domain', 'bakkerij.test', '--selector', 's2')).code,
    ).toBe(0);
    const failed = await cli.run('smtp', 'self-test', 'main');
    expect(failed.stdout).toMatch(/DKIM: (fail|neutral|permerror|none)/);
    expect(failed.stdout).toContain('Self-test NOT passed');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('SMTP_SELF_TEST_FAILED');
    const failedNl = await cli.run('smtp', 'self-test', 'main', '--lang', 'nl');
    expect(failedNl.stderr).toContain('De zelftest is niet geslaagd');
  });

  it('shows and sets the pace per domain and the sending history', async () => {
    let pacing = await cli.json('smtp', 'pacing', 'main');
    expect(pacing.sendingHistory).toBe('NEW');
    expect(pacing.defaults.some((d: { domains: string[] }) => d.domains.includes('gmail.com'))).toBe(true);
    expect((await cli.run('smtp', 'pacing-set', 'main', 'ziggo.nl', '--per-minute', '7')).stdout).toContain(
      'ziggo.nl: 7 / - / -',
    );
    pacing = await cli.json('smtp', 'pacing', 'main');
    expect(pacing.overrides).toEqual([{ domain: 'ziggo.nl', perMinute: 7, perHour: null, perDay: null }]);
    expect((await cli.run('smtp', 'pacing', 'main')).stdout).toContain('ziggo.nl: 7 / - / -');
    expect((await cli.run('smtp', 'history', 'main', 'established')).stdout).toContain('established');
    expect((await cli.json('smtp', 'pacing', 'main')).warmup).toBeNull();
    await cli.run('smtp', 'pacing-set', 'main', 'ziggo.nl');
    expect((await cli.json('smtp', 'pacing', 'main')).overrides).toEqual([]);
  });
});
