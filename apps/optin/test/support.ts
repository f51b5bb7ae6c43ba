import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { chromium, type BrowserContext } from 'playwright-core';

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
  });
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
  const result = spawnSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8' });
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

/** Runs curl (a real HTTP client outside Node) and returns status, headers and body. */
export function curl(args: string[]): { status: number; headers: string; body: string } {
  const dir = mkdtempSync(join(tmpdir(), 'optin-curl-'));
  const headerFile = join(dir, 'headers');
  const result = spawnSync('curl', ['-s', '-D', headerFile, '-o', '-', '-w', '\n%{http_code}', ...args], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`curl failed: ${result.stderr}`);
  const out = result.stdout;
  const cut = out.lastIndexOf('\n');
  const headers = spawnSync('cat', [headerFile], { encoding: 'utf8' }).stdout;
  rmSync(dir, { recursive: true, force: true });
  return { status: Number(out.slice(cut + 1)), headers, body: out.slice(0, cut) };
}
