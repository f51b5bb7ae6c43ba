import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.js';
import { contentTypeFor, resolveStaticPath } from '../shared/static-files.js';

export const APP_SCHEME = 'app';
/** The page the window loads in production. */
export const APP_ENTRY_URL = 'app://bundle/index.html';

/**
 * Declares `app://` a standard, secure scheme. Must run before the app is ready.
 *
 * @example
 * registerAppScheme(); // at module load, before app.whenReady()
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * Serves the built renderer from `root` over `app://bundle/…`, behind the path-traversal guard, with the
 * CSP as a header. Serving from a custom protocol instead of file:// keeps the page from reading other
 * local files and gives it a stable origin.
 *
 * @example
 * handleAppProtocol(join(import.meta.dirname, '../renderer'));
 */
export function handleAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'bundle' ? resolveStaticPath(root, url.pathname) : undefined;
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': contentTypeFor(file),
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      // A missing asset is a 404, not a crash of the main process.
      return new Response('Not found', { status: 404 });
    }
  });
}
