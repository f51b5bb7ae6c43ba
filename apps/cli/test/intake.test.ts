import { startDovecot, type DovecotServer } from '@consent-mailer/intake/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliHarness, type CliHarness } from './cli-harness.js';

let dovecot: DovecotServer;
let cli: CliHarness;

beforeAll(async () => {
  dovecot = await startDovecot({ users: { info: 'postvak-geheim' } });
  // The password comes from the command's own environment (a test harness, a scheduler's env file), not
  // from whatever the process happened to inherit.
  cli = createCliHarness({ CONSENT_MAILER_SECRET_IMAP_INFO: 'postvak-geheim' });
  expect((await cli.run('init')).code).toBe(0);
});
afterAll(async () => {
  cli.cleanup();
  await dovecot.stop();
});

describe('consent-mailer intake add | run | status', () => {
  it('adds a mailbox with the password from the environment, reads it, and shows its state', async () => {
    const added = await cli.run(
      'intake',
      'add',
      'info',
      '--host',
      '127.0.0.1',
      '--port',
      String(dovecot.port),
      '--security',
      'none',
      '--user',
      'info',
    );
    expect(added.code, added.stderr).toBe(0);
    const run = await cli.run('intake', 'run', 'info');
    expect(run.code, run.stderr).toBe(0);
    const status = await cli.json('intake', 'status');
    expect(status.mailboxes.map((m: { name: string }) => m.name)).toEqual(['info']);
    expect(status.mailboxes[0].lastError ?? null).toBeNull();
  });

  it('says which variable to set when the password is missing, in Dutch too', async () => {
    const missing = await cli.run(
      'intake',
      'add',
      'ander',
      '--host',
      '127.0.0.1',
      '--security',
      'none',
      '--user',
      'ander',
      '--lang',
      'nl',
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('CONSENT_MAILER_SECRET_IMAP_ANDER');
    expect(missing.stderr).toContain('wachtwoord');
  });
});
