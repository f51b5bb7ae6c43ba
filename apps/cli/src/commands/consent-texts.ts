import { Option, type Command } from 'commander';
import { FILE_KINDS, readUserText } from '../command-kit.js';
import { CliUsageError, output, withCaller, type CliIo, type GlobalOptions } from '../runtime.js';

const KINDS = ['CONSENT', 'COLLECTION', 'PHONE_SCRIPT', 'ACKNOWLEDGEMENT', 'OTHER'] as const;
const LANGUAGES = ['nl', 'en', 'de', 'fr'] as const;

/** `consent-text add | list | show`: the exact texts people agreed to, stored as immutable versions. */
export function registerConsentTextCommands(program: Command, io: CliIo): void {
  const text = program
    .command('consent-text')
    .description('consent texts: the exact wording people agreed to (immutable versions)');
  text
    .command('add')
    .description(
      'store a text version; its id (sha256 of the text) goes into --evidence consentTextVersionId=',
    )
    .addOption(new Option('--kind <kind>', 'what the text is').choices(KINDS).default('CONSENT'))
    .addOption(new Option('--language <lang>', 'language of the text').choices(LANGUAGES).default('nl'))
    .requiredOption('--label <label>', 'a name for yourself, e.g. "signup form 2026"')
    .option('--body <text>', 'the text itself')
    .option('--file <file>', 'read the text from a file')
    .action(
      async (
        o: {
          kind: (typeof KINDS)[number];
          language: (typeof LANGUAGES)[number];
          label: string;
          body?: string;
          file?: string;
        },
        cmd: Command,
      ) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        if ((o.body === undefined) === (o.file === undefined))
          throw new CliUsageError('give the text with either --body or --file');
        const body = o.file === undefined ? (o.body ?? '') : readUserText(o.file, FILE_KINDS.text);
        await withCaller(opts, io, async (caller) => {
          const version = await caller.settings.consentTexts.add({
            kind: o.kind,
            language: o.language,
            label: o.label,
            body,
          });
          output(
            io,
            opts,
            version,
            () =>
              `Stored consent text ${version.id} (${version.label}).\nUse it with: --evidence consentTextVersionId=${version.id}`,
          );
        });
      },
    );
  text
    .command('list')
    .description('the stored text versions')
    .addOption(new Option('--kind <kind>', 'only this kind').choices(KINDS))
    .action(async (o: { kind?: (typeof KINDS)[number] }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const rows = await caller.settings.consentTexts.list(o.kind === undefined ? {} : { kind: o.kind });
        output(io, opts, rows, () =>
          rows.length === 0
            ? 'No consent texts yet: store one with "consent-text add".'
            : rows.map((row) => `${row.id}\t${row.kind}\t${row.language}\t${row.label}`).join('\n'),
        );
      });
    });
  text
    .command('show')
    .description('show one text version in full')
    .argument('<id>', 'the id (sha256) printed by "consent-text add" or "consent-text list"')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const version = await caller.settings.consentTexts.get({ id });
        output(
          io,
          opts,
          version,
          () => `${version.label} (${version.kind}, ${version.language}, ${version.id})\n\n${version.body}`,
        );
      });
    });
}
