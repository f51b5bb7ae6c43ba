// The SMTP profiles router (one router file per feature): add, update, DKIM, test, authentication, pacing,
// sending history, self-test. Over 400 lines because the feature has that many procedures.
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import {
  DEFAULT_PROVIDER_PACING,
  DEFAULT_WARMUP_SCHEDULE,
  SmtpSecurity,
  assertSecureSettings,
  deliverabilitySelfTest,
  selfCheckDkim,
  validateDkimPrivateKey,
  type DkimKeyInfo,
} from '@consent-mailer/mailer';
import { UserError, type Lang } from '@consent-mailer/policy';
import {
  createSmtpProfile,
  deleteSmtpProfile,
  getSenderEntity,
  getSmtpProfile,
  listDomainPacing,
  listSmtpProfiles,
  updateSmtpProfile,
  setDomainPacing,
  setSendingHistory,
  updateSmtpProfileDkim,
  type SmtpProfileRow,
} from '@consent-mailer/store';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { dkimKeyKey, smtpPasswordKey } from '../sending/secret-keys.js';
import {
  authenticationView,
  cachedProfileAuthentication,
  checkProfileAuthentication,
  sampleMessage,
  sendingLimits,
} from '../sending/deliverability.js';
import {
  senderSettings,
  smtpPassword,
  toSenderIdentity,
  toSmtpSettings,
} from '../sending/sending-profile.js';
import { ConfigName, LangInput, line } from '../input-fields.js';
import { publicProcedure } from '../trpc.js';

/** Input of `smtp.add`. The password goes to the secret store, never to the database. */
export const SmtpAddInput = z.object({
  name: ConfigName,
  senderEntityId: z.string().min(1).max(64).optional(),
  host: line(253),
  port: z.number().int().min(1).max(65535),
  security: SmtpSecurity,
  user: line(320).optional(),
  password: z.string().min(1).max(1000).optional(),
  fromName: line(200).optional(),
  fromAddress: z.email().max(254),
  replyTo: z.email().max(254).optional(),
  perMinute: z.number().int().positive().optional(),
  perHour: z.number().int().positive().optional(),
  perDay: z.number().int().positive().optional(),
  connections: z.number().int().min(1).max(20).default(2),
  dkimDomain: line(253).optional(),
  dkimSelector: line(63).optional(),
  dkimPrivateKey: z.string().min(1).max(20_000).optional(),
  /**
   * The owner states SPF (and DMARC) are set up for the From domain (rule M7). Only a fallback when DNS
   * cannot be read: then labelled "declared, not checked".
   */
  spfDeclared: z.boolean().default(false),
  dmarcDeclared: z.boolean().default(false),
  /** Language of the advice in the answer (key warnings). */
  lang: LangInput.default('en'),
});

/**
 * Input of `smtp.update`: the profile (id or name) and the fields of `smtp.add` to change; null clears an
 * optional one. The name stays (the password is kept under it); a new password replaces the stored one.
 */
export const SmtpUpdateInput = z.object({
  profile: z.string().min(1).max(64),
  senderEntityId: SmtpAddInput.shape.senderEntityId.unwrap().nullable().optional(),
  host: SmtpAddInput.shape.host.optional(),
  port: SmtpAddInput.shape.port.optional(),
  security: SmtpSecurity.optional(),
  user: SmtpAddInput.shape.user.unwrap().nullable().optional(),
  password: SmtpAddInput.shape.password,
  fromName: SmtpAddInput.shape.fromName.unwrap().nullable().optional(),
  fromAddress: SmtpAddInput.shape.fromAddress.optional(),
  replyTo: SmtpAddInput.shape.replyTo.unwrap().nullable().optional(),
  perMinute: SmtpAddInput.shape.perMinute.unwrap().nullable().optional(),
  perHour: SmtpAddInput.shape.perHour.unwrap().nullable().optional(),
  perDay: SmtpAddInput.shape.perDay.unwrap().nullable().optional(),
  connections: z.number().int().min(1).max(20).optional(),
  spfDeclared: z.boolean().optional(),
  dmarcDeclared: z.boolean().optional(),
});

/** What an SMTP profile looks like to clients: never a password. */
export interface SmtpProfileView {
  id: string;
  name: string;
  senderEntityId: string | null;
  host: string;
  port: number;
  security: z.infer<typeof SmtpSecurity>;
  user: string | null;
  fromName: string | null;
  fromAddress: string;
  replyTo: string | null;
  limits: { perMinute: number | null; perHour: number | null; perDay: number | null };
  connections: number;
  dkim: { domain: string; selector: string } | null;
  spfDeclared: boolean;
  dmarcDeclared: boolean;
  /** NEW: the warm-up schedule applies from the first send; ESTABLISHED: it does not. */
  sendingHistory: 'NEW' | 'ESTABLISHED';
}

/** Advice about an entered DKIM key that does not refuse it (an RSA key under 2048 bits). */
export interface KeyWarning {
  code: string;
  text: string;
}

// English where a caller (the CLI without --lang) names none.
const LangOrEnglish = LangInput.default('en');
const ProfileName = z.string().min(1).max(64);

/**
 * Validates a DKIM private key as it is entered; a broken key throws a UserError saying what to paste.
 * Without a key in the input, the one already in the secret store (the CLI's environment variable) is
 * checked when there is one.
 */
async function checkEnteredKey(
  secrets: { get(key: string): Promise<string | undefined> },
  profileName: string,
  privateKey: string | undefined,
): Promise<DkimKeyInfo | undefined> {
  const key = privateKey ?? (await secrets.get(dkimKeyKey(profileName)));
  return key === undefined ? undefined : validateDkimPrivateKey(key);
}

/**
 * What the owner needs after entering a DKIM key: the DNS record to publish for it, and advice such as
 * "use 2048 bits" in their language.
 */
function keyAdvice(
  key: DkimKeyInfo | undefined,
  domain: string | null | undefined,
  selector: string | null | undefined,
  lang: Lang,
) {
  return {
    dkimRecord:
      key && domain && selector
        ? { name: `${selector}._domainkey.${domain}`, type: 'TXT' as const, value: key.dnsRecord }
        : null,
    warnings: (key?.warnings ?? []).map((w): KeyWarning => ({ code: w.code, text: w[lang] })),
  };
}

function view(row: SmtpProfileRow): SmtpProfileView {
  return {
    id: row.id,
    name: row.name,
    senderEntityId: row.sender_entity_id,
    host: row.host,
    port: row.port,
    security: row.security,
    user: row.username,
    fromName: row.from_name,
    fromAddress: row.from_address,
    replyTo: row.reply_to,
    limits: { perMinute: row.max_per_minute, perHour: row.max_per_hour, perDay: row.max_per_day },
    connections: row.connections,
    dkim:
      row.dkim_domain && row.dkim_selector ? { domain: row.dkim_domain, selector: row.dkim_selector } : null,
    spfDeclared: row.spf_declared === 1,
    dmarcDeclared: row.dmarc_declared === 1,
    sendingHistory: row.sending_history,
  };
}

export const smtpRouter = {
  /** Adds an SMTP profile; the password and DKIM key go to the secret store. */
  add: publicProcedure.input(SmtpAddInput).mutation(async ({ ctx, input }) => {
    assertSecureSettings(input);
    if (input.senderEntityId) await getSenderEntity(ctx.store.db, input.senderEntityId);
    if ((input.dkimDomain || input.dkimSelector) && !(input.dkimDomain && input.dkimSelector)) {
      throw new UserError('SMTP_DKIM_INCOMPLETE', {
        en: 'DKIM needs both a domain and a selector (and the private key). Give all three or none.',
        nl: 'DKIM heeft zowel een domein als een selector nodig (en de privésleutel). Geef alle drie of geen.',
      });
    }
    // Refuse a broken key before anything is stored (issue 18: such keys were accepted and mail went out
    // unsigned).
    const key = input.dkimDomain
      ? await checkEnteredKey(ctx.secrets, input.name, input.dkimPrivateKey)
      : input.dkimPrivateKey
        ? validateDkimPrivateKey(input.dkimPrivateKey)
        : undefined;
    const row = await createSmtpProfile(
      ctx.store.db,
      {
        id: randomUUID(),
        name: input.name,
        senderEntityId: input.senderEntityId ?? null,
        host: input.host,
        port: input.port,
        security: input.security,
        username: input.user ?? null,
        secretRef: input.user ? smtpPasswordKey(input.name) : null,
        fromName: input.fromName ?? null,
        fromAddress: input.fromAddress,
        replyTo: input.replyTo ?? null,
        maxPerMinute: input.perMinute ?? null,
        maxPerHour: input.perHour ?? null,
        maxPerDay: input.perDay ?? null,
        connections: input.connections,
        dkimDomain: input.dkimDomain ?? null,
        dkimSelector: input.dkimSelector ?? null,
        spfDeclared: input.spfDeclared,
        dmarcDeclared: input.dmarcDeclared,
      },
      ctx.clock().toISOString(),
    );
    if (input.password) await ctx.secrets.set(smtpPasswordKey(input.name), input.password);
    if (input.dkimPrivateKey) await ctx.secrets.set(dkimKeyKey(input.name), input.dkimPrivateKey);
    return { ...view(row), ...keyAdvice(key, input.dkimDomain, input.dkimSelector, input.lang) };
  }),

  /**
   * Sets, replaces or removes (domain null) a profile's DKIM signing. The key is validated before it is
   * stored; a broken key changes nothing.
   */
  setDkim: publicProcedure
    .input(
      z.object({
        profile: ProfileName,
        dkimDomain: line(253).nullable(),
        dkimSelector: line(63).nullable(),
        dkimPrivateKey: z.string().min(1).max(20_000).optional(),
        lang: LangOrEnglish,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const row = await getSmtpProfile(ctx.store.db, input.profile);
      if ((input.dkimDomain === null) !== (input.dkimSelector === null)) {
        throw new UserError('SMTP_DKIM_INCOMPLETE', {
          en: 'DKIM needs both a domain and a selector (and the private key). Give all three or none.',
          nl: 'DKIM heeft zowel een domein als een selector nodig (en de privésleutel). Geef alle drie of geen.',
        });
      }
      const key =
        input.dkimDomain === null
          ? undefined
          : await checkEnteredKey(ctx.secrets, row.name, input.dkimPrivateKey);
      if (input.dkimDomain !== null && !key) {
        throw new UserError('SMTP_DKIM_KEY_MISSING', {
          en: `Paste the DKIM private key for ${input.dkimDomain} (the whole PEM file, several lines).`,
          nl: `Plak de DKIM-privésleutel voor ${input.dkimDomain} (het hele PEM-bestand, meerdere regels).`,
        });
      }
      if (input.dkimPrivateKey) await ctx.secrets.set(dkimKeyKey(row.name), input.dkimPrivateKey);
      await updateSmtpProfileDkim(
        ctx.store.db,
        row.id,
        { dkimDomain: input.dkimDomain, dkimSelector: input.dkimSelector },
        ctx.clock().toISOString(),
      );
      const updated = await getSmtpProfile(ctx.store.db, row.id);
      return { ...view(updated), ...keyAdvice(key, input.dkimDomain, input.dkimSelector, input.lang) };
    }),
  /** All SMTP profiles (without secrets). */
  list: publicProcedure.query(async ({ ctx }) => (await listSmtpProfiles(ctx.store.db)).map(view)),
  /**
   * "Test connection": connect, TLS, login, quit; a clear message for every kind of failure. With DKIM it
   * also signs one message and verifies it: a key that cannot sign fails the test with what to paste.
   */
  test: publicProcedure
    .input(z.object({ profile: z.string().min(1).max(64), password: z.string().min(1).max(1000).optional() }))
    .mutation(async ({ ctx, input }) => {
      const row = await getSmtpProfile(ctx.store.db, input.profile);
      const password = input.password ?? (await smtpPassword(row, ctx.secrets));
      const settings = await senderSettings(row, ctx.secrets);
      // The key first: it needs no network, and a broken key is the failure issue 18 found hidden.
      let dkim: {
        domain: string;
        selector: string;
        algorithm: string;
        bits: number;
        signedHeaders: string[];
      } | null = null;
      if (settings.dkim) {
        const check = await selfCheckDkim(
          sampleMessage(await senderFor(ctx, row), settings, SELF_TEST_MAILING),
          settings.dkim,
        );
        dkim = { domain: settings.dkim.domainName, selector: settings.dkim.keySelector, ...check };
      }
      const connection = await ctx.sending.testConnection(toSmtpSettings(row), password);
      return { ...connection, dkim };
    }),

  /** The last SPF / DKIM / DMARC check of a profile (no DNS question), or what was declared. */
  authentication: publicProcedure
    .input(z.object({ profile: ProfileName, lang: LangOrEnglish }))
    .query(async ({ ctx, input }) => {
      const row = await getSmtpProfile(ctx.store.db, input.profile);
      const cached = await cachedProfileAuthentication(ctx, row);
      if (cached) return authenticationView(cached, input.lang);
      const settings = await senderSettings(row, ctx.secrets);
      return authenticationView(
        {
          source: 'DECLARED',
          checkedAt: null,
          spfPass: row.spf_declared === 1,
          dkimPass: Boolean(settings.dkim),
          dmarcPresent: row.dmarc_declared === 1,
          aligned: row.spf_declared === 1,
          report: null,
          declared: { spf: row.spf_declared === 1, dmarc: row.dmarc_declared === 1 },
        },
        input.lang,
      );
    }),

  /**
   * Reads SPF (for the SMTP server's addresses), the DKIM key at selector._domainkey and DMARC from DNS
   * now, keeps the result with its time, and returns it with the exact records to publish.
   */
  checkAuthentication: publicProcedure
    .input(z.object({ profile: ProfileName, lang: LangOrEnglish }))
    .mutation(async ({ ctx, input }) => {
      const row = await getSmtpProfile(ctx.store.db, input.profile);
      const settings = await senderSettings(row, ctx.secrets);
      return authenticationView(await checkProfileAuthentication(ctx, row, settings), input.lang);
    }),

  /** Per-recipient-domain pacing: the provider defaults, the profile's overrides and today's warm-up. */
  pacing: publicProcedure.input(z.object({ profile: ProfileName })).query(async ({ ctx, input }) => {
    const row = await getSmtpProfile(ctx.store.db, input.profile);
    const overrides = await listDomainPacing(ctx.store.db, row.id);
    const { warmup } = await sendingLimits(ctx, row);
    return {
      defaults: DEFAULT_PROVIDER_PACING.map((p) => ({
        provider: p.id,
        domains: [...p.domains],
        limits: p.limits,
      })),
      overrides: overrides.map((o) => ({
        domain: o.domain,
        perMinute: o.per_minute,
        perHour: o.per_hour,
        perDay: o.per_day,
      })),
      sendingHistory: row.sending_history,
      warmup,
      warmupSchedule: [...DEFAULT_WARMUP_SCHEDULE],
    };
  }),

  /** Sets (or with no limits removes) the sending limits for one recipient domain of a profile. */
  setPacing: publicProcedure
    .input(
      z.object({
        profile: ProfileName,
        domain: z
          .string()
          .trim()
          .toLowerCase()
          .min(1)
          .max(253)
          .regex(/^[a-z0-9.-]+$/, 'a domain such as gmail.com'),
        perMinute: z.number().int().positive().nullable().optional(),
        perHour: z.number().int().positive().nullable().optional(),
        perDay: z.number().int().positive().nullable().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const row = await getSmtpProfile(ctx.store.db, input.profile);
      await setDomainPacing(
        ctx.store.db,
        {
          smtpProfileId: row.id,
          domain: input.domain,
          perMinute: input.perMinute ?? null,
          perHour: input.perHour ?? null,
          perDay: input.perDay ?? null,
        },
        ctx.clock().toISOString(),
      );
      return {
        domain: input.domain,
        perMinute: input.perMinute ?? null,
        perHour: input.perHour ?? null,
        perDay: input.perDay ?? null,
      };
    }),

  /** Says whether the sending domain/IP is NEW (warm-up applies) or ESTABLISHED. */
  setSendingHistory: publicProcedure
    .input(z.object({ profile: ProfileName, history: z.enum(['NEW', 'ESTABLISHED']) }))
    .mutation(async ({ ctx, input }) => {
      const row = await getSmtpProfile(ctx.store.db, input.profile);
      await setSendingHistory(ctx.store.db, row.id, input.history, ctx.clock().toISOString());
      return view(await getSmtpProfile(ctx.store.db, row.id));
    }),

  /**
   * The deliverability self-test: a sample message signed exactly as a send would sign it, shown raw,
   * and the authentication results a receiving server would give it (mailauth, with SPF evaluated for
   * the SMTP server's address and the DKIM key and DMARC read from DNS).
   */
  selfTest: publicProcedure
    .input(z.object({ profile: ProfileName, to: z.email().max(254).optional() }))
    .mutation(async ({ ctx, input }) => {
      const row = await getSmtpProfile(ctx.store.db, input.profile);
      const settings = await senderSettings(row, ctx.secrets);
      const sample = sampleMessage(
        await senderFor(ctx, row),
        settings,
        SELF_TEST_MAILING,
        input.to ?? settings.fromAddress,
      );
      const ip = await serverAddress(row.host, ctx.sending.resolver);
      return deliverabilitySelfTest(sample, settings.dkim, {
        ip,
        helo: row.host,
        sender: settings.fromAddress,
        resolver: ctx.sending.resolver,
      });
    }),
  /** Changes a profile's server, login, addresses or limits; `password` replaces the stored password. */
  update: publicProcedure.input(SmtpUpdateInput).mutation(async ({ ctx, input }) => {
    const current = await getSmtpProfile(ctx.store.db, input.profile);
    assertSecureSettings({ host: input.host ?? current.host, security: input.security ?? current.security });
    if (input.senderEntityId) await getSenderEntity(ctx.store.db, input.senderEntityId);
    const user = input.user === undefined ? current.username : input.user;
    const row = await updateSmtpProfile(
      ctx.store.db,
      current.id,
      {
        ...(input.senderEntityId === undefined ? {} : { senderEntityId: input.senderEntityId }),
        ...(input.host === undefined ? {} : { host: input.host }),
        ...(input.port === undefined ? {} : { port: input.port }),
        ...(input.security === undefined ? {} : { security: input.security }),
        ...(input.user === undefined ? {} : { username: input.user }),
        secretRef: user ? smtpPasswordKey(current.name) : null,
        ...(input.fromName === undefined ? {} : { fromName: input.fromName }),
        ...(input.fromAddress === undefined ? {} : { fromAddress: input.fromAddress }),
        ...(input.replyTo === undefined ? {} : { replyTo: input.replyTo }),
        ...(input.perMinute === undefined ? {} : { maxPerMinute: input.perMinute }),
        ...(input.perHour === undefined ? {} : { maxPerHour: input.perHour }),
        ...(input.perDay === undefined ? {} : { maxPerDay: input.perDay }),
        ...(input.connections === undefined ? {} : { connections: input.connections }),
        ...(input.spfDeclared === undefined ? {} : { spfDeclared: input.spfDeclared }),
        ...(input.dmarcDeclared === undefined ? {} : { dmarcDeclared: input.dmarcDeclared }),
      },
      ctx.clock().toISOString(),
    );
    if (input.password) await ctx.secrets.set(smtpPasswordKey(current.name), input.password);
    else if (!user) await ctx.secrets.delete(smtpPasswordKey(current.name));
    return view(row);
  }),
  /** Deletes a profile no mailing uses, with its password and DKIM key. */
  delete: publicProcedure
    .input(z.object({ profile: z.string().min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      const current = await getSmtpProfile(ctx.store.db, input.profile);
      await deleteSmtpProfile(ctx.store.db, current.id, ctx.clock().toISOString());
      await ctx.secrets.delete(smtpPasswordKey(current.name));
      await ctx.secrets.delete(dkimKeyKey(current.name));
      return { deleted: current.name };
    }),
} satisfies TRPCRouterRecord;

const SELF_TEST_MAILING = {
  subject: 'Consent Mailer deliverability test',
  html: '<p>This message tests SPF, DKIM and DMARC for your SMTP profile. / Dit bericht test SPF, DKIM en DMARC voor je SMTP-profiel.</p>',
  lang: 'nl' as const,
  content: 'MARKETING' as const,
};

/** The profile's sender entity for a sample footer; a neutral one when the profile has none. */
async function senderFor(ctx: { store: { db: Parameters<typeof getSenderEntity>[0] } }, row: SmtpProfileRow) {
  if (row.sender_entity_id)
    return toSenderIdentity(await getSenderEntity(ctx.store.db, row.sender_entity_id));
  return {
    legalName: row.from_name ?? row.from_address,
    postalAddress: '-',
    contactEmail: row.from_address,
    kvkNumber: '-',
  };
}

/** The first address of the SMTP host (itself when it is an address), as the receiver would see it. */
async function serverAddress(
  host: string,
  resolver: ((name: string, type: string) => Promise<string[][] | string[]>) | undefined,
): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return bare;
  const lookup = resolver ?? (() => Promise.resolve([] as string[]));
  for (const type of ['A', 'AAAA']) {
    try {
      const found = (await lookup(bare, type)).find((a): a is string => typeof a === 'string');
      if (found) return found;
    } catch {
      // Try the next type; without any address the receiver's SPF check below says "none".
    }
  }
  throw new UserError('SMTP_HOST_NOT_FOUND', {
    en: `The address of ${host} could not be found in DNS. Check the SMTP host name.`,
    nl: `Het adres van ${host} is niet te vinden in de DNS. Controleer de SMTP-hostnaam.`,
  });
}
