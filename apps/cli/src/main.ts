import { CommanderError } from 'commander';
import { createProgram } from './program.js';
import { describeCliError, type CliIo, type Lang } from './runtime.js';

/**
 * Runs the CLI and returns the exit code: 0 success, 1 the operation failed, 2 bad usage.
 * Errors are printed as one clear message (JSON with --json), never as a stack trace.
 */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    const options = program.opts<{ json?: boolean; lang?: Lang }>();
    const { code, message } = describeCliError(error, options.lang ?? 'en');
    if (options.json) io.stdout.write(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`);
    else io.stderr.write(`error [${code}]: ${message}\n`);
    return code === 'USAGE' ? 2 : 1;
  }
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, clock: () => new Date() };
}
