import { createHash } from 'node:crypto';
import { createReadStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { UserError } from '@consent-mailer/policy';
import type { Database } from './database.js';
import {
  anchorPathFor,
  chainHead,
  checkAnchor,
  makeAnchor,
  readAnchorFile,
  writeAnchorFile,
} from './chain-anchor.js';
import { appendEvent, appendEventSync, verifyChain, type ChainVerification } from './event-log.js';
import { verifyRows } from './ledger-verification.js';
import { MIGRATIONS } from './migrations/migrations.js';
import { migrateToLatest, schemaStatus } from './migrations/migrate.js';
import { installRowTracking, resetRowTracking, sealedTableShapes } from './row-seal.js';
import { cachingDatabase } from './statement-cache.js';
import type { Store } from './store.js';

/** What a backup or a checked backup file contains. */
export interface BackupInfo {
  path: string;
  bytes: number;
  sha256: string;
  events: number;
  headHash: string;
  /** The last migration the file was at. */
  schemaVersion: string | null;
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function notABackup(path: string, reason: string): UserError {
  return new UserError('STORE_BACKUP_INVALID', {
    en: `${path} cannot be used as a backup: ${reason}. Choose another backup file.`,
    nl: `${path} kan niet als back-up worden gebruikt: ${reason}. Kies een ander back-upbestand.`,
  });
}

/**
 * Opens a backup file read-only and checks it: a Consent Mailer database of a known schema, intact
 * (`integrity_check`), with an event chain that verifies. Throws STORE_BACKUP_INVALID otherwise.
 *
 * @example
 * const info = await inspectBackup('/backups/consent-mailer-2026-11-28.sqlite');
 */
export async function inspectBackup(
  path: string,
  options: { nativeBinding?: string } = {},
): Promise<BackupInfo> {
  if (!existsSync(path)) throw notABackup(path, 'the file does not exist');
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(path, {
      readonly: true,
      fileMustExist: true,
      ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
    });
  } catch (error) {
    throw notABackup(path, error instanceof Error ? error.message : 'it cannot be opened');
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(sqlite) }) });
  try {
    let integrity: string[];
    let migrations: string[];
    try {
      integrity = (sqlite.pragma('integrity_check(5)') as { integrity_check: string }[]).map(
        (row) => row.integrity_check,
      );
      migrations = (
        sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]
      ).map((row) => row.name);
    } catch (error) {
      throw notABackup(
        path,
        `it is not a Consent Mailer database (${error instanceof Error ? error.message : 'unreadable'})`,
      );
    }
    if (integrity.join() !== 'ok') throw notABackup(path, `it is damaged (${integrity.join('; ')})`);
    const unknown = migrations.filter((name) => !(name in MIGRATIONS));
    if (unknown.length > 0)
      throw notABackup(
        path,
        `it was made by a newer version of Consent Mailer (${unknown.join(', ')}); update the app first`,
      );
    const chain: ChainVerification = await verifyChain(db);
    if (!chain.ok)
      throw notABackup(path, `its event log fails verification at event ${chain.brokenAt} (${chain.reason})`);
    return {
      path,
      bytes: statSync(path).size,
      sha256: await fileSha256(path),
      events: chain.events,
      headHash: chain.headHash,
      schemaVersion: migrations.at(-1) ?? null,
    };
  } finally {
    await db.destroy();
  }
}

/**
 * Copies the open store to a file with SQLite's online backup API while the app keeps working, then
 * checks the copy. The copy is written beside the target and renamed into place, so a failed backup never
 * leaves a half file under the backup's name.
 *
 * @example
 * const info = await backupStore(store, '/backups/consent-mailer-2026-11-28.sqlite');
 */
export async function backupStore(store: Store, destination: string): Promise<BackupInfo> {
  const target = resolve(destination);
  if (store.path !== ':memory:' && target === resolve(store.path)) {
    throw new UserError('STORE_BACKUP_SAME_FILE', {
      en: 'A backup cannot overwrite the database itself. Choose another file name.',
      nl: 'Een back-up kan de database zelf niet overschrijven. Kies een andere bestandsnaam.',
    });
  }
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  try {
    await store.sqlite.backup(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new UserError(
      'STORE_BACKUP_FAILED',
      {
        en: `The backup to ${target} failed: ${error instanceof Error ? error.message : 'unknown error'}. Check that the folder exists and has free space.`,
        nl: `De back-up naar ${target} is mislukt: ${error instanceof Error ? error.message : 'onbekende fout'}. Controleer of de map bestaat en er ruimte vrij is.`,
      },
      { cause: error },
    );
  }
  // The copy carries the WAL flag of its source; as a single file it needs no journal beside it.
  const copy = new BetterSqlite3(
    partial,
    store.nativeBinding === undefined ? {} : { nativeBinding: store.nativeBinding },
  );
  copy.pragma('journal_mode = DELETE');
  // The backup carries its own signed anchor: the head it holds, so a restore can check it was not cut.
  const head = chainHead(copy);
  copy.close();
  renameSync(partial, target);
  writeAnchorFile(anchorPathFor(target), makeAnchor(head, store.anchorSigner, new Date().toISOString()));
  return inspectBackup(
    target,
    store.nativeBinding === undefined ? {} : { nativeBinding: store.nativeBinding },
  );
}

/**
 * Replaces the open store's content with a checked backup (see `inspectBackup`), through SQLite's backup
 * API so connections stay valid, then runs pending migrations and appends a `store.restored` event to the
 * restored chain. Everything written after the backup was taken is lost: make a backup of the current
 * state first if it may be needed.
 *
 * @example
 * const info = await restoreStore(store, '/backups/consent-mailer-2026-11-28.sqlite', { at: now.toISOString() });
 */
export async function restoreStore(
  store: Store,
  source: string,
  options: { at: string },
): Promise<BackupInfo> {
  const path = resolve(source);
  if (store.path !== ':memory:' && path === resolve(store.path))
    throw notABackup(path, 'it is the open database itself');
  const info = await inspectBackup(
    path,
    store.nativeBinding === undefined ? {} : { nativeBinding: store.nativeBinding },
  );
  const backup = new BetterSqlite3(path, {
    readonly: true,
    fileMustExist: true,
    ...(store.nativeBinding === undefined ? {} : { nativeBinding: store.nativeBinding }),
  });
  try {
    // A backup with an anchor must still hold the head its anchor names (and the anchor must verify).
    const anchor = checkAnchor(backup, readAnchorFile(anchorPathFor(path)), store.anchorSigner);
    if (anchor.status === 'INVALID') {
      throw notABackup(path, `its signed anchor does not hold (${anchor.problem})`);
    }
    await backup.backup(store.path);
  } finally {
    backup.close();
  }
  // The backup file was written with journal_mode DELETE; the live store keeps using WAL.
  store.sqlite.pragma('journal_mode = WAL');
  // Row changes noted before the restore are about content that is gone.
  installRowTracking(store.sqlite);
  store.sqlite.exec(`DELETE FROM temp.ledger_row_change`);
  const pending = (await schemaStatus(store.db)).pending;
  await migrateToLatest(store.db);
  resetRowTracking(store.sqlite);
  installRowTracking(store.sqlite);
  if (pending.length > 0 && !verifyRows(store.sqlite).ok) {
    // The backup checked clean; its migrated rows are committed as they now are.
    const tables = sealedTableShapes(store.sqlite).map((shape) => shape.table);
    appendEventSync(
      store.sqlite,
      { type: 'ledger.resealed', entity: 'store', at: options.at, data: { migrations: pending, tables } },
      { snapshot: tables },
    );
  }
  await store.db.transaction().execute(async (trx) => {
    await appendEvent(trx, {
      type: 'store.restored',
      entity: 'store',
      at: options.at,
      data: { backupSha256: info.sha256, backupEvents: info.events, backupHeadHash: info.headHash },
    });
  });
  // The restored chain does not extend the old anchor: the new head is anchored at once.
  store.writeAnchor();
  return info;
}

/**
 * Folds the write-ahead log back into the database file and empties it, so that data just erased is gone
 * from the WAL too (GDPR art. 17) and a plain file copy is complete.
 *
 * @example
 * await eraseContact(store.db, { email, source: 'APP', at });
 * checkpointStore(store);
 */
export function checkpointStore(store: Store): void {
  store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
}
