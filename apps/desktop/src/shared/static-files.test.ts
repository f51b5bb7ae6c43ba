import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeFor, resolveStaticPath } from './static-files.js';

const ROOT = resolve('/app/out/renderer');

describe('resolveStaticPath', () => {
  it.each([
    ['/', join(ROOT, 'index.html')],
    ['/index.html', join(ROOT, 'index.html')],
    ['/assets/index-abc.js', join(ROOT, 'assets', 'index-abc.js')],
    ['/assets/a%20b.css', join(ROOT, 'assets', 'a b.css')],
  ])('serves %s from inside the build', (request, expected) => {
    expect(resolveStaticPath(ROOT, request)).toBe(expected);
  });

  it.each([
    '/../secrets.json',
    '/assets/../../secrets.json',
    '/%2e%2e/secrets.json',
    '/assets/%2E%2E/%2E%2E/etc/passwd',
    '/..%5c..%5csecrets.json',
    '/assets\\..\\..\\secrets.json',
    '//etc/passwd',
    '/index.html%00.png',
    '/%E0%A4%A',
  ])('refuses %s, which would leave the build folder or is malformed', (request) => {
    const resolved = resolveStaticPath(ROOT, request);
    expect(resolved === undefined || resolved.startsWith(ROOT + '/')).toBe(true);
    if (
      request.includes('..') ||
      request.includes('%2') ||
      request.includes('%00') ||
      request.includes('%E0')
    )
      expect(resolved).toBeUndefined();
  });

  it('names the content types the renderer build emits', () => {
    expect(contentTypeFor('a/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a/x.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a/x.unknown')).toBe('application/octet-stream');
  });
});
