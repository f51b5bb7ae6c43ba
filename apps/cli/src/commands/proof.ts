import { resolve } from 'node:path';
import { verifyProofBundle } from '@consent-mailer/api';
import { UserError, type ComplaintSource } from '@consent-mailer/policy';
import { COMPLAINT_SOURCE_HELP, parseComplaintSource } from '../complaint-source.js';
import { Option, type Command } from 'commander';
import { CliUsageError, output, withCaller, type CliIo, type GlobalOptions, type Lang } from '../runtime.js';
import { requireSigningKey } from '../signing-key-check.js';

interface OutOptions extends GlobalOptions {
  out: string;
}

/**
 * `verify BUNDLE.zip`: the proof-bundle half of `verify` (the acknowledgement command hands a ZIP here).
 * Prints what was proven, or throws PROOF_VERIFY_FAILED with every problem.
 */
export function verifyProofFile(
  io: CliIo,
  opts: GlobalOptions,
  file: string,
  bytes: Uint8Array,
  trusted: string[] | undefined,
): void {
  const lang: Lang = opts.lang ?? 'en';
  const result = verifyProofBundle(bytes, trusted === undefined ? {} : { trustedFingerprints: trusted });
  const summary = result.summary;
  if (result.valid && summary) {
    const details = [
      `Person (address sha256) ${summary.addressSha256}; ${summary.purpose === 'COMPLAINT_DOSSIER' ? 'complaint dossier' : 'proof bundle'} of ${summary.createdAt}`,
      `${summary.files} files; ${summary.personEvents} events about the person; ${summary.rows} rows proven; chain head ${summary.anchor.seq}:${summary.anchor.hash}`,
    ];
    if (summary.optinEvents > 0)
      details.push(
        lang === 'nl'
          ? `${summary.optinEvents} ondertekende gebeurtenis(sen) van de opt-in-service gecontroleerd tegen de vastgelegde sleutel`
          : `${summary.optinEvents} signed event(s) of the opt-in service checked against its pinned key`,
      );
    const headline = result.keyPinned
      ? lang === 'nl'
        ? `GELDIG: ondertekend met de vertrouwde sleutel ${summary.keyFingerprint}; elk bestand, de keten tot de ondertekende kop en de rijen van de persoon kloppen.`
        : `VALID: signed with the trusted key ${summary.keyFingerprint}; every file, the chain up to the signed head and the person's rows check out.`
      : lang === 'nl'
        ? `ALLEEN GECONTROLEERD TEGEN DE SLEUTEL IN DE BUNDEL (${summary.keyFingerprint}). Vraag het bedrijf de vingerafdruk langs een andere weg en voer uit:\n  consent-mailer verify ${file} --key VINGERAFDRUK`
        : `CHECKED AGAINST THE KEY INSIDE THE BUNDLE ONLY (${summary.keyFingerprint}). Obtain the business's fingerprint independently and run:\n  consent-mailer verify ${file} --key FINGERPRINT`;
    output(io, opts, result, () => [headline, ...details].join('\n'));
    return;
  }
  if (!opts.json) io.stdout.write(`${lang === 'nl' ? 'ONGELDIG' : 'NOT VALID'}: ${file}\n`);
  const list = (which: Lang) => result.problems.map((p) => `${p.file}: ${p.text[which]}`).join('\n');
  throw new UserError('PROOF_VERIFY_FAILED', {
    en: `The proof bundle is not valid (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}):\n${list('en')}`,
    nl: `De bewijsbundel is niet geldig (${result.problems.length} probleem/problemen):\n${list('nl')}`,
  });
}

/** `contact proof EMAIL --out FILE.zip` and `complaint dossier FILE.eml --source S --out FILE.zip`. */
export function registerProofCommands(program: Command, io: CliIo): void {
  const contact =
    program.commands.find((cmd) => cmd.name() === 'contact') ??
    program.command('contact').description('one contact: show or erase');
  contact
    .command('proof')
    .description(
      "write the contact's proof bundle (ZIP): consent record (ISO/IEC TS 27560, DPV JSON-LD), texts, events with chain proof, mailings, PDF; check it with verify",
    )
    .argument('<email>')
    .requiredOption('--out <file.zip>', 'where to write the bundle')
    .action(async (email: string, _options: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<OutOptions>();
      await withCaller(opts, io, async (caller, context) => {
        await requireSigningKey(context.secrets);
        const result = await caller.proof.contactBundle({ email, out: resolve(opts.out) });
        output(io, opts, result, () =>
          [
            `Proof bundle written to ${result.path ?? opts.out} (${result.bytes} bytes, sha256 ${result.sha256}).`,
            `${result.files.length} files; ${result.events} events; chain head ${result.anchor.seq}; key ${result.keyFingerprint}.`,
            `Check it: consent-mailer verify ${opts.out} --key ${result.keyFingerprint}`,
          ].join('\n'),
        );
      });
    });

  const complaint =
    program.commands.find((cmd) => cmd.name() === 'complaint') ??
    program.command('complaint').description('spam complaints');
  complaint
    .command('dossier')
    .description(
      'from a complained message (.eml, or a forward with the original): find the delivery, record the complaint (the address is suppressed) and write the proof bundle with an answer letter',
    )
    .argument('<file.eml>')
    .addOption(
      // Also an option of `complaint` itself, which reads it first: commander parses a parent's options
      // after a subcommand too, so both share one parser and the value is taken with optsWithGlobals.
      new Option('--source <source>', `who sent the complaint: ${COMPLAINT_SOURCE_HELP}`).argParser(
        parseComplaintSource,
      ),
    )
    .requiredOption('--out <file.zip>', 'where to write the dossier')
    .option('--reference <ref>', "case number (default: the message's Message-ID)")
    .action(async (file: string, o: { reference?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<OutOptions & { source?: ComplaintSource }>();
      const source = opts.source;
      if (source === undefined) throw new CliUsageError(`--source is required: ${COMPLAINT_SOURCE_HELP}`);
      await withCaller(opts, io, async (caller, context) => {
        await requireSigningKey(context.secrets);
        const result = await caller.proof.complaintDossier({
          path: resolve(file),
          source,
          out: resolve(opts.out),
          ...(o.reference === undefined ? {} : { reference: o.reference }),
        });
        output(io, opts, result, () =>
          [
            `Complaint recorded for ${result.email} (${source}; found by ${result.tier.toLowerCase().replaceAll('_', ' ')}); the address is suppressed.`,
            result.mailingId === null
              ? 'No mailing could be matched.'
              : `Mailing ${result.mailingId}: complaint rate now ${(result.complaintRate * 100).toFixed(2)}%.`,
            `Dossier written to ${result.path ?? opts.out} (sha256 ${result.sha256}); the answer letters are letter-nl.txt and letter-en.txt inside.`,
          ].join('\n'),
        );
      });
    });
}
