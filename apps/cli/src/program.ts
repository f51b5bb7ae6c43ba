import { Command, Option } from 'commander';
import { registerAcknowledgementsCommands } from './commands/acknowledgements.js';
import { registerImportsCommands } from './commands/imports.js';
import { registerIntakeCommands } from './commands/intake.js';
import { registerMailingCommands } from './commands/mailing.js';
import { registerPolicyCommands } from './commands/policy.js';
import { registerStoreCommands } from './commands/store.js';
import { registerSystemCommands } from './commands/system.js';
import type { CliIo } from './runtime.js';

/** The whole command tree; one register function per feature file. */
export function createProgram(io: CliIo): Command {
  const program = new Command('consent-mailer')
    .description('Consent Mailer: mail your newsletter through your own SMTP server, with proof of consent.')
    .addOption(
      new Option('--db <file>', "the database file (default: the desktop app's, or $CONSENT_MAILER_DB)"),
    )
    .addOption(new Option('--json', 'print machine-readable JSON'))
    .addOption(new Option('--lang <lang>', 'language of messages').choices(['nl', 'en']).default('en'))
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();
  // Options like --json and --db may stand before or after the subcommand.
  program.enablePositionalOptions(false);

  registerSystemCommands(program, io);
  registerPolicyCommands(program, io);
  registerStoreCommands(program, io);
  registerImportsCommands(program, io);
  registerMailingCommands(program, io);
  registerAcknowledgementsCommands(program, io);
  registerIntakeCommands(program, io);
  return program;
}
