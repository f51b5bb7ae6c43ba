import type { Mailbox } from './mailbox.js';

export type ClauseStatus = 'pass' | 'fail' | 'skipped';

/** A text in both languages the CLI speaks. */
export interface Bilingual {
  en: string;
  nl: string;
}

/** One clause of the conformance check and what was found. */
export interface ClauseResult {
  id: string;
  title: Bilingual;
  status: ClauseStatus;
  detail: Bilingual;
}

/** What the clauses need: the service's address and, when given, a mailbox and the feed token. */
export interface CheckContext {
  base: URL;
  mailbox?: Mailbox;
  /** Where confirmation mails are read: plus-addresses of it are used, one per clause group. */
  address?: string;
  feedToken?: string;
  /** Pinned key fingerprint (`sha256:` + hex of the SPKI DER). */
  pinnedKey?: string;
  /** A confirmation link older than the service's token lifetime, kept by the hoster. */
  expiredLink?: string;
  /** How long to wait for a mail to arrive. */
  waitMs: number;
  /** How long to keep watching the mailbox for mails that must not come. */
  settleMs: number;
  /** A fresh tag for this run, so plus-addresses are new each time. */
  runTag: string;
}

export function result(id: string, title: Bilingual, status: ClauseStatus, detail: Bilingual): ClauseResult {
  return { id, title, status, detail };
}

export const NEEDS_IMAP: Bilingual = {
  en: 'skipped: needs --imap and --address',
  nl: 'overgeslagen: vraagt --imap en --address',
};

export const NEEDS_FEED: Bilingual = {
  en: 'skipped: needs --feed-token',
  nl: 'overgeslagen: vraagt --feed-token',
};

/** A plus-address of the probe mailbox for one purpose: new for every run. */
export function probeAddress(context: CheckContext, purpose: string): string | undefined {
  if (!context.address) return undefined;
  const at = context.address.lastIndexOf('@');
  return `${context.address.slice(0, at)}+${context.runTag}${purpose}${context.address.slice(at)}`;
}
