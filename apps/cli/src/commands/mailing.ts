import type { RouterOutputs } from '@consent-mailer/api';
import { MAILING_CONTENTS, UserError, type Lang } from '@consent-mailer/policy';
import { Option, type Command } from 'commander';
import { FILE_KINDS, readUserText, wholeNumber } from '../command-kit.js';
import { listIdFrom, senderEntityOrOnly, smtpProfileOrOnly } from '../defaults.js';
import {
  CliUsageError,
  output,
  withCaller,
  type Caller,
  type CliIo,
  type GlobalOptions,
} from '../runtime.js';
import { ensurePassword } from '../smtp-password.js';

type SendResult = NonNullable<RouterOutputs['mailings']['job']['result']>;
type MailingStatus = RouterOutputs['mailings']['status'];

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
      return job.result;
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

/** `mailing create | assess | send | resume | status | resolve`. */
export function registerMailingCommands(program: Command, io: CliIo): void {
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
        .choices(MAILING_CONTENTS)
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
          messageLang: Lang;
        },
        cmd: Command,
      ) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        const html = o.htmlFile ? readUserText(o.htmlFile, FILE_KINDS.html) : o.html;
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
            ...(o.textFile ? { text: readUserText(o.textFile, FILE_KINDS.text) } : {}),
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
            ? {
                deliveryIds: o.delivery
                  .split(',')
                  .map((s) => wholeNumber('--delivery')(s.trim().replace(/^#/, ''))),
              }
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
}
