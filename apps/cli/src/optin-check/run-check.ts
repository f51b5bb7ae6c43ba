import { randomBytes } from 'node:crypto';
import { UserError, type Lang } from '@consent-mailer/policy';
import { confirmClauses } from './confirm-clauses.js';
import { expiryClauses } from './expiry-clauses.js';
import { keyClauses, signatureClauses } from './feed-clauses.js';
import { floodClauses } from './flood-clauses.js';
import { http } from './http.js';
import { openMailbox } from './mailbox.js';
import { readSignupForm } from './signup.js';
import { say } from '../command-kit.js';
import type { CheckContext, ClauseResult } from './types.js';
import { unsubscribeClauses } from './unsubscribe-clauses.js';

export interface CheckOptions {
  url: string;
  imap?: string;
  address?: string;
  feedToken?: string;
  pinnedKey?: string;
  expiredLink?: string;
  waitMs?: number;
  settleMs?: number;
}

export interface CheckReport {
  url: string;
  results: ClauseResult[];
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Runs every clause against the deployment at `options.url`, in an order that keeps the per-IP sign-up
 * limit out of the way (the flood last) and reads the feed after the check's own events are in it.
 */
export async function runOptinCheck(options: CheckOptions): Promise<CheckReport> {
  const base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
  await reachable(base);
  const mailbox = options.imap ? await openMailbox(options.imap) : undefined;
  const context: CheckContext = {
    base,
    ...(mailbox ? { mailbox } : {}),
    ...(options.address ? { address: options.address } : {}),
    ...(options.feedToken ? { feedToken: options.feedToken } : {}),
    ...(options.pinnedKey ? { pinnedKey: options.pinnedKey } : {}),
    ...(options.expiredLink ? { expiredLink: options.expiredLink } : {}),
    waitMs: options.waitMs ?? 60_000,
    settleMs: options.settleMs ?? 20_000,
    runTag: `cm${randomBytes(4).toString('hex')}`,
  };
  try {
    const results: ClauseResult[] = [];
    results.push(...(await keyClauses(context)));
    const form = mailbox ? await readSignupForm(base) : { error: 'no mailbox' };
    const confirm = await confirmClauses(context, form);
    results.push(...confirm.results);
    results.push(...(await expiryClauses(context)));
    results.push(...(await unsubscribeClauses(context, confirm.confirmed)));
    results.push(...(await floodClauses(context, form)));
    results.push(...(await signatureClauses(context)));
    return {
      url: base.href,
      results,
      passed: results.filter((r) => r.status === 'pass').length,
      failed: results.filter((r) => r.status === 'fail').length,
      skipped: results.filter((r) => r.status === 'skipped').length,
    };
  } finally {
    await mailbox?.close();
  }
}

/** The service must answer at all before any clause means something. */
async function reachable(base: URL): Promise<void> {
  try {
    await http(new URL('health', base));
  } catch (error) {
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    const cause = typeof code === 'string' ? code : (error as Error).message;
    throw new UserError('OPTIN_CHECK_UNREACHABLE', {
      en: `The opt-in service at ${base.href} does not answer (${cause}). Check the URL and that the service is running, then run the check again.`,
      nl: `De opt-in-service op ${base.href} antwoordt niet (${cause}). Controleer de URL en of de service draait, en voer de controle opnieuw uit.`,
    });
  }
}

const LABEL = {
  en: { pass: 'PASS', fail: 'FAIL', skipped: 'SKIP' },
  nl: { pass: 'GOED', fail: 'FOUT', skipped: 'OVER' },
};

/** The report as a person reads it: one line per clause, then the totals. */
export function formatReport(report: CheckReport, lang: Lang): string {
  const lines = [
    say(lang, { nl: `Conformiteitscontrole van ${report.url}`, en: `Conformance check of ${report.url}` }),
    ...report.results.map(
      (r) => `  ${LABEL[lang][r.status]}  ${r.id}: ${r.title[lang]}\n        ${r.detail[lang]}`,
    ),
    say(lang, {
      nl: `${report.passed} goed, ${report.failed} fout, ${report.skipped} overgeslagen`,
      en: `${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`,
    }),
  ];
  return lines.join('\n');
}
