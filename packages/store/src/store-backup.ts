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
  describeAnchorProblem,
  makeAnchor,
  readAnchorFile,
  writeAnchorFile,
} from './chain-anchor.js';
import { appendEvent, appendEventSync, verifyChain, type ChainVerification } from './event-log.js';
import { verifyRows } from './ledger-verification.js';
import { MIGRATIONS } from './migrations/migrations.js';
import { migrateToLatest, schemaStatus } from './migrations/migrate.js';
import { installRowTracking, removeRowTracking, resetRowTracking, sealedTableShapes } from './row-seal.js';
import { cachingDatabase } from './statement-cache.js';
import { eraseAddressHash } from './contact-erasure.js';
import { compareWithBackup, type RestorePreview } from './restore-preview.js';
import { sealUnsealedRows, type Store } from './store.js';
import { addSuppression } from './suppression.repository.js';

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
  // Rows written since the last event are committed first: the copy must pass its own open check.
  if (!store.sqlite.inTransaction) sealUnsealedRows(store.sqlite);
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

/** What `restoreStore` did: the backup it restored, and what it carried over from the state it replaced. */
export interface RestoreResult extends BackupInfo {
  /** The chain head the restore replaced (null for an empty log), also recorded in `store.restored`. */
  replacedHead: { seq: number; hash: string } | null;
  /** Opt-outs made after the backup, put back on the suppression list. */
  carriedSuppressions: number;
  /** People erased after the backup, erased again. */
  reErased: number;
}

/**
 * What restoring `source` would lose: the events after the backup's head, and the suppressions and
 * erasures made since (which `restoreStore` carries forward). Changes nothing. Show it to the user and ask
 * before calling `restoreStore`.
 *
 * @example
 * const preview = await previewRestore(store, '/backups/consent-mailer-2026-11-28.sqlite');
 * console.log(preview.eventsAfterBackup.count, preview.suppressionsAfterBackup.length);
 */
export async function previewRestore(store: Store, source: string): Promise<RestorePreview> {
  const path = resolve(source);
  if (store.path !== ':memory:' && path === resolve(store.path))
    throw notABackup(path, 'it is the open database itself');
  const binding = store.nativeBinding === undefined ? {} : { nativeBinding: store.nativeBinding };
  return compareWithBackup(store.db, await inspectBackup(path, binding), binding);
}

/**
 * Replaces the open store's content with a checked backup (see `inspectBackup`), through SQLite's backup
 * API so connections stay valid, then runs pending migrations. Opt-outs are never lost to a restore: every
 * suppression made after the backup is put back (with its own date and source) and every person erased
 * after it is erased again, in one transaction with a `store.restored` event that records the replaced
 * chain head (seq and hash) and what was carried over. The write-ahead log is checkpointed afterwards, so
 * the re-erased data is gone from the file. Other changes made after the backup are lost: show
 * `previewRestore` first, and make a backup of the current state if it may be needed.
 *
 * @example
 * const info = await restoreStore(store, '/backups/consent-mailer-2026-11-28.sqlite', { at: now.toISOString() });
 */
export async function restoreStore(
  store: Store,
  source: string,
  options: { at: string },
): Promise<RestoreResult> {
  const preview = await previewRestore(store, source);
  const info = preview.backup;
  const backup = new BetterSqlite3(info.path, {
    readonly: true,
    fileMustExist: true,
    ...(store.nativeBinding === undefined ? {} : { nativeBinding: store.nativeBinding }),
  });
  try {
    // A backup with an anchor must still hold the head its anchor names (and the anchor must verify).
    // A backup with events must come with its anchor (`<file>.anchor.json`, written beside it by
    // backupStore), unless it is from before anchors existed (no row seal in its schema).
    const required =
      backup.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'event_row'`).get() !==
      undefined;
    const anchor = checkAnchor(backup, readAnchorFile(anchorPathFor(info.path)), store.anchorSigner, {
      required,
    });
    if (anchor.status === 'INVALID') {
      const what = describeAnchorProblem(anchor.problem, anchor.anchor);
      throw new UserError('STORE_BACKUP_INVALID', {
        en: `${info.path} cannot be restored: the signed anchor beside it (${anchorPathFor(info.path)}) ${what.en} (${anchor.problem}). Copy the backup together with its .anchor.json file, or choose another backup.`,
        nl: `${info.path} kan niet worden teruggezet: het ondertekende anker ernaast (${anchorPathFor(info.path)}) ${what.nl} (${anchor.problem}). Kopieer de back-up samen met zijn .anchor.json-bestand, of kies een andere back-up.`,
      });
    }
    await backup.backup(store.path);
  } finally {
    backup.close();
  }
  // The backup file was written with journal_mode DELETE; the live store keeps using WAL.
  store.sqlite.pragma('journal_mode = WAL');
  // Row changes noted before the restore are about content that is gone; the migrations' own changes
  // are committed by the snapshot below (tracked, they would be refused at commit without an event).
  removeRowTracking(store.sqlite);
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
  let reErased = 0;
  await store.db.transaction().execute(async (trx) => {
    for (const entry of preview.suppressionsAfterBackup) {
      await addSuppression(trx, {
        addressHash: entry.addressHash,
        reason: entry.reason,
        source: entry.source,
        note: entry.note,
        at: entry.createdAt,
      });
    }
    for (const entry of preview.erasuresAfterBackup) {
      const result = await eraseAddressHash(trx, {
        addressHash: entry.addressHash,
        source: entry.source,
        at: entry.createdAt,
      });
      if (result.erased) reErased += 1;
    }
    await appendEvent(trx, {
      type: 'store.restored',
      entity: 'store',
      at: options.at,
      data: {
        backupSha256: info.sha256,
        backupEvents: info.events,
        backupHeadHash: info.headHash,
        replacedHeadSeq: preview.currentHead?.seq ?? 0,
        replacedHeadHash: preview.currentHead?.hash ?? null,
        backupWasAncestor: preview.backupIsAncestor,
        eventsDropped: preview.eventsAfterBackup.count,
        suppressionsCarried: preview.suppressionsAfterBackup.length,
        erasuresCarried: preview.erasuresAfterBackup.length,
      },
    });
  });
  // The restored chain does not extend the old anchor: the new head is anchored at once.
  store.writeAnchor();
  // Erased again: fold the WAL into the file so no copy of their rows lingers there.
  if (preview.erasuresAfterBackup.length > 0) await checkpointStoreChecked(store);
  return {
    ...info,
    replacedHead: preview.currentHead,
    carriedSuppressions: preview.suppressionsAfterBackup.length,
    reErased,
  };
}

/** What a checkpoint of the write-ahead log did (`PRAGMA wal_checkpoint(TRUNCATE)`). */
export interface CheckpointResult {
  /** True when every frame was copied into the file and the WAL was emptied. */
  complete: boolean;
  /** 1 when another connection (a reader or writer) kept the checkpoint from finishing. */
  busy: number;
  /** Frames in the WAL, and how many of them were copied (-1 when the database is not in WAL mode). */
  logFrames: number;
  checkpointedFrames: number;
  /** How many times it was tried. */
  attempts: number;
}

function checkpointOnce(store: Store): Omit<CheckpointResult, 'attempts'> {
  // TRUNCATE waits for readers through the busy handler, synchronously: wait briefly per try, not 5 s.
  const timeout = store.sqlite.pragma('busy_timeout', { simple: true }) as number;
  store.sqlite.pragma('busy_timeout = 250');
  let rows: { busy: number; log: number; checkpointed: number }[];
  try {
    rows = store.sqlite.pragma('wal_checkpoint(TRUNCATE)') as typeof rows;
  } finally {
    store.sqlite.pragma(`busy_timeout = ${timeout}`);
  }
  const [row] = rows;
  const busy = row?.busy ?? 1;
  const logFrames = row?.log ?? -1;
  const checkpointedFrames = row?.checkpointed ?? -1;
  // TRUNCATE leaves log = checkpointed = 0 when the WAL was emptied; not in WAL mode both are -1.
  return { busy, logFrames, checkpointedFrames, complete: busy === 0 && logFrames === checkpointedFrames };
}

/**
 * Folds the write-ahead log back into the database file and empties it, so that data just erased is gone
 * from the WAL too (GDPR art. 17) and a plain file copy is complete. Returns what SQLite reported: a
 * checkpoint that another open reader blocked is `complete: false`, never silently ignored (use
 * `checkpointStoreChecked` to retry).
 *
 * @example
 * await eraseContact(store.db, { email, source: 'APP', at });
 * checkpointStore(store);
 */
export function checkpointStore(store: Store): CheckpointResult {
  return { ...checkpointOnce(store), attempts: 1 };
}

/**
 * `checkpointStore`, retried while another connection keeps it from finishing (a reader in another
 * process holds an old snapshot): up to `attempts` times, `delayMs` apart. The result says whether it
 * completed; the caller reports an incomplete one to the user (the erased data is then still in the WAL
 * until the other program closes).
 *
 * @example
 * const result = await checkpointStoreChecked(store);
 * if (!result.complete) warn('close other programs that have the database open, then erase again');
 */
export async function checkpointStoreChecked(
  store: Store,
  options: { attempts?: number; delayMs?: number } = {},
): Promise<CheckpointResult> {
  const attempts = Math.max(1, options.attempts ?? 5);
  let result = checkpointOnce(store);
  let attempt = 1;
  while (!result.complete && attempt < attempts) {
    await new Promise((done) => setTimeout(done, options.delayMs ?? 200));
    result = checkpointOnce(store);
    attempt += 1;
  }
  return { ...result, attempts: attempt };
}
