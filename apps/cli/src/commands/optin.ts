import { OPTIN_TOKEN_KEY } from '@consent-mailer/api';
import { UserError } from '@consent-mailer/policy';
import type { OptinFeedResult } from '@consent-mailer/store';
import type { Command } from 'commander';
import { output, withCaller, type CliIo, type GlobalOptions, type Lang } from '../runtime.js';
import { say } from '../command-kit.js';
import { secretVariableName } from '../secrets.js';

// What a pull did, as the store counts it.
type PullCounts = OptinFeedResult;

function pullLine(result: PullCounts, lang: Lang): string {
  return say(lang, {
    nl: `${result.recorded} nieuwe gebeurtenis(sen) opgehaald en gecontroleerd (${result.confirmed} bevestigde aanmelding(en), ${result.suppressed} afmelding(en), ${result.pending} aanmelding(en) wachten op bevestiging; ${result.duplicates} al aanwezig). Tot en met nummer ${result.lastSeq}.`,
    en: `${result.recorded} new event(s) pulled and verified (${result.confirmed} confirmed sign-up(s), ${result.suppressed} unsubscribe(s), ${result.pending} sign-up(s) awaiting confirmation; ${result.duplicates} already held). Up to number ${result.lastSeq}.`,
  });
}

/** `optin pair|pull|status|reconfirm|reconfirm-status|unpair`: the opt-in service the business runs online (issue 15). */
export function registerOptinCommands(program: Command, io: CliIo): void {
  const optin = program
    .command('optin')
    .description('the opt-in service: pair with it, pull its signed sign-ups and unsubscribes');
  const variable = secretVariableName(OPTIN_TOKEN_KEY);

  optin
    .command('pair')
    .description(`pair with a service and pin its signing key (token from --token or ${variable})`)
    .argument('<url>', 'the service address, e.g. https://optin.yourshop.nl')
    .option('--token <token>', `the feed token of the service (default: ${variable})`)
    .requiredOption('--entity <id>', 'the sender entity the sign-ups give consent to')
    .action(async (url: string, o: { token?: string; entity: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const lang: Lang = opts.lang ?? 'en';
      const token = o.token ?? io.env[variable];
      if (!token) {
        throw new UserError('OPTIN_TOKEN_MISSING', {
          en: `Give the service's feed token with --token, or set ${variable}, then run this again.`,
          nl: `Geef het feedtoken van de service met --token, of zet ${variable}, en voer dit opnieuw uit.`,
        });
      }
      await withCaller(opts, io, async (caller) => {
        const result = await caller.optin.pair({ url, token, senderEntityId: o.entity });
        output(io, opts, result, () => {
          const s = result.service;
          const lines = say(lang, {
            nl: [
              `Gekoppeld aan ${s.url} voor afzender ${s.senderEntityId}.`,
              `Ondertekensleutel vastgelegd, vingerafdruk (sha256): ${s.keyFingerprint}`,
              '  Vergelijk die met de sleutel die de service toont (GET /key) langs een andere weg.',
              `Het feedtoken komt niet in de database. Zet voor latere opdrachten ${variable}.`,
            ],
            en: [
              `Paired with ${s.url} for sender entity ${s.senderEntityId}.`,
              `Signing key pinned, fingerprint (sha256): ${s.keyFingerprint}`,
              '  Compare it with the key the service shows (GET /key) through another channel.',
              `The feed token is not kept in the database. Set ${variable} for later commands.`,
            ],
          });
          if (result.pulled) lines.push(pullLine(result.pulled, lang));
          if (result.pullError) lines.push(`${result.pullError.code}: ${result.pullError[lang]}`);
          return lines.join('\n');
        });
      });
    });

  optin
    .command('pull')
    .description('pull the signed events now (each page verified against the pinned key, in order)')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const lang: Lang = opts.lang ?? 'en';
      await withCaller(opts, io, async (caller) => {
        const result = await caller.optin.pull();
        output(io, opts, result, () => pullLine(result, lang));
      });
    });

  optin
    .command('status')
    .description('the pairing, when it last pulled, and the latest sign-ups and unsubscribes')
    .option('--limit <n>', 'latest events to show (default 20)', (v) => Number(v))
    .action(async (o: { limit?: number }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const lang: Lang = opts.lang ?? 'en';
      await withCaller(opts, io, async (caller) => {
        const status = await caller.optin.status(
          o.limit !== undefined && Number.isInteger(o.limit) && o.limit > 0 ? { limit: o.limit } : undefined,
        );
        output(io, opts, status, () => {
          if (!status.paired)
            return say(lang, {
              nl: 'Niet gekoppeld aan een opt-in-service (optin pair <url> --token <token> --entity <id>).',
              en: 'Not paired with an opt-in service (optin pair <url> --token <token> --entity <id>).',
            });
          const s = status.service;
          const lines = [
            say(lang, {
              nl: `Gekoppeld aan ${s.url} (afzender ${s.senderEntityId}) sinds ${s.pairedAt}`,
              en: `Paired with ${s.url} (sender entity ${s.senderEntityId}) since ${s.pairedAt}`,
            }),
            `${say(lang, { nl: 'Sleutel', en: 'Key' })} (sha256): ${s.keyFingerprint}`,
            say(lang, {
              nl: `Laatste goede ophaalronde: ${s.lastPullOkAt ?? 'nooit'}; tot en met nummer ${s.lastPulledSeq}`,
              en: `Last good pull: ${s.lastPullOkAt ?? 'never'}; up to number ${s.lastPulledSeq}`,
            }),
          ];
          if (s.lastPullError)
            lines.push(`${say(lang, { nl: 'Laatste fout', en: 'Last error' })}: ${s.lastPullError}`);
          if (s.stale)
            lines.push(
              say(lang, {
                nl: 'LET OP: langer dan 24 uur niet opgehaald; versturen wordt geweigerd tot "optin pull" lukt.',
                en: 'WARNING: not pulled for more than 24 hours; sending is refused until "optin pull" succeeds.',
              }),
            );
          const counts = Object.entries(status.counts.byType)
            .map(([type, n]) => `${n} ${type}`)
            .join(', ');
          lines.push(
            say(lang, {
              nl: `Ontvangen: ${counts || 'nog niets'}; ${status.counts.pendingSignups} aanmelding(en) wachten op bevestiging`,
              en: `Received: ${counts || 'nothing yet'}; ${status.counts.pendingSignups} sign-up(s) awaiting confirmation`,
            }),
          );
          for (const event of status.latest)
            lines.push(
              `  #${event.seq} ${event.at} ${event.type} ${event.email ?? ''} ${event.lists.join(',')} -> ${event.outcome}`.replace(
                /\s+-> /,
                ' -> ',
              ),
            );
          return lines.join('\n');
        });
      });
    });

  optin
    .command('reconfirm')
    .description(
      "ask the mailing's single opt-in, phone, paper and stale double opt-in contacts to confirm, through the service",
    )
    .argument('<mailing>', 'the mailing id')
    .option('--language <nl|en>', 'language of the request mail (default: --lang, else nl)')
    .action(async (mailingId: string, o: { language?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const lang: Lang = opts.lang ?? 'en';
      const language = o.language === 'en' || o.language === 'nl' ? o.language : (opts.lang ?? 'nl');
      await withCaller(opts, io, async (caller) => {
        const started = await caller.optin.reconfirm({ mailingId, language });
        let job = await caller.optin.reconfirmProgress({ jobId: started.jobId });
        while (job.state === 'running') {
          await new Promise((resolve) => setTimeout(resolve, 100));
          job = await caller.optin.reconfirmProgress({ jobId: started.jobId });
        }
        if (job.state !== 'succeeded' || !job.result) {
          const text = job.error?.text;
          throw new UserError(job.error?.code ?? 'OPTIN_RECONFIRM_FAILED', {
            en: `The confirmation requests stopped after ${job.progress.done} of ${started.candidates}: ${text?.en ?? job.error?.message ?? job.state}`,
            nl: `De bevestigingsverzoeken stopten na ${job.progress.done} van ${started.candidates}: ${text?.nl ?? job.error?.message ?? job.state}`,
          });
        }
        const c = job.result.counts;
        output(io, opts, job.result, () =>
          say(lang, {
            nl: `${started.candidates} contact(en) mogen om bevestiging gevraagd worden: ${c.sent} verzoek(en) verstuurd, ${c.suppressed} op de afmeldlijst van de service, ${c.limited} te vaak gevraagd, ${c.mail_failed} mail mislukt, ${c.invalid} ongeldig adres. Haal later op met "optin pull" en bekijk "optin reconfirm-status ${mailingId}".`,
            en: `${started.candidates} contact(s) may be asked to confirm: ${c.sent} request(s) sent, ${c.suppressed} on the service's suppression list, ${c.limited} asked too often, ${c.mail_failed} mail failed, ${c.invalid} invalid address. Pull later with "optin pull" and see "optin reconfirm-status ${mailingId}".`,
          }),
        );
      });
    });

  optin
    .command('reconfirm-status')
    .description('how many people were asked to confirm, and how many did (as pulled)')
    .argument('[mailing]', 'the mailing id (default: all requests)')
    .action(async (mailingId: string | undefined, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const lang: Lang = opts.lang ?? 'en';
      await withCaller(opts, io, async (caller) => {
        const status = await caller.optin.reconfirmStatus(mailingId === undefined ? {} : { mailingId });
        output(io, opts, status, () => {
          const lines = say(lang, {
            nl: [`${status.confirmed} van ${status.requested} gevraagde contact(en) hebben bevestigd.`],
            en: [`${status.confirmed} of ${status.requested} asked contact(s) confirmed.`],
          });
          if (mailingId !== undefined && status.paired)
            lines.push(
              say(lang, {
                nl: `${status.candidates} contact(en) van deze mailing kunnen nog gevraagd worden (optin reconfirm ${mailingId}).`,
                en: `${status.candidates} contact(s) of this mailing can still be asked (optin reconfirm ${mailingId}).`,
              }),
            );
          if (!status.paired)
            lines.push(
              say(lang, {
                nl: 'Niet gekoppeld aan een opt-in-service: koppel eerst (optin pair) om te vragen of op te halen.',
                en: 'Not paired with an opt-in service: pair first (optin pair) to ask or to pull.',
              }),
            );
          return lines.join('\n');
        });
      });
    });

  optin
    .command('unpair')
    .description('end the pairing (what was pulled stays; unsubscribe links go back to your own page)')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const lang: Lang = opts.lang ?? 'en';
      await withCaller(opts, io, async (caller) => {
        const service = await caller.optin.unpair();
        output(io, opts, service, () =>
          say(lang, {
            nl: `Ontkoppeld van ${service.url}. Wat is opgehaald blijft bewaard (tot en met nummer ${service.lastPulledSeq}).`,
            en: `Unpaired from ${service.url}. What was pulled is kept (up to number ${service.lastPulledSeq}).`,
          }),
        );
      });
    });
}
