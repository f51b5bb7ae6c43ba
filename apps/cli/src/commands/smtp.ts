import { Option, type Command } from 'commander';
import { wholeNumber } from '../command-kit.js';
import { output, withCaller, type CliIo, type GlobalOptions } from '../runtime.js';
import { secretVariableName } from '../secrets.js';
import { ensurePassword } from '../smtp-password.js';

/** `smtp add | list | test | auth`: the business's own mail server and its limits. */
export function registerSmtpCommands(program: Command, io: CliIo): void {
  const smtp = program.command('smtp').description('SMTP profiles: your own mail server and its limits');
  smtp
    .command('add')
    .description(
      'add an SMTP profile (the password comes from CONSENT_MAILER_SECRET_SMTP_<NAME> or a prompt, never the database)',
    )
    .argument('<name>', 'profile name, e.g. main')
    .requiredOption('--host <host>', 'SMTP server host')
    .requiredOption('--port <port>', 'port (465 for TLS, 587 for STARTTLS)', wholeNumber('--port'))
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
    .option('--per-minute <n>', 'messages per minute the provider allows', wholeNumber('--per-minute'))
    .option('--per-hour <n>', 'messages per hour', wholeNumber('--per-hour'))
    .option('--per-day <n>', 'messages per day', wholeNumber('--per-day'))
    .option('--connections <n>', 'parallel connections (default 2)', wholeNumber('--connections'))
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
}
