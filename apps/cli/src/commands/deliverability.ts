import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Argument, type Command } from 'commander';
import { commandGroup, wholeNumber } from '../command-kit.js';
import { UserError } from '@consent-mailer/policy';
import { CliUsageError, output, withCaller, type CliIo, type GlobalOptions } from '../runtime.js';
import { secretVariableName } from '../secrets.js';

const limit = (value: number | null | undefined) => (value ? String(value) : '-');

/**
 * `smtp dkim|pacing|pacing-set|history|self-test`: the deliverability settings of issue 18 (the DNS check
 * itself is `smtp auth`). Listed after mailing.ts in the registry, whose `smtp` group these join.
 */
export function registerDeliverabilityCommands(program: Command, io: CliIo): void {
  const smtp = commandGroup(program, 'smtp', 'SMTP profiles: your own mail server and its limits');

  smtp
    .command('dkim')
    .description('set or replace the DKIM signing of a profile; a key that cannot sign is refused')
    .argument('<name>', 'profile name')
    .option('--domain <domain>', 'signing domain (d=)')
    .option('--selector <selector>', 'selector (s=): the key is published at <selector>._domainkey.<domain>')
    .option('--key-file <file>', 'the private key (PEM); else it is read from the secret variable')
    .option('--remove', 'stop signing with DKIM')
    .action(
      async (
        name: string,
        o: { domain?: string; selector?: string; keyFile?: string; remove?: boolean },
        cmd: Command,
      ) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        if (!o.remove && !(o.domain && o.selector))
          throw new CliUsageError('give --domain and --selector (or --remove)');
        const key = o.keyFile ? readFileSync(resolve(o.keyFile), 'utf8') : undefined;
        await withCaller(opts, io, async (caller) => {
          const result = await caller.smtp.setDkim({
            profile: name,
            dkimDomain: o.remove ? null : (o.domain ?? null),
            dkimSelector: o.remove ? null : (o.selector ?? null),
            ...(key ? { dkimPrivateKey: key } : {}),
            lang: opts.lang ?? 'en',
          });
          output(io, opts, result, () =>
            result.dkim
              ? [
                  `DKIM for ${name}: domain ${result.dkim.domain}, selector ${result.dkim.selector}; the key signs and verifies.`,
                  ...(result.dkimRecord
                    ? [`  publish: ${result.dkimRecord.name} TXT "${result.dkimRecord.value}"`]
                    : []),
                  ...result.warnings.map((w) => `  note: ${w.text}`),
                  // The CLI keeps no secrets between runs: sending reads the key from the environment.
                  `  when sending, the key (PEM) is read from ${secretVariableName(`dkim:${name}`)}`,
                ].join('\n')
              : `DKIM signing removed from ${name}.`,
          );
        });
      },
    );

  smtp
    .command('pacing')
    .description('show the pace per recipient domain (provider defaults, your overrides) and today’s warm-up')
    .argument('<name>', 'profile name')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const pacing = await caller.smtp.pacing({ profile: name });
        output(io, opts, pacing, () =>
          [
            `Sending history: ${pacing.sendingHistory === 'NEW' ? 'new (warm-up applies)' : 'established'}`,
            pacing.warmup
              ? `Warm-up day ${pacing.warmup.day}: at most ${pacing.warmup.perDay} messages today`
              : 'No warm-up limit today',
            'Your overrides (per minute / hour / day):',
            ...(pacing.overrides.length
              ? pacing.overrides.map(
                  (o) => `  ${o.domain}: ${limit(o.perMinute)} / ${limit(o.perHour)} / ${limit(o.perDay)}`,
                )
              : ['  none']),
            'Provider defaults (per minute / hour / day):',
            ...pacing.defaults.map(
              (d) =>
                `  ${d.domains.join(', ')}: ${limit(d.limits.perMinute)} / ${limit(d.limits.perHour)} / ${limit(d.limits.perDay)}`,
            ),
          ].join('\n'),
        );
      });
    });

  smtp
    .command('pacing-set')
    .description('set the pace for one recipient domain (no limits given: remove your setting)')
    .argument('<name>', 'profile name')
    .argument('<domain>', 'recipient domain, e.g. ziggo.nl')
    .option('--per-minute <n>', 'at most per minute', wholeNumber('--per-minute'))
    .option('--per-hour <n>', 'at most per hour', wholeNumber('--per-hour'))
    .option('--per-day <n>', 'at most per day', wholeNumber('--per-day'))
    .action(
      async (
        name: string,
        domain: string,
        o: { perMinute?: number; perHour?: number; perDay?: number },
        cmd: Command,
      ) => {
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        await withCaller(opts, io, async (caller) => {
          const result = await caller.smtp.setPacing({
            profile: name,
            domain,
            perMinute: o.perMinute || null,
            perHour: o.perHour || null,
            perDay: o.perDay || null,
          });
          output(io, opts, result, () =>
            result.perMinute || result.perHour || result.perDay
              ? `${result.domain}: ${limit(result.perMinute)} / ${limit(result.perHour)} / ${limit(result.perDay)} (per minute / hour / day)`
              : `${result.domain}: your setting removed; the provider default applies.`,
          );
        });
      },
    );

  smtp
    .command('history')
    .description('say whether the sending domain / IP is new (warm-up applies) or established')
    .argument('<name>', 'profile name')
    .addArgument(new Argument('<history>', 'new or established').choices(['new', 'established']))
    .action(async (name: string, history: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const row = await caller.smtp.setSendingHistory({
          profile: name,
          history: history === 'new' ? 'NEW' : 'ESTABLISHED',
        });
        output(io, opts, row, () =>
          row.sendingHistory === 'NEW'
            ? `${name}: new sending domain; the warm-up schedule applies from the first send.`
            : `${name}: established; no warm-up schedule.`,
        );
      });
    });

  smtp
    .command('self-test')
    .description('sign a sample message as a send would and check it as a receiver would (SPF, DKIM, DMARC)')
    .argument('<name>', 'profile name')
    .option('--raw', 'also print the whole signed message')
    .action(async (name: string, o: { raw?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const result = await caller.smtp.selfTest({ profile: name });
        const verdicts = `SPF: ${result.spf}; DKIM: ${result.dkim.map((d) => d.result).join(', ') || 'none'}; DMARC: ${result.dmarc?.result ?? 'none'}`;
        const report = () =>
          [
            result.ok
              ? 'Self-test passed: aligned DKIM and DMARC pass.'
              : 'Self-test NOT passed: receivers will distrust this mail.',
            verdicts,
            result.authenticationHeaders.trimEnd(),
            ...(o.raw ? ['', result.raw] : []),
          ].join('\n');
        if (result.ok) {
          output(io, opts, result, report);
          return;
        }
        // A failed self-test fails the command (exit code 1), so a script or a hoster's check notices; the
        // report goes to stdout, the verdict once as the error (as `verify` does).
        if (!opts.json) io.stdout.write(`${report()}\n`);
        throw new UserError('SMTP_SELF_TEST_FAILED', {
          en: `The self-test did not pass (${verdicts}). Publish the DNS records "consent-mailer smtp auth ${name}" shows, wait for DNS to update, then run the self-test again.`,
          nl: `De zelftest is niet geslaagd (${verdicts}). Publiceer de DNS-records die "consent-mailer smtp auth ${name}" toont, wacht tot DNS is bijgewerkt en voer de zelftest opnieuw uit.`,
        });
      });
    });
}
