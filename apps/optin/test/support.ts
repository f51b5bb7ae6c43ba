import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { chromium, type BrowserContext } from 'playwright-core';
import type { DatabaseConfig } from '../src/config.js';

const execFileAsync = promisify(execFile);

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// docs/toolchain.md: the flags Debian's Chromium needs here.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(
  language: 'nl' | 'en' = 'nl',
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH.`);
  const profile = mkdtempSync(join(tmpdir(), 'optin-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: language === 'nl' ? 'nl-NL' : 'en-US',
    args: [...CHROMIUM_ARGS, `--lang=${language === 'nl' ? 'nl-NL' : 'en-US'}`],
    // Fail fast instead of waiting out the test's timeout on a browser that never comes up.
    timeout: 30_000,
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(15_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  connectionString: string;
  stop(): void;
}

function asPostgres(args: string[]): void {
  // initdb and postgres refuse to run as root.
  const result = spawnSync('runuser', ['-u', 'postgres', '--', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr || result.stdout}`);
}

/** A real PostgreSQL 15 in a temp folder on 127.0.0.1 with a free port, stopped by `stop()`. */
export async function startPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'optin-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  spawnSync('chown', ['postgres', dir]);
  asPostgres([`${PG_BIN}/initdb`, '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  asPostgres([
    `${PG_BIN}/pg_ctl`,
    '-D',
    data,
    '-l',
    join(dir, 'postgres.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  const connectionString = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString });
  await client.connect();
  await client.end();
  return {
    connectionString,
    stop() {
      asPostgres([`${PG_BIN}/pg_ctl`, '-D', data, '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs curl (a real HTTP client outside Node) and returns status, headers and body. Asynchronous on
 * purpose: the server under test runs in this process, so a synchronous child would block the event loop
 * the server needs to answer, and curl would wait forever.
 */
export async function curl(args: string[]): Promise<{ status: number; headers: string; body: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'optin-curl-'));
  const headerFile = join(dir, 'headers');
  try {
    const { stdout } = await execFileAsync(
      'curl',
      ['-s', '--max-time', '20', '-D', headerFile, '-o', '-', '-w', '\n%{http_code}', ...args],
      { encoding: 'utf8', timeout: 30_000 },
    );
    const cut = stdout.lastIndexOf('\n');
    const headers = readFileSync(headerFile, 'utf8');
    return { status: Number(stdout.slice(cut + 1)), headers, body: stdout.slice(0, cut) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A storage a suite runs on: where its service keeps data, and how to stop what it started. */
export type TestStorage = () => Promise<{ db: (dir: string) => DatabaseConfig; stop(): void }>;

/**
 * The two storages every service suite runs on: SQLite in the test's folder, and a real PostgreSQL server
 * started for the suite (`describe.each(STORAGES)`).
 */
export const STORAGES: [string, TestStorage][] = [
  [
    'SQLite',
    () =>
      Promise.resolve({
        db: (dir: string) => ({ kind: 'sqlite' as const, file: join(dir, 'optin.sqlite') }),
        stop: () => undefined,
      }),
  ],
  [
    'PostgreSQL',
    async () => {
      const server = await startPostgres();
      return {
        db: () => ({ kind: 'postgres' as const, connectionString: server.connectionString }),
        stop: () => server.stop(),
      };
    },
  ],
];
