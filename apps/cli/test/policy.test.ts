import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './cli-harness.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cm-cli-policy-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function run(...args: string[]): Promise<CliResult> {
  // No --db and a data dir that does not exist: the command must not need (or create) a database.
  return runCli(args, {
    env: {
      CONSENT_MAILER_DATA_DIR: join(dir, 'no-data'),
      CONSENT_MAILER_DB: join(dir, 'no-data', 'db.sqlite'),
    },
  });
}

function file(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

const mailing = { id: 'm-1', senderEntityId: 'shop', listId: 'news', content: 'MARKETING' };
const unsubscribed = {
  email: 'jan@example.nl',
  recipientKind: 'CONSUMER',
  method: 'WEB_SOI',
  senderEntityId: 'shop',
  scopeLists: ['news'],
  signupAt: '2026-06-01T10:00:00Z',
  source: 'https://shop.example.nl/form',
  consentTextVersionId: 'text-1',
  unsubscribedAt: '2026-09-15T08:00:00Z',
};

describe('consent-mailer policy explain', () => {
  it('prints the verdict and every reason in English', async () => {
    const result = await run(
      'policy',
      'explain',
      '--contact',
      file('c.json', unsubscribed),
      '--mailing',
      file('m.json', mailing),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('BLOCKED: Not allowed');
    expect(result.stdout).toContain('[G1] unsubscribed or objected (BLOCKED)');
    expect(result.stdout).toContain('This person unsubscribed on 15 September 2026.');
    expect(result.stdout).toContain('[S1] single opt-in (TRANSFER_RISK)');
    expect(result.stdout).toContain('judged at 2026-11-28T12:00:00.000Z');
    expect(result.stderr).toBe('');
  });

  it('speaks Dutch with --lang nl and judges at --now', async () => {
    const { unsubscribedAt: _dropped, ...subscribed } = unsubscribed;
    const result = await run(
      'policy',
      'explain',
      '--lang',
      'nl',
      '--now',
      '2030-06-01T00:00:00Z',
      '--contact',
      file('c.json', subscribed),
      '--mailing',
      file('m.json', mailing),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('TRANSFER_RISK: Alleen op eigen risico');
    expect(result.stdout).toContain('[A2] toestemming ouder dan 3 jaar');
    expect(result.stdout).toContain('meer dan 36 maanden geleden');
  });

  it('prints JSON with --json', async () => {
    const result = await run(
      'policy',
      'explain',
      '--json',
      '--contact',
      file('c.json', unsubscribed),
      '--mailing',
      file('m.json', mailing),
    );
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as {
      classification: string;
      reasons: { code: string; params: Record<string, unknown> }[];
    };
    expect(json.classification).toBe('BLOCKED');
    expect(json.reasons.map((r) => r.code)).toEqual(['G1', 'S1']);
    expect(json.reasons[0]?.params).toEqual({ unsubscribedAt: '2026-09-15T08:00:00Z' });
  });

  it('names every invalid field', async () => {
    const contact = {
      ...unsubscribed,
      method: 'CARRIER_PIGEON',
      softBounces: [{ at: 'yesterday', mailingId: 'x' }],
    };
    const result = await run(
      'policy',
      'explain',
      '--contact',
      file('c.json', contact),
      '--mailing',
      file('m.json', { ...mailing, content: undefined }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error [INVALID_INPUT]');
    expect(result.stderr).toContain('contact.method:');
    expect(result.stderr).toContain('contact.softBounces.0.at:');
    expect(result.stderr).toContain('mailing.content:');
    expect(result.stdout).toBe('');
  });

  it('says so when a file does not exist, in the chosen language', async () => {
    const result = await run(
      'policy',
      'explain',
      '--lang',
      'nl',
      '--contact',
      join(dir, 'missing.json'),
      '--mailing',
      file('m.json', mailing),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error [FILE_NOT_FOUND]: Het contactbestand');
    expect(result.stderr).toContain('missing.json" bestaat niet');
  });

  it('says so when a file is not JSON, with --json as a JSON error', async () => {
    const result = await run(
      'policy',
      'explain',
      '--json',
      '--contact',
      file('c.json', unsubscribed),
      '--mailing',
      file('m.json', 'id,content\nm-1,MARKETING'),
    );
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { error: { code: string; message: string } };
    expect(json.error.code).toBe('INVALID_JSON');
    expect(json.error.message).toContain('The mailing file');
  });

  it('a missing option is a usage error', async () => {
    const result = await run('policy', 'explain', '--contact', file('c.json', unsubscribed));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--mailing <file>' not specified");
  });

  it('runs as a child process through the bin script without any database', () => {
    const bin = resolve(import.meta.dirname, '../bin/consent-mailer.js');
    const dataDir = join(dir, 'no-data');
    const child = spawnSync(
      process.execPath,
      [
        bin,
        'policy',
        'explain',
        '--contact',
        file('c.json', unsubscribed),
        '--mailing',
        file('m.json', mailing),
        '--json',
      ],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          CONSENT_MAILER_DB: join(dataDir, 'db.sqlite'),
          CONSENT_MAILER_DATA_DIR: dataDir,
        },
        timeout: 110_000,
      },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect((JSON.parse(child.stdout) as { classification: string }).classification).toBe('BLOCKED');
    expect(existsSync(dataDir)).toBe(false);
  }, 120_000);
});
