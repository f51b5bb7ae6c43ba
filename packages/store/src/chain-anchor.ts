import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { canonicalJson } from './canonical-json.js';

/**
 * Signs and checks anchors with the installation's key. The store never holds the key: the host (the api,
 * which owns the installation's Ed25519 key) passes this in.
 */
export interface AnchorSigner {
  /** The key's fingerprint (`sha256:` + hex of the SPKI DER), written into every anchor. */
  readonly fingerprint: string;
  /** Base64 signature over the UTF-8 bytes of `message`. */
  sign(message: string): string;
  /** True when `signature` over `message` verifies against this (pinned) key. */
  verify(message: string, signature: string): boolean;
}

/** A signed statement of the chain head, kept outside the database (beside it, in backups and exports). */
export interface ChainAnchor {
  format: 'consent-mailer-anchor/1';
  /** Sequence number of the head event (0: an empty chain). */
  seq: number;
  /** Its hash (64 zeros for an empty chain). */
  hash: string;
  /** When the anchor was made (ISO-8601). */
  at: string;
  /** Fingerprint of the key that signed it; null when the installation had no key at hand. */
  keyFingerprint: string | null;
  /** Base64 Ed25519 signature over {@link anchorMessage}; null when unsigned. */
  signature: string | null;
}

/** What the anchor check at open found. */
export type AnchorCheck =
  | { status: 'NONE' } // no anchor file, and none required (an empty chain, or a file from before anchors)
  | { status: 'OK'; anchor: ChainAnchor; signed: boolean }
  | { status: 'INVALID'; anchor: ChainAnchor | null; problem: AnchorProblem };

/** Why an anchor does not hold. */
export type AnchorProblem =
  | 'MISSING' // the chain has events but there is no anchor beside it (deleted, or the file copied without it)
  | 'UNSIGNED' // the installation has its key, but the anchor is unsigned (replaced by one anyone can write)
  | 'UNREADABLE' // not an anchor file
  | 'BAD_SIGNATURE' // the signature does not verify (edited, or forged without the key)
  | 'FOREIGN_KEY' // signed by a key that is not this installation's
  | 'TAIL_CUT' // the chain ends before the anchored head: newest events were deleted
  | 'REWRITTEN'; // the chain has the anchored sequence number with another hash: it was re-hashed

/** The anchor file of a database: `<db>.anchor.json` beside it. */
export function anchorPathFor(databasePath: string): string {
  return `${databasePath}.anchor.json`;
}

/** The exact text an anchor's signature covers (RFC 8785 canonical JSON without the signature). */
export function anchorMessage(anchor: Omit<ChainAnchor, 'signature'>): string {
  return canonicalJson({
    format: anchor.format,
    seq: anchor.seq,
    hash: anchor.hash,
    at: anchor.at,
    keyFingerprint: anchor.keyFingerprint,
  });
}

/** The head of the chain on a connection, read inside whatever transaction is open. */
export function chainHead(sqlite: BetterSqlite3.Database): { seq: number; hash: string } {
  const row = sqlite.prepare('SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  return row ?? { seq: 0, hash: '0'.repeat(64) };
}

/**
 * Makes an anchor of a head, signed when a signer is given.
 *
 * @example
 * const anchor = makeAnchor(chainHead(store.sqlite), signer, new Date().toISOString());
 */
export function makeAnchor(
  head: { seq: number; hash: string },
  signer: AnchorSigner | undefined,
  at: string,
): ChainAnchor {
  const body: Omit<ChainAnchor, 'signature'> = {
    format: 'consent-mailer-anchor/1',
    seq: head.seq,
    hash: head.hash,
    at,
    keyFingerprint: signer?.fingerprint ?? null,
  };
  return { ...body, signature: signer === undefined ? null : signer.sign(anchorMessage(body)) };
}

/** Writes an anchor file whole (a temporary file renamed over it), so a crash never leaves half of one. */
export function writeAnchorFile(path: string, anchor: ChainAnchor): void {
  const partial = `${path}.partial`;
  writeFileSync(partial, `${JSON.stringify(anchor, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, path);
}

/** Reads an anchor file; undefined when there is none, null when it is not an anchor. */
export function readAnchorFile(path: string): ChainAnchor | null | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return parseAnchor(JSON.parse(readFileSync(path, 'utf8')) as unknown);
  } catch {
    // Unparseable JSON is the same finding as a wrong shape: not an anchor.
    return null;
  }
}

/** Checks the shape of an anchor (from a file, an export or a user); null when it is not one. */
export function parseAnchor(value: unknown): ChainAnchor | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (
    v.format !== 'consent-mailer-anchor/1' ||
    typeof v.seq !== 'number' ||
    !Number.isInteger(v.seq) ||
    v.seq < 0 ||
    typeof v.hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(v.hash) ||
    typeof v.at !== 'string' ||
    !(typeof v.keyFingerprint === 'string' || v.keyFingerprint === null) ||
    !(typeof v.signature === 'string' || v.signature === null)
  ) {
    return null;
  }
  return {
    format: v.format,
    seq: v.seq,
    hash: v.hash,
    at: v.at,
    keyFingerprint: v.keyFingerprint,
    signature: v.signature,
  };
}

/**
 * The event that pins the installation's key in the chain: written once, the first time the store signs
 * an anchor of a chain with events. From then on an unsigned anchor, or one signed by another key, is
 * refused even by a command that has no key at hand.
 */
export const ANCHOR_KEY_EVENT = 'ledger.anchor_key';

/** The key fingerprint the chain pins (the latest `ledger.anchor_key`), or null when none does yet. */
export function pinnedAnchorKey(sqlite: BetterSqlite3.Database): string | null {
  const data = sqlite
    .prepare(`SELECT data FROM event WHERE type = ? ORDER BY seq DESC LIMIT 1`)
    .pluck()
    .get(ANCHOR_KEY_EVENT) as string | undefined;
  if (data === undefined) return null;
  const fingerprint = (JSON.parse(data) as { keyFingerprint?: unknown }).keyFingerprint;
  return typeof fingerprint === 'string' ? fingerprint : null;
}

/** How strict {@link checkAnchor} is. */
export interface AnchorCheckOptions {
  /**
   * A chain with events must have an anchor (default true). Only the first open of a file from before
   * anchors existed (its schema lacks the row seal, migration 0160) passes false: see docs/trust-model.md.
   */
  required?: boolean;
}

/**
 * Checks an anchor against the chain on a connection: that there is one when the chain has events, that
 * it is signed and its signature verifies against the pinned key (when the host gives the installation's
 * key as `signer`), and that the chain still contains the anchored head, i.e. extends it. Without a signer
 * only the head can be checked (the signature is not trusted, and `signed` is false).
 *
 * @example
 * const check = checkAnchor(store.sqlite, readAnchorFile(anchorPathFor(path)), signer);
 */
export function checkAnchor(
  sqlite: BetterSqlite3.Database,
  anchor: ChainAnchor | null | undefined,
  signer: AnchorSigner | undefined,
  options: AnchorCheckOptions = {},
): AnchorCheck {
  if (anchor === undefined) {
    const required = options.required !== false && chainHead(sqlite).seq > 0;
    return required ? { status: 'INVALID', anchor: null, problem: 'MISSING' } : { status: 'NONE' };
  }
  if (anchor === null) return { status: 'INVALID', anchor: null, problem: 'UNREADABLE' };
  const pinned = pinnedAnchorKey(sqlite);
  if (anchor.signature === null) {
    // Once the chain pins a key, an unsigned anchor is what anyone who can write the folder can make
    // (the store never writes one over a pinned chain). Unpinned, it is an installation without a key yet.
    if (pinned !== null) return { status: 'INVALID', anchor, problem: 'UNSIGNED' };
  } else {
    const expected = signer?.fingerprint ?? pinned;
    if (expected !== null && anchor.keyFingerprint !== expected) {
      return { status: 'INVALID', anchor, problem: 'FOREIGN_KEY' };
    }
    if (signer !== undefined && !signer.verify(anchorMessage(anchor), anchor.signature)) {
      return { status: 'INVALID', anchor, problem: 'BAD_SIGNATURE' };
    }
  }
  if (anchor.seq > 0) {
    const row = sqlite.prepare('SELECT hash FROM event WHERE seq = ?').get(anchor.seq) as
      { hash: string } | undefined;
    if (row === undefined) return { status: 'INVALID', anchor, problem: 'TAIL_CUT' };
    if (row.hash !== anchor.hash) return { status: 'INVALID', anchor, problem: 'REWRITTEN' };
  } else if (anchor.hash !== '0'.repeat(64)) {
    return { status: 'INVALID', anchor, problem: 'REWRITTEN' };
  }
  return { status: 'OK', anchor, signed: signer !== undefined && anchor.signature !== null };
}

/**
 * What an anchor problem means, in English and Dutch, for the messages of open, `audit verify` and restore.
 *
 * @example
 * describeAnchorProblem('MISSING', null).en; // 'is missing: …'
 */
export function describeAnchorProblem(
  problem: AnchorProblem,
  anchor: Pick<ChainAnchor, 'seq'> | null,
): { en: string; nl: string } {
  const seq = anchor?.seq ?? '?';
  switch (problem) {
    case 'MISSING':
      return {
        en: 'is missing, while the event log has events: it was deleted, or the database was copied without it',
        nl: 'ontbreekt, terwijl het logboek gebeurtenissen heeft: het is verwijderd, of de database is zonder anker gekopieerd',
      };
    case 'UNSIGNED':
      return {
        en: 'is not signed, while the event log pins the installation key that signed it before: it was replaced by one anyone could write',
        nl: 'is niet ondertekend, terwijl het logboek de installatiesleutel vastlegt die het eerder ondertekende: het is vervangen door een dat iedereen kan schrijven',
      };
    case 'UNREADABLE':
      return { en: 'is not an anchor file', nl: 'is geen ankerbestand' };
    case 'BAD_SIGNATURE':
      return { en: 'has a signature that does not verify', nl: 'heeft een handtekening die niet klopt' };
    case 'FOREIGN_KEY':
      return {
        en: "is signed with another installation's key",
        nl: 'is ondertekend met de sleutel van een andere installatie',
      };
    case 'TAIL_CUT':
      return {
        en: `names event ${seq}, but the event log ends before it: the newest events were deleted`,
        nl: `noemt gebeurtenis ${seq}, maar het logboek eindigt ervoor: de nieuwste gebeurtenissen zijn verwijderd`,
      };
    case 'REWRITTEN':
      return {
        en: `names event ${seq} with another hash: the event log was rewritten`,
        nl: `noemt gebeurtenis ${seq} met een andere hash: het logboek is herschreven`,
      };
  }
}
