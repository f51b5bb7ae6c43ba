import type { Command } from 'commander';
import type { CliIo } from './runtime.js';

/** What every command file exports: a function that adds its commands to the program. */
export type RegisterCommands = (program: Command, io: CliIo) => void;

/**
 * Every command file, loaded only when one of its commands runs (a bundler makes each its own chunk).
 * Adding a command file is one line here: `key: () => import('./commands/<file>.js').then((m) => m.register…)`.
 * Which top-level commands a file adds is found at build time (scripts/build.mjs writes
 * command-manifest.json), so nothing else needs to be kept in step. Order matters only for a file that
 * adds subcommands to a command another file creates: list it after that file.
 */
export const COMMAND_FILES = {
  system: () => import('./commands/system.js').then((m) => m.registerSystemCommands),
  policy: () => import('./commands/policy.js').then((m) => m.registerPolicyCommands),
  audit: () => import('./commands/audit.js').then((m) => m.registerAuditCommands),
  contacts: () => import('./commands/contacts.js').then((m) => m.registerContactCommands),
  imports: () => import('./commands/imports.js').then((m) => m.registerImportsCommands),
  entities: () => import('./commands/entities.js').then((m) => m.registerEntityCommands),
  smtp: () => import('./commands/smtp.js').then((m) => m.registerSmtpCommands),
  mailing: () => import('./commands/mailing.js').then((m) => m.registerMailingCommands),
  feedback: () => import('./commands/feedback.js').then((m) => m.registerFeedbackCommands),
  acknowledgements: () =>
    import('./commands/acknowledgements.js').then((m) => m.registerAcknowledgementsCommands),
  lists: () => import('./commands/lists.js').then((m) => m.registerListCommands),
  consentTexts: () => import('./commands/consent-texts.js').then((m) => m.registerConsentTextCommands),
  recordEdits: () => import('./commands/record-edits.js').then((m) => m.registerRecordEditCommands),
  intake: () => import('./commands/intake.js').then((m) => m.registerIntakeCommands),
  deliverability: () => import('./commands/deliverability.js').then((m) => m.registerDeliverabilityCommands),
  proof: () => import('./commands/proof.js').then((m) => m.registerProofCommands),
  optin: () => import('./commands/optin.js').then((m) => m.registerOptinCommands),
  // After optin.ts, whose `optin` group `optin check` joins.
  optinCheck: () => import('./commands/optin-check.js').then((m) => m.registerOptinCheckCommands),
} satisfies Record<string, () => Promise<RegisterCommands>>;

export type CommandFileKey = keyof typeof COMMAND_FILES;

/** One top-level command as `--help` lists it, and the command files that add to it. */
export interface ManifestCommand {
  name: string;
  /** How the root help names it, e.g. `import [options] <file>`. */
  term: string;
  description: string;
  files: string[];
}

/** The static command list written at build time, read so that `--help` loads no command file. */
export interface CommandManifest {
  commands: ManifestCommand[];
}

/** Loads the given command files (all when `keys` is absent) into `program`, in registry order. */
export async function loadCommandFiles(
  program: Command,
  io: CliIo,
  keys?: ReadonlySet<string>,
): Promise<void> {
  for (const [key, load] of Object.entries(COMMAND_FILES)) {
    if (keys !== undefined && !keys.has(key)) continue;
    const register = await load();
    register(program, io);
  }
}

/**
 * Builds the manifest by loading every command file and noting which top-level commands each adds or
 * extends (run by the build, never at start-up).
 */
export async function describeCommands(program: Command, io: CliIo): Promise<CommandManifest> {
  const byName = new Map<string, ManifestCommand>();
  const help = program.createHelp();
  for (const [key, load] of Object.entries(COMMAND_FILES)) {
    const before = new Map(program.commands.map((cmd) => [cmd.name(), cmd.commands.length]));
    const register = await load();
    register(program, io);
    for (const cmd of program.commands) {
      const known = byName.get(cmd.name());
      if (known === undefined) {
        byName.set(cmd.name(), {
          name: cmd.name(),
          term: help.subcommandTerm(cmd),
          description: cmd.description(),
          files: [key],
        });
      } else if (before.get(cmd.name()) !== cmd.commands.length && !known.files.includes(key)) {
        known.files.push(key);
      }
    }
  }
  return { commands: [...byName.values()] };
}
