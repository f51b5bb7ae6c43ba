import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

/** Content types of what electron-vite emits for the renderer. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/**
 * Maps a request path to a file inside `root`, or undefined when it would leave `root` (`..`, encoded
 * `%2e%2e`, backslashes, absolute paths, NUL bytes). Both the Electron custom protocol and the browser
 * host serve the built renderer through this guard.
 *
 * @example
 * resolveStaticPath('/app/out/renderer', '/assets/index.js'); // '/app/out/renderer/assets/index.js'
 * resolveStaticPath('/app/out/renderer', '/../secrets.json'); // undefined
 */
export function resolveStaticPath(root: string, requestPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    // A malformed escape cannot name a file of ours.
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const relativePath = decoded.replace(/^\/+/, '') || 'index.html';
  if (isAbsolute(relativePath)) return undefined;
  const base = resolve(root);
  const target = resolve(base, relativePath);
  const inside = relative(base, target);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).includes('..'))
    return undefined;
  return target;
}

/**
 * The Content-Type header for a file served from the renderer build.
 *
 * @example
 * contentTypeFor('index.html'); // 'text/html; charset=utf-8'
 */
export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
