import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SmtpSettings } from '@consent-mailer/mailer';
import { LANGS, UserError } from '@consent-mailer/policy';
import { z } from 'zod';

const Language = z.enum(LANGS);
const Localized = z.object({ nl: z.string().min(1), en: z.string().min(1) });

/** One version of the consent text a form shows; versions are never changed, only added. */
const ConsentTextVersion = z.object({ version: z.string().min(1).max(64), text: Localized });

const FormConfig = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  version: z.string().min(1).max(64),
  lists: z.array(z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), name: Localized })).min(1),
  /** Every version ever shown (the evidence of old sign-ups points at them); the last one is current. */
  consentTexts: z.array(ConsentTextVersion).min(1),
});
export type FormConfig = z.infer<typeof FormConfig>;

const DatabaseConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), file: z.string().min(1) }),
  z.object({ kind: z.literal('postgres'), connectionString: z.string().min(1) }),
]);
export type DatabaseConfig = z.infer<typeof DatabaseConfig>;

/**
 * The optional proof-of-work check on sign-ups (Altcha): the visitor's browser spends a moment of computing
 * before the form goes out, which costs a bot farm per sign-up and a person nothing they notice. Off by
 * default because with it on the form needs JavaScript.
 */
const AltchaConfig = z
  .object({
    enabled: z.boolean().default(false),
    /**
     * Signs and checks the challenges (at least 32 characters). OPTIN_ALTCHA_HMAC_KEY wins over this field,
     * so a deployment can keep the key out of the file. Never logged, never stored in the database.
     */
    hmacKey: z.string().min(32).optional(),
    /** PBKDF2 iterations per attempt: the price of one guess. */
    cost: z.number().int().min(1).max(1_000_000).default(5000),
    /**
     * The browser must find a counter drawn from [min, max]: about max/2 to max attempts, so the work has a
     * floor (no lucky free pass) and a ceiling (a slow phone never waits without end).
     */
    counter: z
      .object({ min: z.number().int().min(0).default(500), max: z.number().int().min(1).default(1000) })
      .prefault({})
      .refine((c) => c.min <= c.max, { message: 'counter.min must not be above counter.max' }),
    /** How long a challenge may be solved and sent: long enough to type an address, short enough to not hoard. */
    challengeTtlSeconds: z.number().int().min(30).max(86_400).default(600),
    /**
     * Challenges one address may fetch per minute: a person needs one per form they fill in; a script that
     * hoards challenges to solve them in bulk gets "too many requests".
     */
    challengesPerIpPerMinute: z.number().int().min(1).max(10_000).default(30),
  })
  .prefault({});
export type AltchaConfig = z.infer<typeof AltchaConfig>;

export const OptinConfig = z.object({
  /** Where subscribers reach the service (https in production): links in mails are built from it. */
  publicUrl: z.url(),
  listen: z.object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
  }),
  /** Addresses of reverse proxies whose X-Forwarded-For is believed; nobody else's is. */
  trustedProxies: z.array(z.string()).default([]),
  database: DatabaseConfig,
  /** PEM file with the service's Ed25519 private key; created on first start when missing. */
  signingKeyFile: z.string().min(1),
  /** Bearer token the desktop presents to read the feed (from OPTIN_FEED_TOKEN in production). */
  feedToken: z.string().min(24),
  smtp: SmtpSettings,
  /** The SMTP password comes from OPTIN_SMTP_PASSWORD, never from the file. */
  mailFrom: z.email(),
  controller: z.object({
    legalName: z.string().min(1),
    postalAddress: z.string().min(1),
    contactEmail: z.email(),
    kvkNumber: z.string().min(1),
  }),
  defaultLanguage: Language.default('nl'),
  forms: z.array(FormConfig).min(1),
  limits: z
    .object({
      mailsPerAddressPerDay: z.number().int().min(1).default(1),
      mailsPerAddressPerMonth: z.number().int().min(1).default(3),
      signupsPerIpPerHour: z.number().int().min(1).default(30),
    })
    .prefault({}),
  altcha: AltchaConfig,
  tokenTtlDays: z.number().int().min(1).max(90).default(30),
  /** Days personal data stays after the desktop has pulled it. */
  retentionDays: z.number().int().min(0).default(30),
});
export type OptinConfig = z.infer<typeof OptinConfig>;
export type OptinConfigInput = z.input<typeof OptinConfig>;
export type Language = z.infer<typeof Language>;

/**
 * The embedded default: enough to start the service on this computer and see it work
 * (`pnpm optin`), with a local SMTP relay on port 2525. A business overrides it with `--config file.json`.
 */
export function defaultConfig(dataDir: string): OptinConfigInput {
  return {
    publicUrl: 'http://127.0.0.1:8080',
    listen: { host: '127.0.0.1', port: 8080 },
    database: { kind: 'sqlite', file: resolve(dataDir, 'optin.sqlite') },
    signingKeyFile: resolve(dataDir, 'optin-signing-key.pem'),
    feedToken: process.env.OPTIN_FEED_TOKEN ?? 'change-me-change-me-change-me-0000',
    smtp: { host: '127.0.0.1', port: 2525, security: 'NONE', connections: 1 },
    mailFrom: 'nieuwsbrief@example.nl',
    controller: {
      legalName: 'Voorbeeld B.V.',
      postalAddress: 'Voorbeeldstraat 1, 1234 AB Utrecht',
      contactEmail: 'info@example.nl',
      kvkNumber: '12345678',
    },
    forms: [
      {
        id: 'newsletter',
        version: '1',
        lists: [{ id: 'news', name: { nl: 'Nieuwsbrief', en: 'Newsletter' } }],
        consentTexts: [
          {
            version: 'v1',
            text: {
              nl: 'Ja, ik wil de nieuwsbrief van Voorbeeld B.V. per e-mail ontvangen. Afmelden kan altijd, met één klik onderaan elke mail.',
              en: 'Yes, I want to receive the Voorbeeld B.V. newsletter by e-mail. I can unsubscribe at any time with one click at the bottom of every mail.',
            },
          },
        ],
      },
    ],
  };
}

/** Reads and validates a JSON config file, with errors a person can act on. */
export function loadConfigFile(path: string): OptinConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError('OPTIN_CONFIG_UNREADABLE', {
      en: `The config file ${path} cannot be read as JSON (${String(error)}). Fix the file or start without --config.`,
      nl: `Het configuratiebestand ${path} is geen leesbare JSON (${String(error)}). Herstel het of start zonder --config.`,
    });
  }
  return parseConfig(raw);
}

export function parseConfig(raw: unknown): OptinConfig {
  const parsed = OptinConfig.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new UserError('OPTIN_CONFIG_INVALID', {
      en: `The opt-in service config is invalid: ${issues}. Correct these fields.`,
      nl: `De configuratie van de opt-in-service klopt niet: ${issues}. Verbeter deze velden.`,
    });
  }
  return parsed.data;
}
