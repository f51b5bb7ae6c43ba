import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../src/browser-host/browser-host.js';

describe('the browser host', () => {
  let host: BrowserHost;
  let dataDir: string;

  beforeEach(async () => {
    const root = mkdtempSync(join(tmpdir(), 'browser-host-'));
    const rendererDir = join(root, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root, 'secret.txt'), 'do not serve');
    dataDir = join(root, 'data');
    host = await startBrowserHost({ dataDir, rendererDir });
  });
  afterEach(async () => {
    await host.close();
  });

  const bearer = () => ({ Authorization: `Bearer ${host.token}` });

  it('listens on 127.0.0.1 only and prints an address with a fresh random token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it('answers the api only with the token', async () => {
    expect((await fetch(`${host.origin}/trpc/host.info`)).status).toBe(401);
    expect(
      (await fetch(`${host.origin}/trpc/host.info`, { headers: { Authorization: 'Bearer wrong' } })).status,
    ).toBe(401);
    const response = await fetch(`${host.origin}/trpc/host.info`, { headers: bearer() });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      result: { data: { kind: string; database: { ok: boolean; path: string } } };
    };
    expect(body.result.data).toMatchObject({
      kind: 'browser',
      database: { ok: true, path: join(dataDir, 'consent-mailer.sqlite') },
    });
  });

  it('serves the page with the token in the address, then its files by the cookie it set', async () => {
    expect((await fetch(`${host.origin}/`)).status).toBe(401);
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toContain(host.token);
    const asset = await fetch(`${host.origin}/assets/app.js`, { headers: { Cookie: cookie } });
    expect(await asset.text()).toBe('console.log(1)');
  });

  it('never serves a file outside the built renderer', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const response = await rawGet(host.origin, `${path}?token=${host.token}`);
      expect(response.body).not.toContain('do not serve');
      expect(response.status).toBe(404);
    }
  });

  it('refuses a request for another host name (DNS rebinding)', async () => {
    const response = await rawGet(host.origin, `/trpc/host.info`, { Host: 'evil.example:80', ...bearer() });
    expect(response.status).toBe(421);
  });

  it('stores an upload under the data folder and returns its path', async () => {
    const response = await fetch(
      `${host.origin}/upload?name=${encodeURIComponent('../../klanten lijst.csv')}`,
      {
        method: 'POST',
        headers: bearer(),
        body: 'email;naam\nanna@example.nl;Anna\n',
      },
    );
    expect(response.status).toBe(200);
    const uploaded = (await response.json()) as { path: string; name: string };
    expect(uploaded.name).toBe('klanten lijst.csv');
    expect(uploaded.path.startsWith(join(dataDir, 'uploads'))).toBe(true);
    expect(readFileSync(uploaded.path, 'utf8')).toContain('anna@example.nl');
    expect((await fetch(`${host.origin}/upload?name=x.csv`, { method: 'POST', body: 'x' })).status).toBe(401);
  });
});

/** fetch() normalises `..` and the Host header away; a raw request sends the path and headers as given. */
function rawGet(
  origin: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: url.hostname, port: url.port, path, method: 'GET', headers },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end();
  });
}
