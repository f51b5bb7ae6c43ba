import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  createApiContext,
  createDnsResolver,
  createSendingServices,
  createFileAccess,
  createCallerFactory,
  existingAnchorSigner,
  lazyAppRouter,
  openPassphraseSecretStore,
  type ApiContext,
  type AppRouter,
  type SecretStore,
} from '@consent-mailer/api';
import { UserError } from '@consent-mailer/policy';
import { openStore } from '@consent-mailer/store';
import { DEFAULT_DATABASE_FILE, defaultDataDir } from './data-dir.js';
import { createEnvSecretStore } from './secrets.js';

import type { Lang } from './cli-errors.js';
export { CliUsageError, describeCliError, type Lang } from './cli-errors.js';
export type Caller = ReturnType<AppRouter['createCaller']>;

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  db?: string;
  json?: boolean;
  lang?: Lang;
  /** Open a database whose integrity check or event chain fails (for audit, export and repair). */
  openDamaged?: boolean;
  /** The command may create the database file (`init`, `restore`); every other one needs it to exist. */
  createDatabase?: boolean;
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
  if (options.createDatabase === true) mkdirSync(dirname(path), { recursive: true });
  else if (!existsSync(path)) {
    // A mistyped --db must not quietly create an empty database (and its folders) to work on.
    throw new UserError('DATABASE_NOT_FOUND', {
      en: `There is no database at ${path}. Check the --db path, or create a new database with "consent-mailer init --db ${path}".`,
      nl: `Er is geen database op ${path}. Controleer het pad bij --db, of maak een nieuwe database met "consent-mailer init --db ${path}".`,
    });
  }
  const passphrase = io.env.CONSENT_MAILER_PASSPHRASE;
  const secrets =
    io.secrets ??
    createEnvSecretStore(
      io.env,
      passphrase ? await openPassphraseSecretStore(dirname(path), passphrase) : undefined,
    );
  // The chain's anchor is signed with the installation key when the environment provides it.
  const anchorSigner = await existingAnchorSigner(secrets);
  const store = await openStore({
    path,
    openDamaged: options.openDamaged === true,
    ...(anchorSigner === undefined ? {} : { anchorSigner }),
  });
  try {
    const context = createApiContext({
      store,
      clock: io.clock,
      secrets,
      dataDir: dirname(path),
      // CONSENT_MAILER_DNS_SERVERS="127.0.0.53:5353,…": where SPF, DKIM and DMARC are read (default: the
      // system's DNS servers).
      ...(io.env.CONSENT_MAILER_DNS_SERVERS
        ? {
            sending: createSendingServices({
              resolver: createDnsResolver(io.env.CONSENT_MAILER_DNS_SERVERS.split(',').map((s) => s.trim())),
            }),
          }
        : {}),
      // The CLI's paths come from the user's own command line: the same choice a file dialog makes.
      files: createFileAccess({ anyPath: true }),
    });
    // The lazy router loads only the feature routers this command calls (start-up time, issue 19).
    const caller: Caller = createCallerFactory(lazyAppRouter)(context);
    return await work(caller, context);
  } finally {
    await store.close();
  }
}

/** Prints a result: JSON when --json, else the human text. */
export function output(io: CliIo, options: GlobalOptions, value: unknown, human: () => string): void {
  io.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}
