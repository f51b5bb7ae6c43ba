import { readFileSync } from 'node:fs';
import { CommanderError, type Command } from 'commander';
import { describeCliError, type Lang } from './cli-errors.js';
import { loadCommandFiles, type CommandManifest } from './command-registry.js';
import { createRootProgram } from './program.js';
import type { CliIo } from './runtime.js';

/** Root options that take a value, so the value is not mistaken for the command's name. */
const ROOT_OPTIONS_WITH_VALUE = new Set(['--db', '--lang']);

/**
 * Runs the CLI and returns the exit code: 0 success, 1 the operation failed, 2 bad usage.
 * Errors are printed as one clear message (JSON with --json, usage errors included), never as a stack.
 */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const args = argv.slice(2);
  const json = args.includes('--json');
  const program = createRootProgram(io, { json });
  try {
    await addCommandsFor(program, io, args, readManifest());
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      if (json) {
        const message = error.message.replace(/^error: /, '');
        io.stdout.write(`${JSON.stringify({ error: { code: 'USAGE', message } }, null, 2)}\n`);
      }
      return 2;
    }
    const options = program.opts<{ json?: boolean; lang?: Lang }>();
    const { code, message } = describeCliError(error, options.lang ?? 'en');
    if (json) io.stdout.write(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`);
    else io.stderr.write(`error [${code}]: ${message}\n`);
    return code === 'USAGE' ? 2 : 1;
  }
}

/**
 * Adds only the command files the command line needs: the files behind its top-level command, or, for the
 * root help, placeholders from the build's manifest (no command file loaded). Without a manifest (running
 * from source) or for an unknown name, every file is loaded so commander can list or reject it.
 */
async function addCommandsFor(
  program: Command,
  io: CliIo,
  args: string[],
  manifest: CommandManifest | undefined,
): Promise<void> {
  const first = commandName(args);
  const name = first?.name === 'help' ? commandName(args.slice(first.index + 1))?.name : first?.name;
  if (manifest !== undefined && name === undefined) {
    const terms = new Map(manifest.commands.map((entry) => [entry.name, entry.term]));
    for (const entry of manifest.commands) program.command(entry.name).description(entry.description);
    program.configureHelp({
      subcommandTerm: (cmd) => terms.get(cmd.name()) ?? cmd.name(),
    });
    return;
  }
  const entry = manifest?.commands.find((command) => command.name === name);
  await loadCommandFiles(program, io, entry === undefined ? undefined : new Set(entry.files));
}

/** The first word that is not a root option (or its value): the top-level command. */
function commandName(args: string[]): { name: string; index: number } | undefined {
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (ROOT_OPTIONS_WITH_VALUE.has(arg)) index += 1;
    else if (!arg.startsWith('-')) return { name: arg, index };
  }
  return undefined;
}

/** The manifest the build writes beside the bundle; absent when running from source. */
function readManifest(): CommandManifest | undefined {
  try {
    return JSON.parse(
      readFileSync(new URL('./command-manifest.json', import.meta.url), 'utf8'),
    ) as CommandManifest;
  } catch {
    return undefined;
  }
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, clock: () => new Date() };
}
