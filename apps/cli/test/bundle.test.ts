import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// These run the built bundle (`pnpm run build` makes dist/; CI builds before it tests), as a user would.
const BIN = resolve(import.meta.dirname, '../bin/consent-mailer.js');
const HOOK = resolve(import.meta.dirname, 'fixtures/log-loads.mjs');
const DIST = resolve(import.meta.dirname, '../dist');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cm-cli-bundle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the bin and returns its output and the source files of every bundle chunk Node loaded. */
function run(args: string[], cwd = dir) {
  const log = join(dir, `loads-${Math.random().toString(36).slice(2)}.txt`);
  const result = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH, LOG_LOADS_TO: log },
    encoding: 'utf8',
  });
  const chunks = existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter((url) => url.startsWith('file:') && fileURLToPath(url).startsWith(DIST))
        .map((url) => fileURLToPath(url))
    : [];
  const sources = chunks.flatMap((chunk) => {
    const map = JSON.parse(readFileSync(`${chunk}.map`, 'utf8')) as { sources: string[] };
    return map.sources;
  });
  return { ...result, chunks, sources };
}

const commandFiles = (sources: string[]) =>
  sources.filter((s) => s.includes('src/commands/')).map((s) => s.replace(/.*src\/commands\//, ''));

describe('the bundled CLI', () => {
  it('lists every command on --help without loading a command file, the api or the store', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    for (const name of ['init', 'status', 'import', 'mailing', 'list', 'consent-text', 'acknowledge'])
      expect(help.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(commandFiles(help.sources)).toEqual([]);
    expect(help.sources.some((s) => s.includes('packages/api/') || s.includes('packages/store/'))).toBe(
      false,
    );
    // No TypeScript compiler at run time: only bundle chunks, never a .ts file or tsx.
    expect(help.sources.some((s) => s.includes('/tsx/') || s.includes('/typescript/'))).toBe(false);
  });

  it('loads only the command file and api router a command runs', () => {
    const db = join(dir, 'status.sqlite');
    expect(run(['init', '--db', db]).status).toBe(0);
    const status = run(['status', '--db', db, '--json']);
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ counts: { contacts: 0 }, chain: { ok: true } });
    expect(commandFiles(status.sources)).toEqual(['system.ts']);
    expect(status.sources.some((s) => s.includes('api/src/router/system.ts'))).toBe(true);
    for (const unused of [
      'api/src/router/mailings.ts',
      'api/src/acknowledgement/acknowledgement-pdf.ts',
      'importer/src/',
      // The mail stack (mailauth, nodemailer, the IMAP intake) is for sending and DNS checks only: loading
      // it made every command ~0.15 s slower to start (issue 19).
      'mailer/src/',
      'intake/src/',
      'node_modules/.pnpm/mailauth',
      'node_modules/.pnpm/nodemailer',
    ])
      expect(status.sources.some((s) => s.includes(unused))).toBe(false);
  });

  it("shows a group's subcommands from every file that adds to it (mailing.ts and record-edits.ts)", () => {
    const help = run(['mailing', '--help']);
    expect(help.status).toBe(0);
    for (const sub of ['create', 'assess', 'send', 'update', 'duplicate', 'delete'])
      expect(help.stdout).toMatch(new RegExp(`^  ${sub}\\b`, 'm'));
    expect(commandFiles(help.sources).sort()).toEqual(['mailing.ts', 'record-edits.ts']);
  });

  it("resolves a relative --db from the caller's folder, and never creates a mistyped one", () => {
    expect(run(['init', '--db', 'here.sqlite']).status).toBe(0);
    expect(existsSync(join(dir, 'here.sqlite'))).toBe(true);
    const typo = run(['status', '--db', 'hre.sqlite', '--json']);
    expect(typo.status).toBe(1);
    expect(JSON.parse(typo.stdout).error.code).toBe('DATABASE_NOT_FOUND');
    expect(existsSync(join(dir, 'hre.sqlite'))).toBe(false);
  });

  it('prints a usage error as JSON under --json (exit code 2)', () => {
    const usage = run(['status', '--frobnicate', '--json']);
    expect(usage.status).toBe(2);
    expect(JSON.parse(usage.stdout)).toEqual({
      error: { code: 'USAGE', message: "unknown option '--frobnicate'" },
    });
    expect(usage.stderr).toBe('');
  });
});
