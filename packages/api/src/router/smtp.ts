import { randomUUID } from 'node:crypto';
import { SmtpSecurity, assertSecureSettings } from '@consent-mailer/mailer';
import { UserError } from '@consent-mailer/policy';
import {
  createSmtpProfile,
  deleteSmtpProfile,
  getSenderEntity,
  getSmtpProfile,
  listSmtpProfiles,
  updateSmtpProfile,
  type SmtpProfileRow,
} from '@consent-mailer/store';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { dkimKeyKey, smtpPasswordKey } from '../sending/secret-keys.js';
import { smtpPassword, toSmtpSettings } from '../sending/sending-profile.js';
import { publicProcedure } from '../trpc.js';

const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\r\n]*$/, 'must be one line');

/** Input of `smtp.add`. The password goes to the secret store, never to the database. */
export const SmtpAddInput = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, - and _'),
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
  /** The owner states SPF (and DMARC) are set up for the From domain (rule M7). */
  spfDeclared: z.boolean().default(false),
  dmarcDeclared: z.boolean().default(false),
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
  security: string;
  user: string | null;
  fromName: string | null;
  fromAddress: string;
  replyTo: string | null;
  limits: { perMinute: number | null; perHour: number | null; perDay: number | null };
  connections: number;
  dkim: { domain: string; selector: string } | null;
  spfDeclared: boolean;
  dmarcDeclared: boolean;
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
    return view(row);
  }),
  /** All SMTP profiles (without secrets). */
  list: publicProcedure.query(async ({ ctx }) => (await listSmtpProfiles(ctx.store.db)).map(view)),
  /** "Test connection": connect, TLS, login, quit; a clear message for every kind of failure. */
  test: publicProcedure
    .input(z.object({ profile: z.string().min(1).max(64), password: z.string().min(1).max(1000).optional() }))
    .mutation(async ({ ctx, input }) => {
      const row = await getSmtpProfile(ctx.store.db, input.profile);
      const password = input.password ?? (await smtpPassword(row, ctx.secrets));
      return ctx.sending.testConnection(toSmtpSettings(row), password);
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
