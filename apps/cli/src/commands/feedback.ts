import { Option, type Command } from 'commander';
import { FILE_KINDS, readUserFile } from '../command-kit.js';
import { COMPLAINT_SOURCE_HELP, parseComplaintSource } from '../complaint-source.js';
import { CliUsageError, output, withCaller, type CliIo, type GlobalOptions } from '../runtime.js';

/** `unsubscribe`, `complaint` and `bounce import`: what recipients tell the business, by any channel. */
export function registerFeedbackCommands(program: Command, io: CliIo): void {
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
      const content = readUserFile(file, FILE_KINDS.eml);
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
