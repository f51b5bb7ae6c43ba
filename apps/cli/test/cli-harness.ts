// The one way the CLI tests run the CLI: in process with captured streams (runCli), or against a database in a
// temp folder of its own (createCliHarness).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../src/main.js';
import type { CliIo } from '../src/runtime.js';

/** What a run printed and its exit code. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in process with captured streams (and, when given, typed-in answers on stdin). The clock
 * stands at 2026-11-28T12:00:00Z unless `clock` is given.
 */
export async function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string; clock?: () => Date; tty?: boolean } = {},
): Promise<CliResult> {
  const stdout = new PassThrough();
  // A terminal on stderr gets progress lines; captured output is no terminal unless `tty` says so.
  const stderr = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const io: CliIo = {
    stdout,
    stderr,
    env: options.env ?? {},
    clock: options.clock ?? (() => new Date('2026-11-28T12:00:00Z')),
    ...(options.stdin === undefined ? {} : { stdin: Readable.from([options.stdin]) }),
  };
  const code = await main(['node', 'consent-mailer', ...args], io);
  return { code, stdout: out, stderr: err };
}

/** A temp folder with a database path, and a way to run the CLI in process against it. */
export interface CliHarness {
  dir: string;
  db: string;
  env: NodeJS.ProcessEnv;
  run(...args: string[]): Promise<CliResult>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test output is checked with toMatchObject
  json<T = any>(...args: string[]): Promise<T>;
  file(name: string, content: string | Buffer): string;
  cleanup(): void;
}

/** A fresh temp folder whose database the runs use (`CONSENT_MAILER_DB`), and helpers around `runCli`. */
export function createCliHarness(env: NodeJS.ProcessEnv = {}): CliHarness {
  const dir = mkdtempSync(join(tmpdir(), 'cm-cli-mailing-'));
  const db = join(dir, 'consent-mailer.sqlite');
  const harness: CliHarness = {
    dir,
    db,
    env: { CONSENT_MAILER_DB: db, ...env },
    // The real clock: these tests send, pause and resume, and wait on jobs.
    run: (...args) => runCli(args, { env: harness.env, clock: () => new Date() }),
    async json(...args) {
      const result = await harness.run(...args, '--json');
      if (result.code !== 0)
        throw new Error(
          `consent-mailer ${args.join(' ')} exited ${result.code}: ${result.stdout}${result.stderr}`,
        );
      return JSON.parse(result.stdout);
    },
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  return harness;
}
