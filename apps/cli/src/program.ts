import { Command, Option } from 'commander';
import { loadCommandFiles } from './command-registry.js';
import type { CliIo } from './runtime.js';

/**
 * The root program with its global options and no commands: main.ts adds the command files a run
 * needs (command-registry.ts), so a start-up parses only those.
 */
export function createRootProgram(io: CliIo, options: { json?: boolean } = {}): Command {
  const program = new Command('consent-mailer')
    .description('Consent Mailer: mail your newsletter through your own SMTP server, with proof of consent.')
    .addOption(
      new Option('--db <file>', "the database file (default: the desktop app's, or $CONSENT_MAILER_DB)"),
    )
    .addOption(new Option('--json', 'print machine-readable JSON'))
    .addOption(new Option('--lang <lang>', 'language of messages').choices(['nl', 'en']).default('en'))
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Under --json a usage error is printed by main() as a JSON object instead of text.
      outputError: (text, write) => {
        if (options.json !== true) write(text);
      },
    })
    .exitOverride();
  if (options.json !== true) program.showHelpAfterError();
  // Options like --json and --db may stand before or after the subcommand.
  program.enablePositionalOptions(false);
  return program;
}

/** The whole command tree, every command file loaded (for tools that want all of it at once). */
export async function createProgram(io: CliIo): Promise<Command> {
  const program = createRootProgram(io);
  await loadCommandFiles(program, io);
  return program;
}
