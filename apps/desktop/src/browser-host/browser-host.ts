import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  createApiContext,
  createMemorySecretStore,
  type SecretStore,
  type SendingServices,
} from '@consent-mailer/api';
import type { AnyTRPCRouter } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { openAppDatabase } from '../shared/app-database.js';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.js';
import { startDesktopIntake } from '../shared/intake-runner.js';
import { startDesktopOptinPull } from '../shared/optin-runner.js';
import { createDesktopRouter, createStartupFailureRouter } from '../shared/host-router.js';
import type { HostServices } from '../shared/host-services.js';
import { contentTypeFor, resolveStaticPath } from '../shared/static-files.js';

/** Uploads larger than this are refused: contact files are a few MB; this stops a runaway request filling the disk. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
const TOKEN_COOKIE = 'consent_mailer_token';

export interface BrowserHostOptions {
  /** The folder with the database (and uploads). */
  dataDir: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; else a random one per run. */
  token?: string;
  secrets?: SecretStore;
  clock?: () => Date;
  locale?: string;
  /** SMTP transport and DNS resolver (tests point DNS at their own server); the system's by default. */
  sending?: SendingServices;
  /** Seconds between looks at the mailboxes the intake reads (each keeps its own interval); default 30. */
  intakeTickSeconds?: number;
  /** Seconds between pulls of the paired opt-in service; default 300. */
  optinPullSeconds?: number;
}

export interface BrowserHost {
  /** The address to open, token included. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

/**
 * Serves the app in a plain browser: the same router as the desktop app over HTTP on 127.0.0.1, the built
 * renderer, and an upload endpoint that stands in for the native open dialog. Every request must carry the
 * per-run token (the `Authorization` header for the api and uploads; a same-site cookie, set when the page
 * is opened with `?token=`, for the page's own files), and the Host header must be this address so a web
 * page elsewhere cannot reach the api by DNS rebinding.
 *
 * @example
 * const host = await startBrowserHost({ dataDir, rendererDir: 'out/renderer' });
 * console.log(host.url); // http://127.0.0.1:51234/?token=…
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const uploadDir = join(options.dataDir, 'uploads');
  const database = await openAppDatabase({
    dataDir: options.dataDir,
    ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
  });
  const services: HostServices = {
    info: () => ({
      kind: 'browser',
      database: database.startup,
      nativeDialogs: false,
      locale: options.locale ?? Intl.DateTimeFormat().resolvedOptions().locale,
    }),
    // No native dialogs in a browser: the renderer uploads instead (see `uploadFile`) and downloads exports.
    openFile: () => Promise.resolve(undefined),
    saveFile: () => Promise.resolve(undefined),
  };

  let trpcHandler: ReturnType<typeof createHTTPHandler>;
  let intake: { stop(): Promise<void> } | undefined;
  let optinPulls: { stop(): Promise<void> } | undefined;
  if (database.store) {
    const context = createApiContext({
      store: database.store,
      dataDir: options.dataDir,
      secrets: options.secrets ?? createMemorySecretStore(),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.sending ? { sending: options.sending } : {}),
    });
    // The mailbox intake runs here while the app is open (issue 16), as in the Electron main process.
    intake = startDesktopIntake(context, options.intakeTickSeconds);
    // The paired opt-in service is pulled here too (issue 15): sign-ups show as they arrive.
    optinPulls = startDesktopOptinPull(context, options.optinPullSeconds);
    // allowMethodOverride: the renderer sends queries as POST, since some inputs (an evidence bundle to verify)
    // are far longer than a URL may be.
    trpcHandler = createHTTPHandler({
      router: createDesktopRouter(services) as AnyTRPCRouter,
      basePath: '/trpc/',
      createContext: () => context,
      allowMethodOverride: true,
    });
  } else {
    // The renderer sends every query as POST: without the override the failure screen's one question
    // (host.info) was refused, and a damaged database showed a tRPC error instead of the designed screen.
    trpcHandler = createHTTPHandler({
      router: createStartupFailureRouter(services) as AnyTRPCRouter,
      basePath: '/trpc/',
      createContext: () => ({}),
      allowMethodOverride: true,
    });
  }

  let origin = '';
  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        send(
          response,
          500,
          'text/plain; charset=utf-8',
          error instanceof Error ? error.message : String(error),
        );
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    if (request.headers.host !== new URL(origin).host)
      return send(response, 421, 'text/plain; charset=utf-8', 'Wrong host');
    if (url.pathname.startsWith('/trpc/')) {
      if (!hasBearer(request, token))
        return send(response, 401, 'text/plain; charset=utf-8', 'Missing or wrong token');
      trpcHandler(request, response);
      return;
    }
    if (url.pathname === '/upload') {
      if (request.method !== 'POST') return send(response, 405, 'text/plain; charset=utf-8', 'POST only');
      if (!hasBearer(request, token))
        return send(response, 401, 'text/plain; charset=utf-8', 'Missing or wrong token');
      return receiveUpload(request, response, url.searchParams.get('name') ?? 'upload', uploadDir);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return send(response, 405, 'text/plain; charset=utf-8', 'GET only');
    const fromQuery = url.searchParams.get('token');
    const authorised =
      (fromQuery !== null && same(fromQuery, token)) || same(readCookie(request, TOKEN_COOKIE) ?? '', token);
    if (!authorised)
      return send(
        response,
        401,
        'text/plain; charset=utf-8',
        'Open the address the browser host printed (it carries the token).',
      );
    const file = resolveStaticPath(options.rendererDir, url.pathname);
    if (!file) return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
    }
    const headers: Record<string, string> = {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    };
    if (fromQuery !== null)
      headers['Set-Cookie'] = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    response.writeHead(200, { ...headers, 'Content-Type': contentTypeFor(file) });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${address.port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await intake?.stop();
      await optinPulls?.stop();
      await database.store?.close();
    },
  };
}

async function receiveUpload(
  request: IncomingMessage,
  response: ServerResponse,
  name: string,
  uploadDir: string,
): Promise<void> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > MAX_UPLOAD_BYTES) return send(response, 413, 'text/plain; charset=utf-8', 'File too large');
  await mkdir(uploadDir, { recursive: true });
  // Only the base name survives, with anything odd replaced: the client cannot choose where the file lands.
  const safeName =
    basename(name)
      .replace(/[^\w.\- ]/g, '_')
      .slice(0, 120) || 'upload';
  const path = join(uploadDir, `${randomUUID()}-${safeName}`);
  let received = 0;
  request.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > MAX_UPLOAD_BYTES) request.destroy(new Error('File too large'));
  });
  try {
    await pipeline(request, createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  send(response, 200, 'application/json; charset=utf-8', JSON.stringify({ path, name: basename(name) }));
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'Content-Type': contentType, 'X-Content-Type-Options': 'nosniff' });
  response.end(body);
}

function hasBearer(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') && same(header.slice('Bearer '.length), token);
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readCookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
