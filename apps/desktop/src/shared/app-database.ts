import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isUserError } from '@consent-mailer/policy';
import { existingAnchorSigner, type SecretStore } from '@consent-mailer/api';
import { openStore, type Store } from '@consent-mailer/store';
import type { DatabaseStartup, StartupFailure } from './host-services.js';

/** The database file name inside the data folder; the CLI opens the same file by default. */
export const DATABASE_FILE = 'consent-mailer.sqlite';

export interface OpenAppDatabaseOptions {
  /** The folder for the database (Electron: app.getPath('userData')). */
  dataDir: string;
  /** A better-sqlite3 addon built for Electron; Node leaves it out. */
  nativeBinding?: string;
  /** Where the installation key lives: the chain's anchor is signed with it once it exists. */
  secrets?: SecretStore;
}

export type AppDatabase =
  | { startup: Extract<DatabaseStartup, { ok: true }>; store: Store }
  | { startup: Extract<DatabaseStartup, { ok: false }>; store?: undefined };

/**
 * Opens the app's database: creates it when missing, runs pending migrations, checks the file's integrity
 * and walks the event chain (all in the store's `openStore`). Never throws: a failure comes back as a
 * startup result the renderer shows as a clear screen (what happened, where the file is, what to do).
 *
 * @example
 * const db = await openAppDatabase({ dataDir: app.getPath('userData') });
 * if (!db.store) console.error(db.startup.failure.text.en);
 */
export async function openAppDatabase(options: OpenAppDatabaseOptions): Promise<AppDatabase> {
  const path = join(options.dataDir, DATABASE_FILE);
  try {
    mkdirSync(options.dataDir, { recursive: true });
    const anchorSigner =
      options.secrets === undefined
        ? undefined
        : await existingAnchorSigner(options.secrets).catch(() => undefined);
    const store = await openStore({
      path,
      ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
      ...(anchorSigner === undefined ? {} : { anchorSigner }),
    });
    return { startup: { ok: true, path, schemaVersion: store.health?.schema.version ?? null }, store };
  } catch (error) {
    return { startup: { ok: false, path, failure: describeOpenFailure(error, path) } };
  }
}

function describeOpenFailure(error: unknown, path: string): StartupFailure {
  const cause =
    error instanceof Error && error.cause instanceof Error
      ? `\n${error.cause.name}: ${error.cause.message}`
      : '';
  const detail = error instanceof Error ? `${error.name}: ${error.message}${cause}` : String(error);
  // The store's own errors already say what happened and what to do, in both languages.
  if (isUserError(error)) return { code: error.code, text: error.text, detail };
  return {
    code: 'DATABASE_OPEN_FAILED',
    text: {
      en: `The database at ${path} could not be opened. Check that the folder exists and that your user may write to it, then start the app again; if this keeps happening, send the details below to your support contact.`,
      nl: `De database in ${path} kon niet worden geopend. Controleer dat de map bestaat en dat je gebruiker erin mag schrijven, en start de app opnieuw; blijft dit gebeuren, stuur dan de details hieronder naar je ondersteuning.`,
    },
    detail,
  };
}
