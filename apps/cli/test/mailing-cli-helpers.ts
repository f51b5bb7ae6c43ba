import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../src/main.js';
import type { CliIo } from '../src/runtime.js';

/** A temp folder with a database path, and a way to run the CLI in process against it. */
export interface CliHarness {
  dir: string;
  db: string;
  env: NodeJS.ProcessEnv;
  run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test output is checked with toMatchObject
  json<T = any>(...args: string[]): Promise<T>;
  file(name: string, content: string | Buffer): string;
  cleanup(): void;
}

export function createCliHarness(env: NodeJS.ProcessEnv = {}): CliHarness {
  const dir = mkdtempSync(join(tmpdir(), 'cm-cli-mailing-'));
  const db = join(dir, 'consent-mailer.sqlite');
  const harness: CliHarness = {
    dir,
    db,
    env: { CONSENT_MAILER_DB: db, ...env },
    async run(...args) {
      const stdout = new PassThrough();
      const stderr = Object.assign(new PassThrough(), { isTTY: false });
      let out = '';
      let err = '';
      stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
      const io: CliIo = { stdout, stderr, env: harness.env, clock: () => new Date() };
      const code = await main(['node', 'consent-mailer', ...args], io);
      return { code, stdout: out, stderr: err };
    },
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
