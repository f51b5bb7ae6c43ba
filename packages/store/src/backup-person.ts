import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { AddressIdentity } from './address-identity.js';

/** A backup file that still holds an erased person. */
export interface BackupHoldingPerson {
  path: string;
  /** When the backup file was written (ISO-8601). */
  modifiedAt: string;
}

/**
 * The backups (`*.sqlite` in `folder`) that still hold a person: their contact row (any case of the
 * address), an outbox row with the address, or a personal event payload about them. An erasure cannot
 * reach into backups; the user is told which ones, with their dates, and a restore of one erases the
 * person again (see `restoreStore`). Files that are not databases are skipped.
 *
 * @example
 * const holding = backupsHoldingAddress(join(dataDir, 'backups'), addressIdentity('jan@example.nl'));
 */
export function backupsHoldingAddress(
  folder: string,
  identity: AddressIdentity,
  options: { nativeBinding?: string } = {},
): BackupHoldingPerson[] {
  if (!existsSync(folder)) return [];
  const holding: BackupHoldingPerson[] = [];
  for (const name of readdirSync(folder).sort()) {
    if (!name.endsWith('.sqlite')) continue;
    const path = join(folder, name);
    if (holds(path, identity, options.nativeBinding))
      holding.push({ path, modifiedAt: statSync(path).mtime.toISOString() });
  }
  return holding;
}

function holds(path: string, identity: AddressIdentity, nativeBinding: string | undefined): boolean {
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(path, {
      readonly: true,
      fileMustExist: true,
      ...(nativeBinding === undefined ? {} : { nativeBinding }),
    });
  } catch {
    // Not a database (a half-written copy): a restore could not use it either.
    return false;
  }
  const hashes = JSON.stringify([
    identity.hash,
    ...(identity.legacyHash === null ? [] : [identity.legacyHash]),
  ]);
  try {
    const found = db
      .prepare(
        `SELECT 1 FROM contact WHERE lower(email) = ? OR address_hash IN (SELECT value FROM json_each(?))
         UNION ALL SELECT 1 FROM delivery WHERE email IS NOT NULL AND address_hash IN (SELECT value FROM json_each(?))
         UNION ALL SELECT 1 FROM event_personal WHERE subject_hash IN (SELECT value FROM json_each(?))
         LIMIT 1`,
      )
      .get(identity.email, hashes, hashes, hashes);
    return found !== undefined;
  } catch {
    // Not a Consent Mailer database.
    return false;
  } finally {
    db.close();
  }
}
