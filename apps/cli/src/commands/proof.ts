import { resolve } from 'node:path';
import { verifyProofBundle } from '@consent-mailer/api';
import { type ComplaintSource } from '@consent-mailer/policy';
import { COMPLAINT_SOURCE_HELP, parseComplaintSource } from '../complaint-source.js';
import { Option, type Command } from 'commander';
import { CliUsageError, output, withCaller, type CliIo, type GlobalOptions, type Lang } from '../runtime.js';
import { requireSigningKey } from '../signing-key-check.js';
import { commandGroup, say } from '../command-kit.js';
import { printVerifyReport, reportOf } from '../verify-output.js';

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
  const details = summary
    ? [
        `Person (address sha256) ${summary.addressSha256}; ${summary.purpose === 'COMPLAINT_DOSSIER' ? 'complaint dossier' : 'proof bundle'} of ${summary.createdAt}`,
        `${summary.files} files; ${summary.personEvents} events about the person; ${summary.rows} rows proven; chain head ${summary.anchor.seq}:${summary.anchor.hash}`,
        ...(summary.optinEvents > 0
          ? [
              say(lang, {
                en: `${summary.optinEvents} signed event(s) of the opt-in service checked against its pinned key`,
                nl: `${summary.optinEvents} ondertekende gebeurtenis(sen) van de opt-in-service gecontroleerd tegen de vastgelegde sleutel`,
              }),
            ]
          : []),
      ]
    : [];
  printVerifyReport(
    io,
    opts,
    file,
    reportOf(result, (p) => p.file),
    {
      checked: {
        en: "every file, the chain up to the signed head and the person's rows",
        nl: 'elk bestand, de keten tot de ondertekende kop en de rijen van de persoon',
      },
      details,
      errorCode: 'PROOF_VERIFY_FAILED',
    },
    result,
  );
}

/** `contact proof EMAIL --out FILE.zip` and `complaint dossier FILE.eml --source S --out FILE.zip`. */
export function registerProofCommands(program: Command, io: CliIo): void {
  const contact = commandGroup(program, 'contact', 'one contact: show or erase');
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

  const complaint = commandGroup(program, 'complaint', 'spam complaints');
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
            `Dossier written to ${result.path ?? opts.out} (sha256 ${result.sha256}); the answer letters are letter-nl.pdf and letter-en.pdf inside (and as text, letter-nl.txt and letter-en.txt).`,
          ].join('\n'),
        );
      });
    });
}
