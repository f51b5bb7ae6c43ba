import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PASSPHRASE_SECRETS_FILE } from '@consent-mailer/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCliHarness, type CliHarness } from './cli-harness.js';

let cli: CliHarness;

beforeEach(async () => {
  cli = createCliHarness({ CONSENT_MAILER_PASSPHRASE: 'een lange wachtwoordzin' });
  expect((await cli.run('init')).code).toBe(0);
  await cli.json(
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
  await cli.json(
    'import',
    cli.file('export.csv', 'Email Address,OPTIN_TIME\nanna@example.nl,"2026-02-12 17:59:31"\n'),
    '--method',
    'WEB_SOI',
    '--entity',
    'bakkerij',
  );
});
afterEach(() => cli.cleanup());

describe('secrets saved with a passphrase (CLI)', () => {
  it('keeps the signing key a command made for the next command, encrypted beside the database', async () => {
    const proof = await cli.json('contact', 'proof', 'anna@example.nl', '--out', join(cli.dir, 'a.zip'));
    const file = join(cli.dir, PASSPHRASE_SECRETS_FILE);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toMatch(/PRIVATE KEY|MC4CAQAw/);

    const key = await cli.json('acknowledgements', 'key');
    expect(key.fingerprint).toBe(proof.keyFingerprint);
    const again = await cli.json('contact', 'proof', 'anna@example.nl', '--out', join(cli.dir, 'b.zip'));
    expect(again.keyFingerprint).toBe(proof.keyFingerprint);
  });

  it("refuses a wrong passphrase in the user's language and leaves the saved key alone", async () => {
    await cli.json('contact', 'proof', 'anna@example.nl', '--out', join(cli.dir, 'a.zip'));
    const before = readFileSync(join(cli.dir, PASSPHRASE_SECRETS_FILE), 'utf8');
    cli.env.CONSENT_MAILER_PASSPHRASE = 'iets anders';
    const refused = await cli.run('acknowledgements', 'key', '--lang', 'nl');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('wachtwoordzin');
    expect(readFileSync(join(cli.dir, PASSPHRASE_SECRETS_FILE), 'utf8')).toBe(before);
  });

  it('without a passphrase or key a signing command still says what to set', async () => {
    delete cli.env.CONSENT_MAILER_PASSPHRASE;
    const refused = await cli.run('contact', 'proof', 'anna@example.nl', '--out', join(cli.dir, 'a.zip'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('CONSENT_MAILER_PASSPHRASE');
  });
});
