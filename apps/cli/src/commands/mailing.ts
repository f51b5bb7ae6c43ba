import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ApiContext, RouterOutputs } from '@consent-mailer/api';
import { UserError } from '@consent-mailer/policy';
import { Option, type Command } from 'commander';
import {
  CliUsageError,
  output,
  withCaller,
  type Caller,
  type CliIo,
  type GlobalOptions,
} from '../runtime.js';
import { COMPLAINT_SOURCE_HELP, parseComplaintSource } from '../complaint-source.js';
import { listIdFrom, senderEntityOrOnly, smtpProfileOrOnly } from '../defaults.js';
import { secretVariableName } from '../secrets.js';

type SendResult = {
  stoppedBecause: string;
  sent: number;
  deferred: number;
  bounced: number;
  failed: number;
  suppressed: number;
  done: number;
  total: number;
  error?: { code: string; message: string };
  nextAttemptAt?: string;
};
type MailingStatus = RouterOutputs['mailings']['status'];

const int =
  (name: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new CliUsageError(`${name} must be a whole number, got "${value}"`);
    return n;
  };

function readText(path: string, what: string): string {
  try {
    return readFileSync(resolve(path), 'utf8');
  } catch (cause) {
    throw new UserError(
      'CLI_FILE_UNREADABLE',
      {
        en: `Cannot read the ${what} file ${path}. Check the path.`,
        nl: `Kan het ${what}-bestand ${path} niet lezen. Controleer het pad.`,
      },
      { cause },
    );
  }
}

/**
 * Reads a secret without echoing it, only when a person is at a terminal: the CLI's other source of
 * secrets is the CONSENT_MAILER_SECRET_<KEY> environment variable.
 */
async function promptHidden(io: CliIo, question: string): Promise<string | undefined> {
  const input = (io.stdin ?? process.stdin) as NodeJS.ReadStream;
  if (!input.isTTY || typeof input.setRawMode !== 'function') return undefined;
  io.stderr.write(question);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((done) => {
    let value = '';
    const finish = (result: string | undefined) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      io.stderr.write('\n');
      done(result);
    };
    function onData(chunk: string) {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(value);
        if (char === '\u0003') return finish(undefined);
        value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
      }
    }
    input.on('data', onData);
  });
}

/** Makes sure the SMTP password of a profile is available for this run: env var, else a hidden prompt. */
async function ensurePassword(
  io: CliIo,
  context: ApiContext,
  caller: Caller,
  profileIdOrName: string,
): Promise<void> {
  const profile = (await caller.smtp.list()).find(
    (p) => p.id === profileIdOrName || p.name === profileIdOrName,
  );
  if (!profile?.user) return;
  const key = `smtp:${profile.name}`;
  if (await context.secrets.get(key)) return;
  const typed = await promptHidden(io, `Password for ${profile.user} on ${profile.host}: `);
  if (typed) await context.secrets.set(key, typed);
  else {
    throw new UserError('SMTP_PASSWORD_MISSING', {
      en: `No password for SMTP profile "${profile.name}". Set ${secretVariableName(key)} or run this in a terminal to be asked.`,
      nl: `Geen wachtwoord voor SMTP-profiel "${profile.name}". Zet ${secretVariableName(key)} of voer dit uit in een terminal om het te laten vragen.`,
    });
  }
}

async function waitForSend(caller: Caller, io: CliIo, jobId: string): Promise<SendResult> {
  let last = '';
  for (;;) {
    const job = await caller.mailings.job({ jobId });
    const line = `sending: ${job.progress.done}/${job.progress.total ?? '?'}`;
    if (io.stderr.isTTY && line !== last) {
      io.stderr.write(`\r${line}   `);
      last = line;
    }
    if (job.state !== 'running') {
      if (last) io.stderr.write('\n');
      if (job.state === 'failed' || !job.result) {
        const text = job.error?.text ?? {
          en: job.error?.message ?? 'The send failed.',
          nl: job.error?.message ?? 'Het versturen is mislukt.',
        };
        throw new UserError(job.error?.code ?? 'SEND_FAILED', text);
      }
      return job.result as SendResult;
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}

async function runSend(io: CliIo, opts: GlobalOptions, id: string, mode: 'send' | 'resume'): Promise<void> {
  await withCaller(opts, io, async (caller, context) => {
    const before = await caller.mailings.status({ id });
    if (before.mailing.smtpProfileId) await ensurePassword(io, context, caller, before.mailing.smtpProfileId);
    const start = await caller.mailings[mode]({ id });
    const result = await waitForSend(caller, io, start.jobId);
    const after = await caller.mailings.status({ id });
    if (result.stoppedBecause === 'AUTH_FAILED') {
      throw new UserError('SMTP_AUTH_FAILED', {
        en: `The SMTP server refused the login; the mailing is paused and nothing more was sent. ${result.error?.message ?? ''} Fix the password, then run "mailing resume ${id}".`,
        nl: `De SMTP-server weigerde de login; de mailing is gepauzeerd en er is niets meer verstuurd. ${result.error?.message ?? ''} Herstel het wachtwoord en gebruik dan "mailing resume ${id}".`,
      });
    }
    if (result.stoppedBecause === 'GATE_REFUSED') {
      throw new UserError(result.error?.code ?? 'SEND_REFUSED', {
        en: `${result.error?.message ?? 'A check before the next batch refused to go on.'} The mailing is paused; what went out before stays sent.`,
        nl: `Versturen gestopt, de mailing is gepauzeerd: de afmeldingen van de opt-in-service zijn al meer dan 24 uur niet opgehaald (${result.error?.code ?? ''}). Maak de service bereikbaar, gebruik "optin pull" en daarna "mailing resume ${id}". Wat al verstuurd was, blijft verstuurd.`,
      });
    }
    if (result.stoppedBecause === 'DKIM_FAILED') {
      throw new UserError(result.error?.code ?? 'MAIL_DKIM_SIGN_FAILED', {
        en: `A message could not be signed with the DKIM key; the mailing is paused and nothing more was sent (never unsigned). ${result.error?.message ?? ''} Fix the key (smtp test ${before.mailing.smtpProfileId ?? ''}), then run "mailing resume ${id}".`,
        nl: `Een bericht kon niet worden ondertekend met de DKIM-sleutel; de mailing is gepauzeerd en er is niets meer verstuurd (nooit onondertekend). ${result.error?.message ?? ''} Herstel de sleutel (smtp test ${before.mailing.smtpProfileId ?? ''}) en gebruik dan "mailing resume ${id}".`,
      });
    }
    output(
      io,
      opts,
      {
        mailingId: id,
        queued: start.queued,
        recovered: start.recovered,
        result,
        status: after.mailing.status,
        uncertain: after.uncertain,
      },
      () => {
        const lines = [
          `Mailing ${id}: ${after.mailing.status}`,
          `  sent ${result.sent}, hard bounces ${result.bounced}, failed ${result.failed}, suppressed (skipped) ${result.suppressed}, retry later ${result.deferred}`,
          `  ${result.done} of ${result.total} deliveries done`,
        ];
        if (start.recovered.requeued + start.recovered.uncertain > 0) {
          lines.push(
            `  after an interruption: ${start.recovered.requeued} put back in the queue, ${start.recovered.uncertain} uncertain`,
          );
        }
        if (result.stoppedBecause === 'PAUSED')
          lines.push(`  paused: run "consent-mailer mailing resume ${id}" to go on`);
        if (result.stoppedBecause === 'CANCELLED')
          lines.push('  cancelled: what had not gone out will not be sent');
        if (result.stoppedBecause === 'WAITING')
          lines.push(
            `  some messages wait for a retry at ${result.nextAttemptAt ?? '?'}: run "mailing resume ${id}" then`,
          );
        lines.push(...uncertainLines(id, after.uncertain));
        return lines.join('\n');
      },
    );
  });
}

function uncertainLines(id: string, uncertain: MailingStatus['uncertain']): string[] {
  if (uncertain.length === 0) return [];
  return [
    `  ${uncertain.length} message(s) were being handed to the server when the program stopped; the server may or may not have accepted them:`,
    ...uncertain.map((u) => `    #${u.id} ${u.email ?? '(erased)'} ${u.messageId ?? ''}`),
    `  decide: "consent-mailer mailing resolve ${id} --skip" (never send them) or "--resend" (they may get it twice)`,
  ];
}

/** Registers `entity`, `smtp`, `mailing`, `unsubscribe`, `complaint` and `bounce`. */
export function registerMailingCommands(program: Command, io: CliIo): void {
  const entity = program
    .command('entity')
    .description('sender entities: the legal identity in every message');
  entity
    .command('add')
    .description('add a sender entity')
    .requiredOption('--legal-name <name>', 'registered legal name, e.g. "Bakkerij de Vries B.V."')
    .option('--trade-name <name>', 'trade name shown in From')
    .requiredOption('--address <postal address>', 'postal address for the footer')
    .requiredOption('--email <address>', 'contact e-mail (also the mailto unsubscribe address)')
    .requiredOption('--kvk <number>', 'KvK (Chamber of Commerce) number, 8 digits')
    .option('--vat <number>', 'VAT number, e.g. NL001234567B01')
    .option('--website <url>', 'website')
    .option(
      '--unsubscribe-url <https url>',
      'your own unsubscribe page: enables one-click unsubscribe (RFC 8058)',
    )
    .option('--id <id>', 'id to refer to it (default: from the name)')
    .action(
      async (
        cmdOpts: {
          legalName: string;
          tradeName?: string;
          address: string;
          email: string;
          kvk: string;
          vat?: string;
          website?: string;
          unsubscribeUrl?: string;
          id?: string;
        },
        cmd: Command,
      ) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        await withCaller(opts, io, async (caller) => {
          const row = await caller.entities.add({
            legalName: cmdOpts.legalName,
            postalAddress: cmdOpts.address,
            contactEmail: cmdOpts.email,
            kvkNumber: cmdOpts.kvk,
            ...(cmdOpts.tradeName ? { tradeName: cmdOpts.tradeName } : {}),
            ...(cmdOpts.vat ? { vatNumber: cmdOpts.vat } : {}),
            ...(cmdOpts.website ? { website: cmdOpts.website } : {}),
            ...(cmdOpts.unsubscribeUrl ? { unsubscribeUrl: cmdOpts.unsubscribeUrl } : {}),
            ...(cmdOpts.id ? { id: cmdOpts.id } : {}),
          });
          output(io, opts, row, () => `Added sender entity ${row.id}: ${row.legalName}`);
        });
      },
    );
  entity
    .command('list')
    .description('list sender entities')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const rows = await caller.entities.list();
        output(io, opts, rows, () =>
          rows.length === 0
            ? 'No sender entities yet: add one with "entity add".'
            : rows
                .map((r) => `${r.id}\t${r.legalName}\tKvK ${r.kvkNumber ?? '-'}\t${r.contactEmail ?? '-'}`)
                .join('\n'),
        );
      });
    });

  const smtp = program.command('smtp').description('SMTP profiles: your own mail server and its limits');
  smtp
    .command('add')
    .description(
      'add an SMTP profile (the password comes from CONSENT_MAILER_SECRET_SMTP_<NAME> or a prompt, never the database)',
    )
    .argument('<name>', 'profile name, e.g. main')
    .requiredOption('--host <host>', 'SMTP server host')
    .requiredOption('--port <port>', 'port (465 for TLS, 587 for STARTTLS)', int('--port'))
    .addOption(
      new Option('--security <mode>', 'TLS (implicit), STARTTLS, or NONE (only to this computer)')
        .choices(['TLS', 'STARTTLS', 'NONE', 'tls', 'starttls', 'none'])
        .makeOptionMandatory(),
    )
    .option('--user <user>', 'login name')
    .requiredOption('--from <address>', 'From address')
    .option('--from-name <name>', 'From name (default: trade or legal name)')
    .option('--reply-to <address>', 'Reply-To address')
    .option('--entity <id>', 'the sender entity this profile sends for')
    .option('--per-minute <n>', 'messages per minute the provider allows', int('--per-minute'))
    .option('--per-hour <n>', 'messages per hour', int('--per-hour'))
    .option('--per-day <n>', 'messages per day', int('--per-day'))
    .option('--connections <n>', 'parallel connections (default 2)', int('--connections'))
    .option(
      '--dkim-domain <domain>',
      'sign with DKIM for this domain (key from CONSENT_MAILER_SECRET_DKIM_<NAME>)',
    )
    .option('--dkim-selector <selector>', 'DKIM selector')
    .option('--spf', 'SPF is set up for the From domain')
    .option('--dmarc', 'a DMARC record exists for the From domain')
    .action(
      async (
        name: string,
        o: {
          host: string;
          port: number;
          security: string;
          user?: string;
          from: string;
          fromName?: string;
          replyTo?: string;
          entity?: string;
          perMinute?: number;
          perHour?: number;
          perDay?: number;
          connections?: number;
          dkimDomain?: string;
          dkimSelector?: string;
          spf?: boolean;
          dmarc?: boolean;
        },
        cmd: Command,
      ) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        await withCaller(opts, io, async (caller) => {
          const row = await caller.smtp.add({
            name,
            host: o.host,
            port: o.port,
            security: o.security.toUpperCase() as 'TLS' | 'STARTTLS' | 'NONE',
            fromAddress: o.from,
            spfDeclared: o.spf === true,
            dmarcDeclared: o.dmarc === true,
            ...(o.user ? { user: o.user } : {}),
            ...(o.fromName ? { fromName: o.fromName } : {}),
            ...(o.replyTo ? { replyTo: o.replyTo } : {}),
            ...(o.entity ? { senderEntityId: o.entity } : {}),
            ...(o.perMinute ? { perMinute: o.perMinute } : {}),
            ...(o.perHour ? { perHour: o.perHour } : {}),
            ...(o.perDay ? { perDay: o.perDay } : {}),
            ...(o.connections ? { connections: o.connections } : {}),
            ...(o.dkimDomain ? { dkimDomain: o.dkimDomain } : {}),
            ...(o.dkimSelector ? { dkimSelector: o.dkimSelector } : {}),
          });
          output(io, opts, row, () =>
            [
              `Added SMTP profile ${row.name} (${row.host}:${row.port}, ${row.security})`,
              ...(row.user
                ? [
                    `  the password is read from ${secretVariableName(`smtp:${row.name}`)} (or asked for in a terminal)`,
                  ]
                : []),
              ...(row.dkim
                ? [`  the DKIM key (PEM) is read from ${secretVariableName(`dkim:${row.name}`)}`]
                : []),
            ].join('\n'),
          );
        });
      },
    );
  smtp
    .command('list')
    .description('list SMTP profiles')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const rows = await caller.smtp.list();
        output(io, opts, rows, () =>
          rows.length === 0
            ? 'No SMTP profiles yet: add one with "smtp add".'
            : rows
                .map(
                  (r) =>
                    `${r.name}\t${r.host}:${r.port}\t${r.security}\t${r.fromAddress}\t${r.connections} conn.`,
                )
                .join('\n'),
        );
      });
    });
  smtp
    .command('test')
    .description('test the connection: TLS, login, quit')
    .argument('<name>', 'profile name')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller, context) => {
        await ensurePassword(io, context, caller, name);
        const result = await caller.smtp.test({ profile: name });
        output(
          io,
          opts,
          result,
          () =>
            `Connection to ${result.host}:${result.port} (${result.security}) works${result.authenticated ? '; login accepted' : ''}.` +
            (result.dkim
              ? `\nDKIM: a test message signed for ${result.dkim.domain} (selector ${result.dkim.selector}, ${result.dkim.algorithm}, ${result.dkim.bits} bits) verifies.`
              : '\nDKIM: not set up; messages go out unsigned.'),
        );
      });
    });

  smtp
    .command('auth')
    .description(
      'read SPF, DKIM and DMARC for the From domain and SMTP server from DNS, with the records to publish',
    )
    .argument('<name>', 'profile name')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const result = await caller.smtp.checkAuthentication({ profile: name, lang: opts.lang ?? 'en' });
        output(io, opts, result, () =>
          [
            `Authentication of ${name}: ${result.label}${result.checkedAt ? ` (${result.checkedAt})` : ''}`,
            ...result.checks.flatMap((c) => [
              `  ${c.check}: ${c.ok ? 'ok' : c.result} - ${c.text}`,
              ...(c.publish ? [`    publish: ${c.publish.name} ${c.publish.type} "${c.publish.value}"`] : []),
            ]),
          ].join('\n'),
        );
      });
    });

  const mailing = program.command('mailing').description('write, assess and send mailings');
  mailing
    .command('create')
    .description(
      'write a mailing (merge fields: {{firstName|fallback}}, {{lastName}}, {{fullName}}, {{email}}, {{organisation}})',
    )
    .requiredOption('--name <name>', 'a name for yourself')
    .option('--entity <id>', 'sender entity (default: the only one)')
    .option('--list <name or id>', 'the list to send to (default: the only one)')
    .option('--smtp <profile>', 'SMTP profile (default: the only one)')
    .requiredOption('--subject <subject>', 'subject (merge fields allowed)')
    .option('--html <html>', 'the HTML body')
    .option('--html-file <file>', 'read the HTML body from a file')
    .option('--text-file <file>', 'plain-text body (default: derived from the HTML)')
    .addOption(
      new Option('--content <kind>', 'MARKETING, TRANSACTIONAL or MIXED')
        .choices(['MARKETING', 'TRANSACTIONAL', 'MIXED'])
        .default('MARKETING'),
    )
    .option('--categories <list>', 'product categories, comma-separated (soft opt-in similarity)')
    .option('--third-party', "promotes another company's products")
    .addOption(
      new Option('--message-lang <lang>', 'language of the footer').choices(['nl', 'en']).default('nl'),
    )
    .action(
      async (
        o: {
          name: string;
          entity?: string;
          list?: string;
          smtp?: string;
          subject: string;
          html?: string;
          htmlFile?: string;
          textFile?: string;
          content: 'MARKETING' | 'TRANSACTIONAL' | 'MIXED';
          categories?: string;
          thirdParty?: boolean;
          messageLang: 'nl' | 'en';
        },
        cmd: Command,
      ) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        const html = o.htmlFile ? readText(o.htmlFile, 'HTML') : o.html;
        if (!html) throw new CliUsageError('give the body with --html or --html-file');
        await withCaller(opts, io, async (caller) => {
          const row = await caller.mailings.create({
            name: o.name,
            senderEntityId: await senderEntityOrOnly(caller, o.entity),
            listId: (await listIdFrom(caller, o.list, { orOnly: true })) ?? '',
            smtpProfile: await smtpProfileOrOnly(caller, o.smtp),
            subject: o.subject,
            html,
            content: o.content,
            lang: o.messageLang,
            promotesThirdParty: o.thirdParty === true,
            ...(o.textFile ? { text: readText(o.textFile, 'text') } : {}),
            ...(o.categories
              ? {
                  productCategories: o.categories
                    .split(',')
                    .map((c) => c.trim())
                    .filter(Boolean),
                }
              : {}),
          });
          output(
            io,
            opts,
            row,
            () => `Created mailing ${row.id} (${row.name}). Next: "consent-mailer mailing assess ${row.id}".`,
          );
        });
      },
    );
  mailing
    .command('assess')
    .description('who will and will not get it, and why (sends nothing)')
    .argument('<id>', 'mailing id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const a = await caller.mailings.assess({ id, lang: opts.lang ?? 'en' });
        output(io, opts, a, () =>
          [
            `Mailing ${id}: ${a.classification}`,
            `  ${a.counts.included} will receive it, ${a.counts.excluded} excluded, ${a.counts.needsAcknowledgement} need a signed acknowledgement (of ${a.counts.total})`,
            ...a.reasons.map((r) => `  [${r.code}] ${r.classification}: ${r.text}`),
            `  SPF/DKIM/DMARC: ${a.authentication.label}; ${a.sendEstimate.text}`,
            ...(a.excluded.length
              ? [
                  '  excluded:',
                  ...a.excluded.map(
                    (r) => `    ${r.email}: ${r.reasons.map((x) => `[${x.code}] ${x.text}`).join(' ')}`,
                  ),
                ]
              : []),
            ...(a.needsAcknowledgement.length
              ? [
                  '  waiting for an acknowledgement:',
                  ...a.needsAcknowledgement.map((r) => `    ${r.email} (${r.method})`),
                ]
              : []),
          ].join('\n'),
        );
      });
    });
  mailing
    .command('send')
    .description(
      'send it: the policy gate on current data, then the outbox (continues after an interruption)',
    )
    .argument('<id>', 'mailing id')
    .action(async (id: string, _o: unknown, cmd: Command) =>
      runSend(io, cmd.optsWithGlobals<GlobalOptions>(), id, 'send'),
    );
  mailing
    .command('resume')
    .description('go on with a paused or interrupted mailing')
    .argument('<id>', 'mailing id')
    .action(async (id: string, _o: unknown, cmd: Command) =>
      runSend(io, cmd.optsWithGlobals<GlobalOptions>(), id, 'resume'),
    );
  mailing
    .command('status')
    .description('one mailing with its deliveries, or all mailings')
    .argument('[id]', 'mailing id')
    .action(async (id: string | undefined, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        if (!id) {
          const mailings = await caller.mailings.list();
          output(io, opts, mailings, () =>
            mailings.length === 0
              ? 'No mailings yet.'
              : mailings
                  .map(
                    (m) => `${m.id}\t${m.status}\t${m.name}\tsent ${m.deliveries.SENT}/${m.deliveries.total}`,
                  )
                  .join('\n'),
          );
          return;
        }
        const status = await caller.mailings.status({ id });
        output(io, opts, status, () => {
          const m = status.mailing;
          const d = m.deliveries;
          return [
            `Mailing ${m.id} (${m.name}): ${m.status}`,
            `  sent ${d.SENT}, queued ${d.QUEUED}, retry later ${d.DEFERRED}, in flight ${d.SENDING}, failed ${d.FAILED}, skipped ${d.SKIPPED}, cancelled ${d.CANCELLED}, uncertain ${d.UNCERTAIN} (of ${d.total})`,
            ...(m.lastError ? [`  stopped: [${m.lastError.code}] ${m.lastError.message}`] : []),
            ...(status.assessment
              ? [
                  `  last assessment ${status.assessment.assessedAt}: ${status.assessment.classification}, ${status.assessment.included} included, ${status.assessment.excluded} excluded`,
                ]
              : []),
            ...uncertainLines(m.id, status.uncertain),
          ].join('\n');
        });
      });
    });
  for (const [name, description] of [
    ['pause', 'pause at the next batch'],
    ['cancel', 'cancel what has not gone out'],
  ] as const) {
    mailing
      .command(name)
      .description(description)
      .argument('<id>', 'mailing id')
      .action(async (id: string, _o: unknown, cmd: Command) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        await withCaller(opts, io, async (caller) => {
          const result =
            name === 'pause' ? await caller.mailings.pause({ id }) : await caller.mailings.cancel({ id });
          output(io, opts, result, () => `Mailing ${id}: ${result.status}`);
        });
      });
  }
  mailing
    .command('resolve')
    .description('decide on uncertain deliveries after an interruption')
    .argument('<id>', 'mailing id')
    .option('--resend', 'send them again (someone may get the message twice)')
    .option('--skip', 'never send them')
    .option('--delivery <ids>', 'only these delivery numbers, comma-separated')
    .action(async (id: string, o: { resend?: boolean; skip?: boolean; delivery?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      if (o.resend === o.skip) throw new CliUsageError('choose one of --resend or --skip');
      await withCaller(opts, io, async (caller) => {
        const result = await caller.mailings.resolveUncertain({
          id,
          decision: o.resend ? 'RESEND' : 'SKIP',
          ...(o.delivery
            ? { deliveryIds: o.delivery.split(',').map((s) => int('--delivery')(s.trim().replace(/^#/, ''))) }
            : {}),
        });
        output(
          io,
          opts,
          result,
          () =>
            `${result.resolved} uncertain deliveries ${o.resend ? 'queued again: run "mailing resume"' : 'skipped'}.`,
        );
      });
    });

  program
    .command('unsubscribe')
    .description('record an unsubscribe (a reply, a phone call …): the address is never mailed again')
    .argument('[email]', 'the address')
    .option('--token <token>', 'the token from an unsubscribe link or mail subject, instead of the address')
    .addOption(
      new Option('--channel <channel>', 'how it reached you')
        .choices(['REPLY', 'PHONE', 'LETTER', 'IN_PERSON', 'UNSUBSCRIBE_LINK', 'OTHER'])
        .default('OTHER'),
    )
    .option('--objection', 'the person objects to direct marketing (GDPR art. 21)')
    .option('--note <text>', 'a note')
    .action(
      async (
        email: string | undefined,
        o: {
          token?: string;
          channel: 'REPLY' | 'PHONE' | 'LETTER' | 'IN_PERSON' | 'UNSUBSCRIBE_LINK' | 'OTHER';
          objection?: boolean;
          note?: string;
        },
        cmd: Command,
      ) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        if (!email && !o.token) throw new CliUsageError('give an e-mail address or --token');
        await withCaller(opts, io, async (caller) => {
          const result = await caller.suppressions.unsubscribe({
            channel: o.channel,
            objection: o.objection === true,
            ...(email ? { email } : {}),
            ...(o.token ? { token: o.token } : {}),
            ...(o.note ? { note: o.note } : {}),
          });
          output(
            io,
            opts,
            result,
            () => `${result.email} is unsubscribed (${result.reason}) and will not be mailed again.`,
          );
        });
      },
    );
  program
    .command('complaint')
    .description('record a spam complaint: the address is never mailed again')
    .argument('<email>', 'who complained')
    .addOption(
      new Option('--source <source>', `where the complaint came from: ${COMPLAINT_SOURCE_HELP}`)
        .argParser(parseComplaintSource)
        .makeOptionMandatory(),
    )
    .option('--reference <ref>', 'case number or reference')
    .option('--mailing <id>', 'the mailing it is about (default: the last one sent to the address)')
    .option('--note <text>', 'a note')
    .action(
      async (
        email: string,
        o: {
          source: 'SPAMKLACHT' | 'HOSTER' | 'DATACENTER' | 'ARF' | 'MANUAL';
          reference?: string;
          mailing?: string;
          note?: string;
        },
        cmd: Command,
      ) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        await withCaller(opts, io, async (caller) => {
          const result = await caller.suppressions.complaint({
            email,
            source: o.source,
            ...(o.reference ? { reference: o.reference } : {}),
            ...(o.mailing ? { mailingId: o.mailing } : {}),
            ...(o.note ? { note: o.note } : {}),
          });
          output(
            io,
            opts,
            result,
            () => `Complaint recorded for ${result.email} (${result.source}); the address is suppressed.`,
          );
        });
      },
    );
  const bounce = program.command('bounce').description('bounce and complaint messages');
  bounce
    .command('import')
    .description('import a bounce (RFC 3464) or complaint (ARF, RFC 5965) saved as .eml')
    .argument('<file>', 'the .eml file')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      let content: Buffer;
      try {
        content = readFileSync(resolve(file));
      } catch (cause) {
        throw new UserError(
          'CLI_FILE_UNREADABLE',
          { en: `Cannot read ${file}. Check the path.`, nl: `Kan ${file} niet lezen. Controleer het pad.` },
          { cause },
        );
      }
      await withCaller(opts, io, async (caller) => {
        const result = await caller.suppressions.importFeedback({
          eml: content.toString('base64'),
          encoding: 'base64',
          fileName: file,
        });
        output(io, opts, result, () =>
          result.kind === 'ARF'
            ? [
                `Complaint report (${result.feedbackType}):`,
                ...result.complaints.map((c) => `  ${c.email}: complaint recorded, suppressed`),
              ].join('\n')
            : [
                'Delivery report:',
                ...result.bounces.map(
                  (b) =>
                    `  ${b.email}: ${b.kind} bounce ${b.status ?? ''}${b.suppressed ? ', suppressed' : ''}`,
                ),
              ].join('\n'),
        );
      });
    });
}
