// The opt-in service's HTTP routes (Fastify): the sign-up form and API, confirm, unsubscribe, preferences,
// the signed feed and its key. Over 400 lines so that the security setup (helmet, body limits, the
// feed token) is seen to cover every route in one file.
import { LANGS } from '@consent-mailer/policy';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { altchaKey, createAltchaGuard, purgeSpentAltcha } from './altcha.js';
import { altchaWidget, registerAltchaRoutes } from './altcha-widget.js';
import type { Language, OptinConfig } from './config.js';
import { loadOrCreateSigningKey, publicKeyPem, secretEquals } from './crypto.js';
import { migrateOptinDatabase, openOptinDatabase, type OptinDb } from './database.js';
import { purgeRetained, readFeed } from './feed.js';
import { createOptinMailer, type OptinMailer } from './mail.js';
import {
  confirmSignup,
  handleSignup,
  preferencesFor,
  savePreferences,
  unsubscribe,
  viewConfirmation,
  type ServiceDeps,
} from './optin-service.js';
import {
  confirmPage,
  message,
  page,
  preferencesPage,
  signupForm,
  textMessage,
  unsubscribePage,
} from './pages.js';
import { registerReconfirmRoute } from './reconfirm.js';
import { t } from './texts.js';

export interface OptinServerOptions {
  config: OptinConfig;
  smtpPassword?: string | undefined;
  /** OPTIN_ALTCHA_HMAC_KEY: wins over `altcha.hmacKey` in the config. */
  altchaHmacKey?: string | undefined;
  now?: () => Date;
  /** pino level; 'silent' in tests. */
  logLevel?: string;
  /** Where log lines go (stdout by default); tests read them to prove no personal data is logged. */
  logStream?: { write(line: string): void };
  /** Replaces the SMTP mailer (never used by the tests, which run a real SMTP server). */
  mailer?: OptinMailer;
}

export interface OptinServer {
  app: FastifyInstance;
  db: OptinDb;
  publicKey: string;
  /** Listens and returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

const BODY_LIMIT = 16 * 1024;

type Body = Record<string, unknown>;

function field(body: unknown, name: string): string {
  const value = (body as Body | undefined)?.[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : '';
  return typeof value === 'string' ? value : '';
}

function fieldList(body: unknown, name: string): string[] {
  const value = (body as Body | undefined)?.[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

function pickLanguage(request: FastifyRequest, fallback: Language): Language {
  const query = (request.query as Body | undefined)?.lang;
  if (query === 'nl' || query === 'en') return query;
  const accept = request.headers['accept-language'];
  if (typeof accept === 'string') {
    const first = accept.split(',')[0]?.trim().toLowerCase() ?? '';
    if (first.startsWith('en')) return 'en';
    if (first.startsWith('nl')) return 'nl';
  }
  return fallback;
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

const JsonSignup = z.object({
  formId: z.string().max(64),
  formVersion: z.string().max(64),
  consentTextVersion: z.string().max(64),
  email: z.string().max(320),
  lists: z.array(z.string().max(64)).max(50),
  language: z.enum(LANGS).optional(),
  source: z.string().max(2048).optional(),
  website: z.string().max(512).optional(),
  /** The Altcha widget's payload, when Altcha is on. */
  altcha: z.string().max(8192).optional(),
});

/** The page text for each refused proof of work. */
const ALTCHA_REFUSALS = {
  altcha_missing: 'altchaMissing',
  altcha_invalid: 'altchaInvalid',
  altcha_expired: 'altchaExpired',
  altcha_replayed: 'altchaReplayed',
} as const;

function isAltchaRefusal(outcome: string): outcome is keyof typeof ALTCHA_REFUSALS {
  return Object.hasOwn(ALTCHA_REFUSALS, outcome);
}

/**
 * Builds the opt-in service: opens and migrates its database, loads its signing key and registers every
 * route. Nothing listens until `listen()`.
 *
 * @example
 * const server = await createOptinServer({ config });
 * const url = await server.listen();
 */
export async function createOptinServer(options: OptinServerOptions): Promise<OptinServer> {
  const { config } = options;
  const now = options.now ?? (() => new Date());
  const altchaHmacKey = altchaKey(config.altcha, options.altchaHmacKey);
  const { db, kind } = openOptinDatabase(config.database);
  await migrateOptinDatabase(db, kind);
  const key = loadOrCreateSigningKey(config.signingKeyFile);
  const publicKey = publicKeyPem(key);
  const mailer =
    options.mailer ??
    createOptinMailer(config.smtp, options.smtpPassword, config.mailFrom, config.controller.legalName);
  const insecure = new URL(config.publicUrl).protocol === 'http:';
  const altcha =
    altchaHmacKey === null
      ? null
      : createAltchaGuard({ settings: config.altcha, hmacKey: altchaHmacKey, db, now });
  const altchaText = (outcome: keyof typeof ALTCHA_REFUSALS, language: Language) =>
    t(ALTCHA_REFUSALS[outcome], language, {
      minutes: String(Math.ceil(config.altcha.challengeTtlSeconds / 60)),
    });

  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    // X-Forwarded-For counts only when the connection comes from one of these proxies.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    logger: {
      level: options.logLevel ?? 'info',
      ...(options.logStream ? { stream: options.logStream } : {}),
      // Addresses, IPs, tokens and user agents never reach a log: only the method and the route pattern.
      redact: { paths: ['req.headers', 'req.url', 'req.query', 'req.body', 'req.ip'], remove: true },
      serializers: {
        req: (request: { method?: string; routeOptions?: { url?: string } }) => ({
          method: request.method,
          route: request.routeOptions?.url,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
  const deps: ServiceDeps = {
    db,
    config,
    key,
    mailer,
    altcha,
    now,
    logError: (msg, error) => app.log.error({ code: (error as { code?: unknown } | null)?.code }, msg),
  };

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'none'"],
        // No page has an inline script; with Altcha on, the widget's files come from this service.
        scriptSrc: ["'self'"],
        styleSrc: altcha ? ["'self'", "'unsafe-inline'"] : ["'unsafe-inline'"],
        // With Altcha on: its worker and its fetch of /altcha/challenge, from this service only.
        ...(altcha ? { workerSrc: ["'self'"], connectSrc: ["'self'"] } : {}),
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        // Behind TLS every request is upgraded; on a plain test URL upgrading would break the forms.
        upgradeInsecureRequests: insecure ? null : [],
      },
    },
    hsts: !insecure,
  });
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  // RFC 8058 allows multipart/form-data for the one-click POST; fields only, no files.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: 0, files: 0, fields: 20, fieldSize: 1024 },
  });

  app.get('/health', async (_request, reply) => {
    await db.selectFrom('feed_cursor').select('name').limit(1).execute();
    // Advertised so `consent-mailer optin check` can prove the confirmation links expire.
    return reply.send({ ok: true, tokenTtlDays: config.tokenTtlDays });
  });

  const publicBase = config.publicUrl.replace(/\/$/, '');
  const widgetFor = (language: Language, base: string, embedded: boolean) =>
    altcha ? altchaWidget(language, base, embedded) : '';
  if (altcha) await registerAltchaRoutes(app, altcha, config.altcha.challengesPerIpPerMinute);

  // The hosted sign-up page, at `/` (the first form) and at `/signup` (the form `?form=` names).
  const signupPage = (
    reply: FastifyReply,
    form: (typeof config.forms)[number],
    language: Language,
    options: { source?: string },
  ) =>
    html(
      reply,
      200,
      page(
        language,
        t('signupTitle', language),
        signupForm(form, language, '/signup', { ...options, widget: widgetFor(language, '', false) }),
      ),
    );

  app.get('/', async (request, reply) => {
    const form = config.forms[0];
    const language = pickLanguage(request, config.defaultLanguage);
    if (!form) return html(reply, 404, textMessage(language, 'linkInvalidTitle', 'linkInvalid'));
    return signupPage(reply, form, language, {});
  });

  app.get('/signup', async (request, reply) => {
    const id = field(request.query, 'form');
    const form = config.forms.find((f) => f.id === id) ?? config.forms[0];
    const language = pickLanguage(request, config.defaultLanguage);
    if (!form) return html(reply, 404, textMessage(language, 'linkInvalidTitle', 'linkInvalid'));
    // Our own page's address is the source; the snippet on the business's site relies on the Referer instead.
    const source = `${config.publicUrl.replace(/\/$/, '')}/signup?form=${form.id}&lang=${language}`;
    return signupPage(reply, form, language, { source });
  });

  /** The copy-paste snippet for the business's own site: the same form posting here. */
  app.get('/snippet', async (request, reply) => {
    const id = field(request.query, 'form');
    const form = config.forms.find((f) => f.id === id) ?? config.forms[0];
    const language = pickLanguage(request, config.defaultLanguage);
    if (!form) return reply.code(404).send('');
    const action = `${publicBase}/signup`;
    const markup = signupForm(form, language, action, { widget: widgetFor(language, publicBase, true) });
    return reply
      .type('text/plain; charset=utf-8')
      .send(`${markup.replace(/class="hp"/, 'style="position:absolute;left:-10000px"')}\n`);
  });

  app.post('/signup', async (request, reply) => {
    const body = request.body;
    const language =
      field(body, 'language') === 'en'
        ? 'en'
        : field(body, 'language') === 'nl'
          ? 'nl'
          : pickLanguage(request, config.defaultLanguage);
    const outcome = await handleSignup(deps, {
      formId: field(body, 'form_id'),
      formVersion: field(body, 'form_version'),
      consentTextVersion: field(body, 'consent_text_version'),
      email: field(body, 'email'),
      lists: fieldList(body, 'lists'),
      language,
      honeypot: field(body, 'website'),
      altcha: field(body, 'altcha'),
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? '',
      source:
        field(body, 'source') ||
        request.headers.referer ||
        `form ${field(body, 'form_id')} v${field(body, 'form_version')} (no referrer)`,
    });
    if (outcome === 'invalid') return html(reply, 400, textMessage(language, 'signupTitle', 'invalidEmail'));
    if (outcome === 'rate_limited') return html(reply, 429, textMessage(language, 'signupTitle', 'tooMany'));
    if (isAltchaRefusal(outcome))
      return html(reply, 403, message(language, t('signupTitle', language), altchaText(outcome, language)));
    return html(reply, 200, textMessage(language, 'checkMailTitle', 'checkMail'));
  });

  app.post('/api/signup', async (request, reply) => {
    const parsed = JsonSignup.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ status: 'invalid' });
    const input = parsed.data;
    const outcome = await handleSignup(deps, {
      formId: input.formId,
      formVersion: input.formVersion,
      consentTextVersion: input.consentTextVersion,
      email: input.email,
      lists: input.lists,
      language: input.language ?? config.defaultLanguage,
      honeypot: input.website ?? '',
      altcha: input.altcha ?? '',
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? '',
      source: input.source ?? request.headers.referer ?? '',
    });
    if (outcome === 'invalid') return reply.code(400).send({ status: 'invalid' });
    if (outcome === 'rate_limited') return reply.code(429).send({ status: 'rate_limited' });
    if (isAltchaRefusal(outcome))
      return reply.code(403).send({
        status: outcome,
        message: { nl: altchaText(outcome, 'nl'), en: altchaText(outcome, 'en') },
      });
    return reply.code(202).send({ status: 'pending' });
  });

  app.get<{ Params: { token: string } }>('/confirm/:token', async (request, reply) => {
    const view = await viewConfirmation(deps, request.params.token);
    const fallback = pickLanguage(request, config.defaultLanguage);
    if (view.kind === 'invalid')
      return html(reply, 404, textMessage(fallback, 'linkInvalidTitle', 'linkInvalid'));
    if (view.kind === 'confirmed')
      return html(reply, 200, textMessage(view.language, 'confirmedTitle', 'confirmed'));
    return html(reply, 200, confirmPage(view.language, `/confirm/${request.params.token}`, view.nonce));
  });

  app.post<{ Params: { token: string } }>('/confirm/:token', async (request, reply) => {
    const outcome = await confirmSignup(deps, request.params.token, field(request.body, 'nonce'), {
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? '',
    });
    const fallback = pickLanguage(request, config.defaultLanguage);
    if (outcome.kind === 'invalid')
      return html(reply, 404, textMessage(fallback, 'linkInvalidTitle', 'linkInvalid'));
    if (outcome.kind === 'bad_nonce')
      return html(reply, 403, textMessage(outcome.language, 'confirmTitle', 'nonceInvalid'));
    return html(reply, 200, textMessage(outcome.language, 'confirmedTitle', 'confirmed'));
  });

  const unsubscribeUrls = (token: string) => ({
    action: `/unsubscribe?token=${encodeURIComponent(token)}`,
    preferences: `/preferences?token=${encodeURIComponent(token)}`,
  });

  app.get('/unsubscribe', async (request, reply) => {
    const language = pickLanguage(request, config.defaultLanguage);
    const urls = unsubscribeUrls(field(request.query, 'token'));
    return html(reply, 200, unsubscribePage(language, urls.action, urls.preferences));
  });

  // RFC 8058: no cookies, no Origin check, no redirect; 200 whatever the token, so nothing can be probed.
  app.post('/unsubscribe', async (request, reply) => {
    const language = pickLanguage(request, config.defaultLanguage);
    const oneClick = field(request.body, 'List-Unsubscribe') === 'One-Click';
    await unsubscribe(
      deps,
      field(request.query, 'token') || field(request.body, 'token'),
      oneClick ? 'one-click' : 'page',
    );
    return html(reply, 200, textMessage(language, 'unsubscribedTitle', 'unsubscribed'));
  });

  app.get('/preferences', async (request, reply) => {
    const token = field(request.query, 'token');
    const prefs = await preferencesFor(deps, token);
    const language = prefs?.language ?? pickLanguage(request, config.defaultLanguage);
    const urls = unsubscribeUrls(token);
    if (!prefs) return html(reply, 200, unsubscribePage(language, urls.action, urls.preferences));
    return html(reply, 200, preferencesPage(language, urls.preferences, prefs.lists));
  });

  app.post('/preferences', async (request, reply) => {
    const token = field(request.query, 'token');
    const prefs = await preferencesFor(deps, token);
    const language = prefs?.language ?? pickLanguage(request, config.defaultLanguage);
    const lists = fieldList(request.body, 'lists');
    await savePreferences(deps, token, lists);
    const kept = prefs ? lists.filter((l) => prefs.lists.some((p) => p.id === l)) : [];
    if (kept.length === 0)
      return html(reply, 200, textMessage(language, 'unsubscribedTitle', 'unsubscribed'));
    return html(reply, 200, textMessage(language, 'preferencesTitle', 'preferencesSaved'));
  });

  registerReconfirmRoute(app, deps);

  app.get('/key', async (_request, reply) => reply.send({ publicKey, algorithm: 'Ed25519' }));

  app.get('/events', async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!given || !secretEquals(given, config.feedToken))
      return reply.code(401).send({ error: 'unauthorized' });
    const query = z
      .object({
        after: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(0).max(1000).default(500),
      })
      .safeParse(request.query);
    if (!query.success) return reply.code(400).send({ error: 'bad_query' });
    const events = await readFeed(db, query.data.after, query.data.limit, now().toISOString());
    return reply.header('cache-control', 'no-store').send({ publicKey, events });
  });

  const purge = () =>
    Promise.all([purgeRetained(db, now(), config.retentionDays), purgeSpentAltcha(db, now())]).catch(
      (error: unknown) => deps.logError('purge failed', error),
    );
  await purge();
  const timer = setInterval(() => void purge(), 3_600_000);
  timer.unref();

  app.addHook('onClose', async () => {
    clearInterval(timer);
    mailer.close();
    await db.destroy();
  });

  return {
    app,
    db,
    publicKey,
    async listen() {
      return app.listen({ host: config.listen.host, port: config.listen.port });
    },
    close: () => app.close(),
  };
}
