import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { AltchaGuard } from './altcha.js';
import type { Language } from './config.js';
import { escapeHtml } from './pages.js';
import { t } from './texts.js';

/**
 * The Altcha widget's files, served by this service from the installed `altcha` package (no CDN: the
 * hosted page's CSP allows scripts only from 'self'). Resolved through the package's CSS export because
 * its worker files have no `require` export; the folders beside it are the package's own layout.
 */
const EXTERNAL = dirname(createRequire(import.meta.url).resolve('altcha/altcha.css'));
const DIST = dirname(EXTERNAL);

/**
 * Registers the proof-of-work worker for the hosted page. The external build ships without workers so that
 * the page needs no blob: workers; ours comes from this service, next to this script.
 */
const REGISTER_WORKER = `// Consent Mailer opt-in service: the PBKDF2 worker from this service (CSP worker-src 'self').
globalThis.$altcha.algorithms.set('PBKDF2/SHA-256', () => new Worker(new URL('pbkdf2-worker.js', import.meta.url)));
`;

interface Asset {
  body: Buffer;
  type: string;
}

function file(path: string, type: string): Asset {
  return { body: readFileSync(path), type };
}

function assets(): Record<string, Asset> {
  const js = 'text/javascript; charset=utf-8';
  return {
    // The hosted page: widget without inline workers or styles, its stylesheet, and our worker.
    'altcha.js': file(join(EXTERNAL, 'altcha.min.js'), js),
    'altcha.css': file(join(EXTERNAL, 'altcha.css'), 'text/css; charset=utf-8'),
    'register-worker.js': { body: Buffer.from(REGISTER_WORKER), type: js },
    'pbkdf2-worker.js': file(join(DIST, 'workers', 'pbkdf2.js'), js),
    // The snippet on the business's site: a worker cannot come from another origin, so it uses the build
    // that starts its workers from blob: URLs and injects its own styles.
    'altcha-embedded.js': file(join(DIST, 'main', 'altcha.min.js'), js),
    // English is built in; Dutch is the one other language the pages speak.
    'i18n/nl.js': file(join(DIST, 'i18n', 'nl.js'), js),
  };
}

/**
 * GET /altcha/challenge and the widget's files under /altcha/. Both may be used from the business's own
 * site (the snippet), hence open CORS; neither carries anything personal.
 */
export async function registerAltchaRoutes(
  app: FastifyInstance,
  guard: AltchaGuard,
  challengesPerMinute: number,
): Promise<void> {
  const files = assets();
  // Counted per client address (the proxy's X-Forwarded-For only from trusted proxies, as everywhere).
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({
      statusCode: context.statusCode,
      status: 'rate_limited',
      message: `Too many challenges from this address; try again in ${context.after}.`,
    }),
  });
  app.get(
    '/altcha/challenge',
    { config: { rateLimit: { max: challengesPerMinute, timeWindow: '1 minute' } } },
    async (_request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .header('access-control-allow-origin', '*')
        .send(await guard.challenge()),
  );
  app.get('/altcha/*', async (request, reply) => {
    const name = (request.params as { '*'?: string })['*'] ?? '';
    const asset = Object.hasOwn(files, name) ? files[name] : undefined;
    if (!asset) return reply.code(404).send({ error: 'not_found' });
    return reply
      .header('cache-control', 'public, max-age=86400')
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .type(asset.type)
      .send(asset.body);
  });
}

/**
 * The widget inside the sign-up form. `base` is '' on the hosted page and the service's public URL in the
 * snippet; the snippet uses the embedded build (see `assets`). The widget starts its work when the visitor
 * first focuses the form, so a page view alone costs nothing.
 */
export function altchaWidget(language: Language, base: string, embedded: boolean): string {
  const at = (path: string) => escapeHtml(`${base}/altcha/${path}`);
  const scripts = embedded
    ? [`<script type="module" src="${at('altcha-embedded.js')}"></script>`]
    : [
        `<link rel="stylesheet" href="${at('altcha.css')}">`,
        `<script type="module" src="${at('altcha.js')}"></script>`,
        `<script type="module" src="${at('register-worker.js')}"></script>`,
      ];
  if (language === 'nl') scripts.push(`<script type="module" src="${at('i18n/nl.js')}"></script>`);
  return `${scripts.join('\n')}
<altcha-widget challenge="${at('challenge')}" name="altcha" language="${language}" auto="onfocus" style="display:block;margin:.5rem 0 1rem"></altcha-widget>
<noscript><p>${escapeHtml(t('altchaNoScript', language))}</p></noscript>
`;
}
