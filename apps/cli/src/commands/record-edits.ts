import type { Lang } from '@consent-mailer/policy';
import { Option, type Command } from 'commander';
import { commandGroup, FILE_KINDS, readUserText, wholeNumber } from '../command-kit.js';
import { listIdFrom } from '../defaults.js';
import { CliUsageError, output, withCaller, type CliIo, type GlobalOptions } from '../runtime.js';
import { secretVariableName } from '../secrets.js';

/** `--x ""` clears an optional field; absent leaves it. */
const clearable = (value: string | undefined): string | null | undefined =>
  value === undefined ? undefined : value === '' ? null : value;

function only<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function nothingToChange(): CliUsageError {
  return new CliUsageError('nothing to change: give at least one option (see --help)');
}

/**
 * `entity update|delete`, `smtp update|delete` and `mailing update|duplicate|delete`: edit and delete
 * where the app can. Listed after mailing.ts in the registry, whose groups these join.
 */
export function registerRecordEditCommands(program: Command, io: CliIo): void {
  const entity = commandGroup(program, 'entity', 'sender entities: the legal identity in every message');
  entity
    .command('update')
    .description('change a sender entity\'s details (--x "" clears an optional one)')
    .argument('<id>', 'the entity id')
    .option('--legal-name <name>', 'registered legal name')
    .option('--trade-name <name>', 'trade name shown in From')
    .option('--address <postal address>', 'postal address for the footer')
    .option('--email <address>', 'contact e-mail')
    .option('--kvk <number>', 'KvK number, 8 digits')
    .option('--vat <number>', 'VAT number')
    .option('--website <url>', 'website')
    .option('--unsubscribe-url <https url>', 'your own unsubscribe page')
    .action(async (id: string, o: Record<string, string | undefined>, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const changes = only({
        legalName: o.legalName,
        tradeName: clearable(o.tradeName),
        postalAddress: o.address,
        contactEmail: o.email,
        kvkNumber: o.kvk,
        vatNumber: clearable(o.vat),
        website: clearable(o.website),
        unsubscribeUrl: clearable(o.unsubscribeUrl),
      });
      if (Object.keys(changes).length === 0) throw nothingToChange();
      await withCaller(opts, io, async (caller) => {
        const row = await caller.entities.update({ id, ...changes });
        output(io, opts, row, () => `Updated sender entity ${row.id}: ${row.legalName}`);
      });
    });
  entity
    .command('delete')
    .description('delete a sender entity nothing refers to yet (one with consents or mailings stays)')
    .argument('<id>', 'the entity id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const result = await caller.entities.delete({ id });
        output(io, opts, result, () => `Deleted sender entity ${id}.`);
      });
    });

  const smtp = commandGroup(program, 'smtp', 'SMTP profiles: your own mail server and its limits');
  smtp
    .command('update')
    .description('change an SMTP profile (the password stays in CONSENT_MAILER_SECRET_SMTP_<NAME>)')
    .argument('<name>', 'profile name')
    .option('--host <host>', 'SMTP server host')
    .option('--port <port>', 'port', wholeNumber('--port'))
    .addOption(
      new Option('--security <mode>', 'TLS, STARTTLS or NONE').choices([
        'TLS',
        'STARTTLS',
        'NONE',
        'tls',
        'starttls',
        'none',
      ]),
    )
    .option('--user <user>', 'login name ("" for none)')
    .option('--from <address>', 'From address')
    .option('--from-name <name>', 'From name ("" for the entity\'s name)')
    .option('--reply-to <address>', 'Reply-To address ("" for none)')
    .option('--entity <id>', 'the sender entity this profile sends for ("" for any)')
    .option('--per-minute <n>', 'messages per minute (0 for no limit)', wholeNumber('--per-minute'))
    .option('--per-hour <n>', 'messages per hour (0 for no limit)', wholeNumber('--per-hour'))
    .option('--per-day <n>', 'messages per day (0 for no limit)', wholeNumber('--per-day'))
    .option('--connections <n>', 'parallel connections', wholeNumber('--connections'))
    .option('--spf', 'SPF is set up for the From domain')
    .option('--no-spf', 'SPF is not set up')
    .option('--dmarc', 'a DMARC record exists')
    .option('--no-dmarc', 'no DMARC record')
    .action(
      async (
        name: string,
        o: {
          host?: string;
          port?: number;
          security?: string;
          user?: string;
          from?: string;
          fromName?: string;
          replyTo?: string;
          entity?: string;
          perMinute?: number;
          perHour?: number;
          perDay?: number;
          connections?: number;
          spf?: boolean;
          dmarc?: boolean;
        },
        cmd: Command,
      ) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        const limit = (n: number | undefined) => (n === undefined ? undefined : n === 0 ? null : n);
        const changes = only({
          host: o.host,
          port: o.port,
          security: o.security?.toUpperCase() as 'TLS' | 'STARTTLS' | 'NONE' | undefined,
          user: clearable(o.user),
          fromAddress: o.from,
          fromName: clearable(o.fromName),
          replyTo: clearable(o.replyTo),
          senderEntityId: clearable(o.entity),
          perMinute: limit(o.perMinute),
          perHour: limit(o.perHour),
          perDay: limit(o.perDay),
          connections: o.connections,
          spfDeclared: cmd.getOptionValueSource('spf') === 'cli' ? o.spf : undefined,
          dmarcDeclared: cmd.getOptionValueSource('dmarc') === 'cli' ? o.dmarc : undefined,
        });
        if (Object.keys(changes).length === 0) throw nothingToChange();
        await withCaller(opts, io, async (caller) => {
          const row = await caller.smtp.update({ profile: name, ...changes });
          output(io, opts, row, () =>
            [
              `Updated SMTP profile ${row.name} (${row.host}:${row.port}, ${row.security})`,
              ...(row.user ? [`  the password is read from ${secretVariableName(`smtp:${row.name}`)}`] : []),
            ].join('\n'),
          );
        });
      },
    );
  smtp
    .command('delete')
    .description('delete an SMTP profile no mailing uses')
    .argument('<name>', 'profile name')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const result = await caller.smtp.delete({ profile: name });
        output(io, opts, result, () => `Deleted SMTP profile ${result.deleted}.`);
      });
    });

  const mailing = commandGroup(program, 'mailing', 'write, assess and send mailings');
  mailing
    .command('update')
    .description('change a mailing that has not been queued (assess it again afterwards)')
    .argument('<id>', 'mailing id')
    .option('--name <name>', 'a name for yourself')
    .option('--list <name or id>', 'the list to send to')
    .option('--smtp <profile>', 'SMTP profile')
    .option('--subject <subject>', 'subject (merge fields allowed)')
    .option('--html <html>', 'the HTML body')
    .option('--html-file <file>', 'read the HTML body from a file')
    .option('--text-file <file>', 'plain-text body ("" to derive it from the HTML)')
    .addOption(
      new Option('--content <kind>', 'MARKETING, TRANSACTIONAL or MIXED').choices([
        'MARKETING',
        'TRANSACTIONAL',
        'MIXED',
      ]),
    )
    .option('--categories <list>', 'product categories, comma-separated ("" for none)')
    .option('--third-party', "promotes another company's products")
    .option('--no-third-party', "does not promote another company's products")
    .addOption(new Option('--message-lang <lang>', 'language of the footer').choices(['nl', 'en']))
    .action(
      async (
        id: string,
        o: {
          name?: string;
          list?: string;
          smtp?: string;
          subject?: string;
          html?: string;
          htmlFile?: string;
          textFile?: string;
          content?: 'MARKETING' | 'TRANSACTIONAL' | 'MIXED';
          categories?: string;
          thirdParty?: boolean;
          messageLang?: Lang;
        },
        cmd: Command,
      ) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        const html = o.htmlFile === undefined ? o.html : readUserText(o.htmlFile, FILE_KINDS.html);
        const text =
          o.textFile === undefined
            ? undefined
            : o.textFile === ''
              ? null
              : readUserText(o.textFile, FILE_KINDS.text);
        await withCaller(opts, io, async (caller) => {
          const changes = only({
            name: o.name,
            listId: await listIdFrom(caller, o.list),
            smtpProfile: o.smtp,
            subject: o.subject,
            html,
            text,
            content: o.content,
            productCategories:
              o.categories === undefined
                ? undefined
                : o.categories === ''
                  ? null
                  : o.categories
                      .split(',')
                      .map((c) => c.trim())
                      .filter(Boolean),
            promotesThirdParty: cmd.getOptionValueSource('thirdParty') === 'cli' ? o.thirdParty : undefined,
            lang: o.messageLang,
          });
          if (Object.keys(changes).length === 0) throw nothingToChange();
          const row = await caller.mailings.update({ id, ...changes });
          output(
            io,
            opts,
            row,
            () =>
              `Updated mailing ${row.id} (${row.name}), now ${row.status}. Next: "consent-mailer mailing assess ${row.id}".`,
          );
        });
      },
    );
  mailing
    .command('duplicate')
    .description('copy a mailing (any status) into a new draft')
    .argument('<id>', 'mailing id')
    .option('--name <name>', 'name of the copy (default: "<name> (copy)")')
    .action(async (id: string, o: { name?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const row = await caller.mailings.duplicate({
          id,
          ...(o.name === undefined ? {} : { name: o.name }),
        });
        output(io, opts, row, () => `Created mailing ${row.id} (${row.name}) as a copy of ${id}.`);
      });
    });
  mailing
    .command('delete')
    .description('delete a mailing that was never queued (a sent one is evidence and stays)')
    .argument('<id>', 'mailing id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const result = await caller.mailings.delete({ id });
        output(io, opts, result, () => `Deleted mailing ${id}.`);
      });
    });
}
