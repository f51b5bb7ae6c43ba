import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  appRouter,
  createApiContext,
  createFileAccess,
  createCallerFactory,
  type ApiContext,
  type SecretStore,
} from '@consent-mailer/api';
import { isUserError } from '@consent-mailer/policy';
import { openStore } from '@consent-mailer/store';
import { TRPCError } from '@trpc/server';
import { DEFAULT_DATABASE_FILE, defaultDataDir } from './data-dir.js';
import { createEnvSecretStore } from './secrets.js';

export type Lang = 'en' | 'nl';
export type Caller = ReturnType<typeof appRouter.createCaller>;

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  db?: string;
  json?: boolean;
  lang?: Lang;
  /** Open a database whose integrity check or event chain fails (for audit, export and repair). */
  openDamaged?: boolean;
}

/** What commands need from the outside world; tests pass their own streams, env and clock. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where confirmations are read from (absent: the process's stdin when it writes to the terminal). */
  stdin?: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  clock: () => Date;
  secrets?: SecretStore;
}

/** The database file a command works on: --db, else CONSENT_MAILER_DB, else the app's own. */
export function resolveDatabasePath(options: GlobalOptions, env: NodeJS.ProcessEnv): string {
  if (options.db) return resolve(options.db);
  if (env.CONSENT_MAILER_DB) return resolve(env.CONSENT_MAILER_DB);
  return join(defaultDataDir(env), DEFAULT_DATABASE_FILE);
}

/**
 * Opens the store, builds the api context and a tRPC caller, runs `work`, and always closes the store.
 * Every command goes through here, so the CLI uses exactly the router the app uses.
 */
export async function withCaller<T>(
  options: GlobalOptions,
  io: CliIo,
  work: (caller: Caller, context: ApiContext) => Promise<T>,
): Promise<T> {
  const path = resolveDatabasePath(options, io.env);
  mkdirSync(dirname(path), { recursive: true });
  const store = await openStore({ path, openDamaged: options.openDamaged === true });
  try {
    const context = createApiContext({
      store,
      clock: io.clock,
      secrets: io.secrets ?? createEnvSecretStore(io.env),
      dataDir: dirname(path),
      // The CLI's paths come from the user's own command line: the same choice a file dialog makes.
      files: createFileAccess({ anyPath: true }),
    });
    const caller = createCallerFactory(appRouter)(context);
    return await work(caller, context);
  } finally {
    await store.close();
  }
}

/** Prints a result: JSON when --json, else the human text. */
export function output(io: CliIo, options: GlobalOptions, value: unknown, human: () => string): void {
  io.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** Raised by commands for a bad command line; printed without a stack and exits with code 2. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** Turns any error into the message a user reads, in their language. */
export function describeCliError(error: unknown, lang: Lang): { code: string; message: string } {
  const cause = error instanceof TRPCError && error.cause ? error.cause : error;
  if (isUserError(cause)) return { code: cause.code, message: cause.text[lang] };
  if (error instanceof TRPCError && error.code === 'BAD_REQUEST' && error.cause && 'issues' in error.cause) {
    const issues = (error.cause as { issues: { path: PropertyKey[]; message: string }[] }).issues;
    return {
      code: 'INVALID_INPUT',
      message: issues
        .map((issue) => `${issue.path.map(String).join('.') || '(input)'}: ${issue.message}`)
        .join('\n'),
    };
  }
  if (error instanceof CliUsageError) return { code: 'USAGE', message: error.message };
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message };
  return { code: 'INTERNAL', message: String(error) };
}
