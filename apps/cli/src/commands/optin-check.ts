import { UserError, type Lang } from '@consent-mailer/policy';
import type { Command } from 'commander';
import { commandGroup } from '../command-kit.js';
import { CliUsageError, output, type CliIo, type GlobalOptions } from '../runtime.js';

const seconds = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new CliUsageError(`${name} must be a number of seconds, got "${value}"`);
  return n;
};

interface CheckFlags {
  imap?: string;
  address?: string;
  feedToken?: string;
  key?: string;
  expiredLink?: string;
  wait?: number;
  settle?: number;
}

/**
 * `optin check URL`: the conformance check a hoster runs against any deployment of the opt-in service.
 * Listed after optin.ts in the registry, whose `optin` group it joins.
 */
export function registerOptinCheckCommands(program: Command, io: CliIo): void {
  commandGroup(program, 'optin', 'the opt-in service: sign-ups, double opt-in and one-click unsubscribe')
    .command('check')
    .description(
      'conformance check of an opt-in service: scanner-proof double opt-in, single-use tokens, flood limit, RFC 8058 one-click, signed feed (signs up plus-addresses of --address)',
    )
    .argument('<url>', 'the service, e.g. https://optin.yourshop.nl')
    .option('--imap <url>', 'probe mailbox, imaps://user:password@host/INBOX (or OPTIN_CHECK_IMAP)')
    .option('--address <address>', 'the probe mailbox address; the check signs up plus-addresses of it')
    .option(
      '--feed-token <token>',
      'the feed token (or OPTIN_FEED_TOKEN), for the clauses that read the feed',
    )
    .option('--key <fingerprint>', 'the pinned key fingerprint (sha256:…) the service must have')
    .option('--expired-link <url>', 'a confirmation link older than the service’s token lifetime')
    .option('--wait <seconds>', 'how long to wait for a mail (default 60)', seconds('--wait'))
    .option(
      '--settle <seconds>',
      'how long to watch for mails that must not come (default 20)',
      seconds('--settle'),
    )
    .action(async (url: string, o: CheckFlags, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const lang = opts.lang ?? 'en';
      const imap = o.imap ?? io.env.OPTIN_CHECK_IMAP;
      const feedToken = o.feedToken ?? io.env.OPTIN_FEED_TOKEN;
      if (!/^https?:\/\//.test(url))
        throw new CliUsageError(`the URL must start with https:// (got "${url}")`);
      if (imap && !o.address)
        throw new CliUsageError('give --address with --imap: the probe mailbox’s address');
      if (o.address && !/^[^@\s+]+@[^@\s]+$/.test(o.address))
        throw new CliUsageError(`--address must be a plain address without +tag (got "${o.address}")`);
      // Loaded only when the check runs, so other commands do not parse imapflow.
      const { formatReport, normalizeFingerprint, runOptinCheck } = await import('../optin-check/index.js');
      const pinnedKey = o.key === undefined ? undefined : normalizeFingerprint(o.key);
      if (o.key !== undefined && !pinnedKey)
        throw new CliUsageError(`--key must be a fingerprint like sha256:<64 hex> (got "${o.key}")`);
      const report = await runOptinCheck({
        url,
        ...(imap ? { imap } : {}),
        ...(o.address ? { address: o.address } : {}),
        ...(feedToken ? { feedToken } : {}),
        ...(pinnedKey ? { pinnedKey } : {}),
        ...(o.expiredLink ? { expiredLink: o.expiredLink } : {}),
        ...(o.wait === undefined ? {} : { waitMs: o.wait * 1000 }),
        ...(o.settle === undefined ? {} : { settleMs: o.settle * 1000 }),
      });
      if (report.failed === 0) {
        output(io, opts, report, () => formatReport(report, lang));
        return;
      }
      // As `verify` does: the report on stdout for a person; with --json only the error (naming each failed clause).
      if (!opts.json) io.stdout.write(`${formatReport(report, lang)}\n`);
      const failed = (which: Lang) =>
        report.results
          .filter((r) => r.status === 'fail')
          .map((r) => `${r.id}: ${r.detail[which]}`)
          .join('; ');
      throw new UserError('OPTIN_CHECK_FAILED', {
        en: `${report.failed} clause${report.failed === 1 ? '' : 's'} failed: this deployment does not conform (${failed('en')}). Fix what the FAIL lines name and run the check again.`,
        nl: `${report.failed} ${report.failed === 1 ? 'clausule faalde' : 'clausules faalden'}: deze installatie voldoet niet (${failed('nl')}). Herstel wat de FOUT-regels noemen en voer de controle opnieuw uit.`,
      });
    });
}
