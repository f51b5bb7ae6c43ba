import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import canonicalize from 'canonicalize';
import type { AnchorSigner } from './chain-anchor.js';

/**
 * The verified checkpoint: when the store closes a file it opened clean, it signs (with the installation's
 * key) the sha256 of the whole database file together with the chain head, and keeps that beside the file.
 * At the next open a file that is byte for byte the one the store closed needs no walk of the chain and
 * the rows: every byte is covered by the signed digest, so no edit, insert, delete, dropped trigger or
 * re-hashed event can be in it. Any difference (another process wrote, a crash left a WAL, someone edited
 * the file) and the open runs the full walk, as before. Hashing a file is ~100x faster than digesting its
 * rows in JavaScript: this is what makes the check at open fast at any size.
 */
export interface VerifiedCheckpoint {
  format: 'consent-mailer-verified/1';
  /** The chain head when the file was closed. */
  seq: number;
  hash: string;
  /** sha256 (hex) and size in bytes of the database file (its WAL empty). */
  file: string;
  size: number;
  at: string;
  keyFingerprint: string;
  signature: string;
}

/** `<db>.verified.json` beside the database. */
export function checkpointPathFor(databasePath: string): string {
  return `${databasePath}.verified.json`;
}

/** The text the checkpoint's signature covers (RFC 8785 canonical JSON without the signature). */
function checkpointMessage(checkpoint: Omit<VerifiedCheckpoint, 'signature'>): string {
  const text = canonicalize({
    format: checkpoint.format,
    seq: checkpoint.seq,
    hash: checkpoint.hash,
    file: checkpoint.file,
    size: checkpoint.size,
    at: checkpoint.at,
    keyFingerprint: checkpoint.keyFingerprint,
  });
  if (text === undefined) throw new Error('checkpoint cannot be canonicalised');
  return text;
}

/**
 * True when every committed change is in the main file: no WAL, or an empty one. A WAL with frames
 * (another connection open, a crash, a writer killed before its checkpoint) holds state the file's digest
 * does not cover.
 */
function walIsEmpty(databasePath: string): boolean {
  const wal = `${databasePath}-wal`;
  return !existsSync(wal) || statSync(wal).size === 0;
}

/** sha256 (hex) of a file, read in 4 MiB blocks. */
function fileSha256(path: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(4 << 20);
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Signs and writes the checkpoint of a closed database file whose state the store vouches for (it opened
 * it clean and wrote only through itself). Nothing is written when the WAL is not empty (another
 * connection still has the file open): then the next open walks the chain.
 */
export function writeVerifiedCheckpoint(
  databasePath: string,
  head: { seq: number; hash: string },
  signer: AnchorSigner,
  at: string,
): void {
  if (!walIsEmpty(databasePath)) return;
  const size = statSync(databasePath).size;
  const file = fileSha256(databasePath);
  // A writer that started while the file was read makes the digest stale: leave no checkpoint of it.
  if (!walIsEmpty(databasePath) || statSync(databasePath).size !== size) return;
  const body: Omit<VerifiedCheckpoint, 'signature'> = {
    format: 'consent-mailer-verified/1',
    seq: head.seq,
    hash: head.hash,
    file,
    size,
    at,
    keyFingerprint: signer.fingerprint,
  };
  const path = checkpointPathFor(databasePath);
  const partial = `${path}.partial`;
  const checkpoint: VerifiedCheckpoint = { ...body, signature: signer.sign(checkpointMessage(body)) };
  writeFileSync(partial, `${JSON.stringify(checkpoint, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, path);
}

/**
 * The checkpoint beside the file when it holds for the file as it is now: signed by the pinned key, the
 * WAL empty, and the file's size and sha256 what was signed. Undefined otherwise (no checkpoint, a forged
 * or foreign one, or a file that changed since): the caller then walks the chain and the rows in full.
 */
export function matchingCheckpoint(
  databasePath: string,
  signer: AnchorSigner,
): VerifiedCheckpoint | undefined {
  const checkpoint = readCheckpoint(checkpointPathFor(databasePath));
  if (checkpoint === undefined || checkpoint.keyFingerprint !== signer.fingerprint) return undefined;
  if (!walIsEmpty(databasePath) || !existsSync(databasePath)) return undefined;
  if (statSync(databasePath).size !== checkpoint.size) return undefined;
  if (!signer.verify(checkpointMessage(checkpoint), checkpoint.signature)) return undefined;
  if (fileSha256(databasePath) !== checkpoint.file) return undefined;
  // Read last: a writer that began while the file was hashed leaves frames in the WAL.
  return walIsEmpty(databasePath) ? checkpoint : undefined;
}

function readCheckpoint(path: string): VerifiedCheckpoint | undefined {
  if (!existsSync(path)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // Not JSON: no checkpoint (the full walk runs).
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const hex64 = (x: unknown): x is string => typeof x === 'string' && /^[0-9a-f]{64}$/.test(x);
  if (
    v.format !== 'consent-mailer-verified/1' ||
    typeof v.seq !== 'number' ||
    !Number.isInteger(v.seq) ||
    !hex64(v.hash) ||
    !hex64(v.file) ||
    typeof v.size !== 'number' ||
    typeof v.at !== 'string' ||
    typeof v.keyFingerprint !== 'string' ||
    typeof v.signature !== 'string'
  ) {
    return undefined;
  }
  return {
    format: v.format,
    seq: v.seq,
    hash: v.hash,
    file: v.file,
    size: v.size,
    at: v.at,
    keyFingerprint: v.keyFingerprint,
    signature: v.signature,
  };
}
