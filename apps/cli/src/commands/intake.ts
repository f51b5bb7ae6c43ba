import { UserError } from '@consent-mailer/policy';
import { Option, type Command } from 'commander';
import { wholeNumber } from '../command-kit.js';
import { output, withCaller, type CliIo, type GlobalOptions } from '../runtime.js';
import { secretVariableName } from '../secrets.js';

/** `intake add|run|status`: read bounces, complaints and e-mailed unsubscribes from an IMAP mailbox. */
export function registerIntakeCommands(program: Command, io: CliIo): void {
  const intake = program
    .command('intake')
    .description(
      'mailbox intake: bounces, complaints, unsubscribes and replies read from IMAP, never deleted',
    );
  intake
    .command('add')
    .description(
      'add a mailbox to read (the password comes from CONSENT_MAILER_SECRET_IMAP_<NAME>, never the database)',
    )
    .argument('<name>', 'mailbox name, e.g. info')
    .requiredOption('--host <host>', 'IMAP server host')
    .option('--port <port>', 'port (993 for TLS, 143 for STARTTLS)', wholeNumber('--port'))
    .addOption(
      new Option('--security <mode>', 'TLS (implicit), STARTTLS, or NONE (only to this computer)')
        .choices(['TLS', 'STARTTLS', 'NONE', 'tls', 'starttls', 'none'])
        .default('TLS'),
    )
    .requiredOption('--user <user>', 'login name')
    .option('--folder <folder>', 'folder to read (default INBOX)')
    .option('--processed <folder>', 'folder handled messages are moved to (default Processed)')
    .option('--unrecognised <folder>', 'folder unreadable reports are moved to (default Unrecognised)')
    .option(
      '--every <seconds>',
      'poll interval for the app and `intake run --watch` (default 300)',
      wholeNumber('--every'),
    )
    .action(
      async (
        name: string,
        o: {
          host: string;
          port?: number;
          security: string;
          user: string;
          folder?: string;
          processed?: string;
          unrecognised?: string;
          every?: number;
        },
        cmd: Command,
      ) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        const variable = secretVariableName(`imap:${name}`);
        const password = io.env[variable];
        if (!password) {
          throw new UserError('INTAKE_PASSWORD_MISSING', {
            en: `Set the mailbox password in ${variable} (it is kept out of the database), then run this again.`,
            nl: `Zet het wachtwoord van de mailbox in ${variable} (het komt niet in de database), en voer dit opnieuw uit.`,
          });
        }
        const security = o.security.toUpperCase() as 'TLS' | 'STARTTLS' | 'NONE';
        await withCaller(opts, io, async (caller) => {
          const row = await caller.intake.add({
            name,
            host: o.host,
            port: o.port ?? (security === 'TLS' ? 993 : 143),
            security,
            user: o.user,
            password,
            ...(o.folder ? { folder: o.folder } : {}),
            ...(o.processed ? { processedFolder: o.processed } : {}),
            ...(o.unrecognised ? { unrecognisedFolder: o.unrecognised } : {}),
            ...(o.every ? { pollSeconds: o.every } : {}),
          });
          output(
            io,
            opts,
            row,
            () => `Mailbox ${row.name} added (${row.user} on ${row.host}:${row.port}, ${row.folder}).`,
          );
        });
      },
    );
  intake
    .command('run')
    .description('read the mailboxes once (or keep reading with --watch)')
    .argument('[mailbox]', 'only this mailbox')
    .option('--watch', 'keep running, every --every seconds')
    .option('--every <seconds>', 'interval with --watch (default 300)', wholeNumber('--every'))
    .action(async (mailbox: string | undefined, o: { watch?: boolean; every?: number }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        for (;;) {
          const results = await caller.intake.run(mailbox ? { mailbox } : {});
          output(
            io,
            opts,
            results,
            () =>
              results
                .map(
                  (r) =>
                    `${r.mailboxId}: ${r.read} read (${
                      Object.entries(r.byKind)
                        .filter(([, n]) => n > 0)
                        .map(([kind, n]) => `${n} ${kind.toLowerCase()}`)
                        .join(', ') || 'nothing new'
                    }), ${r.moved} moved`,
                )
                .join('\n') || 'No mailboxes set up (intake add).',
          );
          if (!o.watch) return;
          await new Promise((resolve) => setTimeout(resolve, Math.max(10, o.every ?? 300) * 1000));
        }
      });
    });
  intake
    .command('status')
    .description('per mailbox the last run and error; what arrived; alerts and replies awaiting you')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const status = await caller.intake.status();
        output(io, opts, status, () =>
          [
            ...status.mailboxes.map(
              (m) =>
                `${m.name}: ${m.user} on ${m.host}:${m.port} ${m.folder}, last run ${m.lastRunAt ?? 'never'}${m.lastError ? `, error: ${m.lastError}` : ''}`,
            ),
            `arrived: ${Object.entries(status.counts)
              .map(([kind, n]) => `${n} ${kind.toLowerCase()}`)
              .join(', ')}`,
            `${status.alerts} alert(s) about your sending, ${status.awaitingReview} repl(y/ies) awaiting your decision`,
          ].join('\n'),
        );
      });
    });
}
