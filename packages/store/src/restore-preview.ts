import BetterSqlite3 from 'better-sqlite3';
import type { Executor } from './event-log.js';
import type { BackupInfo } from './store-backup.js';
import type { SuppressionReason } from './suppression.table.js';

/** A suppression (or erasure) the open store has and the backup has not. */
export interface LaterSuppression {
  addressHash: string;
  reason: SuppressionReason;
  source: string;
  note: string | null;
  createdAt: string;
}

/** What restoring a backup would lose, and what it carries forward. */
export interface RestorePreview {
  backup: BackupInfo;
  /** The head of the open store's chain, which the restore replaces (recorded in `store.restored`). */
  currentHead: { seq: number; hash: string } | null;
  /** True when the backup's chain is the start of the open store's chain (it was taken from this file). */
  backupIsAncestor: boolean;
  /** Events of the open store after the backup's head: what the restore takes away. */
  eventsAfterBackup: { count: number; byType: Record<string, number> };
  /** Opt-outs made after the backup: carried forward, never lost. */
  suppressionsAfterBackup: LaterSuppression[];
  /** Erasures made after the backup: those people are erased again after the restore. */
  erasuresAfterBackup: LaterSuppression[];
  /** Contacts the open store has more than the backup (negative when the backup has more). */
  contactsDifference: number;
}

/**
 * Compares the open store with a backup file (checked already: `inspectBackup`) without changing either:
 * the events after the backup's head, and the suppressions and erasures the backup lacks.
 */
export async function compareWithBackup(
  db: Executor,
  info: BackupInfo,
  options: { nativeBinding?: string } = {},
): Promise<RestorePreview> {
  const backup = new BetterSqlite3(info.path, {
    readonly: true,
    fileMustExist: true,
    ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
  });
  let backupKeys: Set<string>;
  let backupContacts: number;
  try {
    const rows = backup.prepare('SELECT address_hash, reason FROM suppression').all() as {
      address_hash: string;
      reason: string;
    }[];
    backupKeys = new Set(rows.map((row) => `${row.address_hash}|${row.reason}`));
    backupContacts = (backup.prepare('SELECT count(*) AS n FROM contact').get() as { n: number }).n;
  } finally {
    backup.close();
  }
  const head = await db
    .selectFrom('event')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const atBackupHead =
    info.events === 0
      ? undefined
      : await db.selectFrom('event').select('hash').where('seq', '=', info.events).executeTakeFirst();
  const backupIsAncestor = info.events === 0 || atBackupHead?.hash === info.headHash;
  const byTypeRows = await db
    .selectFrom('event')
    .select((eb) => ['type', eb.fn.countAll<number>().as('n')])
    .where('seq', '>', info.events)
    .groupBy('type')
    .execute();
  const byType: Record<string, number> = {};
  let count = 0;
  for (const row of byTypeRows) {
    byType[row.type] = Number(row.n);
    count += Number(row.n);
  }
  const later = (await db.selectFrom('suppression').selectAll().orderBy('id').execute())
    .filter((row) => !backupKeys.has(`${row.address_hash}|${row.reason}`))
    .map((row) => ({
      addressHash: row.address_hash,
      reason: row.reason,
      source: row.source,
      note: row.note,
      createdAt: row.created_at,
    }));
  const contacts = await db
    .selectFrom('contact')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    backup: info,
    currentHead: head === undefined ? null : { seq: head.seq, hash: head.hash },
    backupIsAncestor,
    eventsAfterBackup: { count, byType },
    suppressionsAfterBackup: later.filter((entry) => entry.reason !== 'ERASED'),
    erasuresAfterBackup: later.filter((entry) => entry.reason === 'ERASED'),
    contactsDifference: Number(contacts.n) - backupContacts,
  };
}
