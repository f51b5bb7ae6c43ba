import { randomUUID } from 'node:crypto';
import {
  assertImapSecurity,
  runIntake,
  testImapConnection,
  type IntakeRunResult,
} from '@consent-mailer/intake';
import { UserError } from '@consent-mailer/policy';
import {
  contactEmails,
  countIntakeMessages,
  createIntakeMailbox,
  getIntakeCheckpoint,
  getIntakeMailbox,
  listIntakeMailboxes,
  listIntakeMessages,
  listSenderAlerts,
  reviewIntakeMessage,
  setIntakeMailboxRun,
  type IntakeMailboxRow,
  type IntakeMessageRow,
  type SenderAlertRow,
} from '@consent-mailer/store';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { imapPasswordKey } from '../sending/secret-keys.js';
import { ConfigName, line } from '../input-fields.js';
import { publicProcedure } from '../trpc.js';

const ImapSecurity = z.enum(['TLS', 'STARTTLS', 'NONE']);

/** Input of `intake.add`. The password goes to the secret store, never to the database. */
export const IntakeAddInput = z.object({
  name: ConfigName,
  host: line(253),
  port: z.number().int().min(1).max(65535).default(993),
  security: ImapSecurity.default('TLS'),
  user: line(320),
  password: z.string().min(1).max(1000),
  folder: line(200).default('INBOX'),
  processedFolder: line(200).default('Processed'),
  unrecognisedFolder: line(200).default('Unrecognised'),
  pollSeconds: z.number().int().min(10).max(86_400).default(300),
  /** Skip the connection test (the server is not reachable right now). */
  skipTest: z.boolean().default(false),
});

/** A mailbox as clients see it: never a password. */
export interface IntakeMailboxView {
  id: string;
  name: string;
  host: string;
  port: number;
  security: string;
  user: string;
  folder: string;
  processedFolder: string;
  unrecognisedFolder: string;
  pollSeconds: number;
  lastRunAt: string | null;
  lastError: string | null;
}

function view(row: IntakeMailboxRow): IntakeMailboxView {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    security: row.security,
    user: row.username,
    folder: row.folder,
    processedFolder: row.processed_folder,
    unrecognisedFolder: row.unrecognised_folder,
    pollSeconds: row.poll_seconds,
    lastRunAt: row.last_run_at,
    lastError: row.last_error,
  };
}

/** One message the intake read, for the owner's view (no addresses: hashes and the contact id). */
export interface IntakeMessageView {
  id: number;
  kind: IntakeMessageRow['kind'];
  attribution: IntakeMessageRow['attribution'];
  mailingId: string | null;
  contactId: number | null;
  addressHash: string | null;
  outcome: unknown;
  needsReview: boolean;
  reviewedAt: string | null;
  receivedAt: string | null;
  processedAt: string;
  folder: string | null;
}

function messageView(row: IntakeMessageRow): IntakeMessageView {
  return {
    id: row.id,
    kind: row.kind,
    attribution: row.attribution,
    mailingId: row.mailing_id,
    contactId: row.contact_id,
    addressHash: row.address_hash,
    outcome: JSON.parse(row.outcome) as unknown,
    needsReview: row.needs_review === 1,
    reviewedAt: row.reviewed_at,
    receivedAt: row.received_at,
    processedAt: row.processed_at,
    folder: row.moved_at ? row.move_to : null,
  };
}

function alertView(row: SenderAlertRow) {
  return {
    id: row.id,
    mailingId: row.mailing_id,
    source: row.source,
    category: row.category,
    status: row.status,
    diagnostic: row.diagnostic,
    recipientDomain: row.recipient_domain,
    receivedAt: row.received_at,
  };
}

async function password(ctx: ApiContext, row: IntakeMailboxRow): Promise<string> {
  const value = await ctx.secrets.get(row.secret_ref);
  if (!value) {
    const suffix = row.name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
    throw new UserError('INTAKE_PASSWORD_MISSING', {
      en: `No password is available for mailbox "${row.name}". In the app, enter it again; on the command line, set CONSENT_MAILER_SECRET_IMAP_${suffix}.`,
      nl: `Er is geen wachtwoord beschikbaar voor mailbox "${row.name}". Voer het in de app opnieuw in; zet op de opdrachtregel CONSENT_MAILER_SECRET_IMAP_${suffix}.`,
    });
  }
  return value;
}

/**
 * Reads one mailbox or all of them once (what the app's schedule and `intake run` call).
 *
 * @example
 * const results = await runIntakeFor(ctx, 'info');
 */
export async function runIntakeFor(
  ctx: ApiContext,
  mailbox?: string,
  signal?: AbortSignal,
): Promise<IntakeRunResult[]> {
  const rows = mailbox
    ? [await getIntakeMailbox(ctx.store.db, mailbox)]
    : await listIntakeMailboxes(ctx.store.db);
  const results: IntakeRunResult[] = [];
  for (const row of rows) {
    if (signal?.aborted) break;
    // The run's end (and its error) goes on the mailbox, so the app's settings show when it last read.
    try {
      results.push(
        await runIntake({
          db: ctx.store.db,
          mailbox: row,
          connection: {
            host: row.host,
            port: row.port,
            security: row.security,
            username: row.username,
            password: await password(ctx, row),
          },
          clock: ctx.clock,
          ...(signal ? { signal } : {}),
        }),
      );
      await setIntakeMailboxRun(ctx.store.db, row.id, { at: ctx.clock().toISOString(), error: null });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      await setIntakeMailboxRun(ctx.store.db, row.id, {
        at: ctx.clock().toISOString(),
        error: text.slice(0, 500),
      });
      throw error;
    }
  }
  return results;
}

export const intakeRouter = {
  /** Sets up a mailbox to read (after a connection test); the password goes to the secret store. */
  add: publicProcedure.input(IntakeAddInput).mutation(async ({ ctx, input }) => {
    const connection = {
      host: input.host,
      port: input.port,
      security: input.security,
      username: input.user,
      password: input.password,
    };
    assertImapSecurity(connection);
    if (!input.skipTest) await testImapConnection(connection, input.folder);
    const row = await createIntakeMailbox(
      ctx.store.db,
      {
        id: randomUUID(),
        name: input.name,
        host: input.host,
        port: input.port,
        security: input.security,
        username: input.user,
        secretRef: imapPasswordKey(input.name),
        folder: input.folder,
        processedFolder: input.processedFolder,
        unrecognisedFolder: input.unrecognisedFolder,
        pollSeconds: input.pollSeconds,
      },
      ctx.clock().toISOString(),
    );
    await ctx.secrets.set(imapPasswordKey(input.name), input.password);
    return view(row);
  }),
  /** Every mailbox (without secrets). */
  list: publicProcedure.query(async ({ ctx }) => (await listIntakeMailboxes(ctx.store.db)).map(view)),
  /** "Test connection": log in, open the folder, log out; a clear message for each kind of failure. */
  test: publicProcedure
    .input(z.object({ mailbox: z.string().min(1).max(64), password: z.string().min(1).max(1000).optional() }))
    .mutation(async ({ ctx, input }) => {
      const row = await getIntakeMailbox(ctx.store.db, input.mailbox);
      return testImapConnection(
        {
          host: row.host,
          port: row.port,
          security: row.security,
          username: row.username,
          password: input.password ?? (await password(ctx, row)),
        },
        row.folder,
      );
    }),
  /** Reads one mailbox (or all) now. */
  run: publicProcedure
    .input(z.object({ mailbox: z.string().min(1).max(64).optional() }).default({}))
    .mutation(async ({ ctx, input }) => runIntakeFor(ctx, input.mailbox)),
  /** Per mailbox: last run, error, checkpoint; and what arrived, by kind; alerts and replies to review. */
  status: publicProcedure.query(async ({ ctx }) => {
    const db = ctx.store.db;
    const mailboxes = await Promise.all(
      (await listIntakeMailboxes(db)).map(async (row) => ({
        ...view(row),
        checkpoint: (await getIntakeCheckpoint(db, row.id, row.folder)) ?? null,
      })),
    );
    return {
      mailboxes,
      counts: await countIntakeMessages(db),
      awaitingReview: (await listIntakeMessages(db, { needsReview: true })).length,
      alerts: (await listSenderAlerts(db, { limit: 1000 })).length,
    };
  }),
  /** What arrived: per mailing, per contact, or the replies awaiting the owner's decision. */
  arrivals: publicProcedure
    .input(
      z
        .object({
          mailingId: z.string().min(1).max(64).optional(),
          contactId: z.number().int().positive().optional(),
          needsReview: z.boolean().optional(),
          limit: z.number().int().min(1).max(1000).default(200),
        })
        .default({ limit: 200 }),
    )
    .query(async ({ ctx, input }) => {
      const rows = await listIntakeMessages(ctx.store.db, input);
      // The owner's own contacts by address, so the per-contact counts and the replies to review say who
      // (the message rows themselves keep only the hash and the contact id).
      const contactIds = [
        ...new Set(rows.flatMap((row) => (row.contact_id === null ? [] : [row.contact_id]))),
      ];
      const contacts = await contactEmails(ctx.store.db, contactIds);
      return {
        counts: await countIntakeMessages(
          ctx.store.db,
          input.mailingId ? { mailingId: input.mailingId } : {},
        ),
        messages: rows.map(messageView),
        contacts: contacts.map((contact) => ({ id: contact.id, email: contact.email })),
      };
    }),
  /** Receiving servers that refused the sender (SPF/DKIM/DMARC, blocklists): newest first. */
  alerts: publicProcedure
    .input(z.object({ mailingId: z.string().min(1).max(64).optional() }).default({}))
    .query(async ({ ctx, input }) =>
      (await listSenderAlerts(ctx.store.db, input.mailingId ? { mailingId: input.mailingId } : {})).map(
        alertView,
      ),
    ),
  /** The owner's decision on a reply the intake was unsure about: confirm the objection or dismiss. */
  review: publicProcedure
    .input(z.object({ id: z.number().int().positive(), decision: z.enum(['confirm', 'dismiss']) }))
    .mutation(async ({ ctx, input }) =>
      messageView(await reviewIntakeMessage(ctx.store.db, { ...input, at: ctx.clock().toISOString() })),
    ),
} satisfies TRPCRouterRecord;
