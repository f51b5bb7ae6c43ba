import { PassThrough, Readable } from 'node:stream';
import { main } from '../src/main.js';
import type { CliIo } from '../src/runtime.js';

/** Runs the CLI in process with captured streams (and, when given, typed-in answers on stdin). */
export async function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const io: CliIo = {
    stdout,
    stderr,
    env: options.env ?? {},
    clock: () => new Date('2026-11-28T12:00:00Z'),
    ...(options.stdin === undefined ? {} : { stdin: Readable.from([options.stdin]) }),
  };
  const code = await main(['node', 'consent-mailer', ...args], io);
  return { code, stdout: out, stderr: err };
}

/**
 * Runs a kysely write straight on the raw connection, as a fixture shortcut: no event. The store refuses
 * such a write through its kysely handle (STORE_WRITE_WITHOUT_EVENT); this one is committed by the next
 * event on the connection or at close (`ledger.sealed`).
 */
export function rawWrite(
  store: { sqlite: { prepare(sql: string): { run(...parameters: unknown[]): unknown } } },
  query: { compile(): { sql: string; parameters: readonly unknown[] } },
): Promise<void> {
  const { sql, parameters } = query.compile();
  store.sqlite.prepare(sql).run(...parameters);
  return Promise.resolve();
}
