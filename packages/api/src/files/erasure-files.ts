import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { domainToUnicode } from 'node:url';
import { redactRejectsCsv } from '@consent-mailer/importer';
import {
  backupsHoldingAddress,
  type AddressIdentity,
  type BackupHoldingPerson,
  type Store,
  importRejectsPaths,
} from '@consent-mailer/store';

/** What an erasure cleaned up outside the database. */
export interface ErasureFileReport {
  /** Rejects reports of earlier imports, and how many of their rows mentioned the person. */
  rejectsRedacted: { path: string; rows: number }[];
  /** Uploaded import files left in the data folder that contained the address, deleted. */
  uploadsDeleted: string[];
  /** Backups in the data folder's backups/ that still hold the person; erasing them is the user's call. */
  backupsHoldingPerson: BackupHoldingPerson[];
}

/** The texts that identify the person in a file: the address in its forms, and their names. */
export function erasureNeedles(
  identity: AddressIdentity,
  names: readonly (string | null | undefined)[],
): string[] {
  const at = identity.email.lastIndexOf('@');
  const unicodeDomain = domainToUnicode(identity.email.slice(at + 1));
  const forms = [identity.email, identity.spelling];
  if (unicodeDomain !== '') forms.push(`${identity.email.slice(0, at)}@${unicodeDomain}`);
  const extra = names.filter((name): name is string => typeof name === 'string' && name.trim().length >= 3);
  return [...new Set([...forms, ...extra])];
}

/** Writes `text` to `path` through a temporary file and a rename, so a crash leaves the old or the new file. */
function replaceFile(path: string, text: string): void {
  const partial = `${path}.redacting`;
  writeFileSync(partial, text, { mode: 0o600 });
  renameSync(partial, path);
}

/**
 * Removes the person from the files an import left beside the database: rows of rejects reports that
 * mention them, and uploaded import files (normally deleted when their import ends) that contain the
 * address. Then lists the backups in the data folder that still hold them, with their dates, so the user
 * can decide about those (restoring one re-applies the erasure: see `restoreStore`).
 *
 * @example
 * const report = await cleanUpAfterErasure(ctx.store, ctx.dataDir, identity, needles);
 */
export async function cleanUpAfterErasure(
  store: Store,
  dataDir: string,
  identity: AddressIdentity,
  needles: readonly string[],
): Promise<ErasureFileReport> {
  const report: ErasureFileReport = { rejectsRedacted: [], uploadsDeleted: [], backupsHoldingPerson: [] };
  for (const path of await importRejectsPaths(store.db)) {
    if (!existsSync(path)) continue;
    const { text, removed } = redactRejectsCsv(readFileSync(path, 'utf8'), needles);
    if (removed === 0) continue;
    replaceFile(path, text);
    report.rejectsRedacted.push({ path, rows: removed });
  }

  const uploads = join(dataDir, 'uploads');
  if (existsSync(uploads)) {
    const lowered = needles.slice(0, 3).map((needle) => needle.toLowerCase());
    for (const name of readdirSync(uploads)) {
      const path = join(uploads, name);
      if (!statSync(path).isFile()) continue;
      // latin1 keeps every byte; ASCII addresses match whatever the file's encoding was.
      const content = readFileSync(path).toString('latin1').toLowerCase();
      if (lowered.some((needle) => content.includes(needle))) {
        rmSync(path, { force: true });
        report.uploadsDeleted.push(path);
      }
    }
  }

  report.backupsHoldingPerson = backupsHoldingAddress(
    join(dataDir, 'backups'),
    identity,
    store.nativeBinding === undefined ? {} : { nativeBinding: store.nativeBinding },
  );
  return report;
}
