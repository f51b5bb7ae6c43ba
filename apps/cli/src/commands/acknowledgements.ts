// `acknowledge`, `acknowledgements list|show|check|export|verify`, `key keygen`: one workflow, signing to
// verifying. Over 400 lines because the interactive signing (statement by statement) lives only here.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import {
  SIGNING_KEY_SECRET,
  generateSigningKey,
  normalizeFingerprint,
  parseTrustedKeys,
  looksLikeZip,
  verifyEvidenceBundleText,
  type RouterOutputs,
} from '@consent-mailer/api';
import { UserError } from '@consent-mailer/policy';
import { Option, type Command } from 'commander';
import { secretVariableName } from '../secrets.js';
import { requireSigningKey } from '../signing-key-check.js';
import { verifyProofFile } from './proof.js';
import { printVerifyReport, reportOf } from '../verify-output.js';
import { CliUsageError, output, withCaller, type CliIo, type GlobalOptions, type Lang } from '../runtime.js';
import { say } from '../command-kit.js';

interface AcknowledgeOptions extends GlobalOptions {
  name: string;
  role: string;
  legalName?: string;
  kvk?: string;
  signatureImage?: string;
  yes?: boolean;
}

interface ListOptions extends GlobalOptions {
  year?: string;
  from?: string;
  to?: string;
  entity?: string;
  signer?: string;
  mailing?: string;
}

interface VerifyOptions extends GlobalOptions {
  key?: string;
  trustedKeys?: string;
}

interface ExportOptions extends GlobalOptions {
  year?: string;
  dir?: string;
  entity?: string;
}

type Preview = RouterOutputs['acknowledgements']['prepare'];
type Detail = RouterOutputs['acknowledgements']['show'];
type Item = RouterOutputs['acknowledgements']['list'][number];

const YES = /^(y|yes|j|ja)$/i;

/** The confirmations come from here: the given stream (tests), else the terminal, else nowhere. */
function confirmationInput(io: CliIo): NodeJS.ReadableStream | undefined {
  if (io.stdin) return io.stdin;
  return io.stdout === process.stdout && process.stdin.isTTY ? process.stdin : undefined;
}

/** Asks for each statement in turn; returns the ids confirmed, stopping at the first "no". */
async function confirmStatements(
  io: CliIo,
  input: NodeJS.ReadableStream,
  preview: Preview,
  lang: Lang,
): Promise<string[]> {
  const rl = createInterface({ input, terminal: false });
  // The line iterator buffers answers typed (or piped) ahead of the question; rl.question would drop them.
  const lines = rl[Symbol.asyncIterator]();
  const confirmed: string[] = [];
  try {
    for (const [index, statement] of preview.statements.entries()) {
      io.stderr.write(
        say(lang, {
          nl: `\n${index + 1}/${preview.statements.length} ${statement.text}\nBevestigt u deze verklaring? [j/N] `,
          en: `\n${index + 1}/${preview.statements.length} ${statement.text}\nDo you confirm this statement? [y/N] `,
        }),
      );
      const answer = await lines.next();
      if (answer.done === true || !YES.test(answer.value.trim())) {
        throw new UserError('ACK_NOT_CONFIRMED', {
          en: `Statement ${statement.id} was not confirmed, so nothing was signed. Every statement must be confirmed to sign.`,
          nl: `Verklaring ${statement.id} is niet bevestigd, dus er is niets getekend. Elke verklaring moet worden bevestigd om te tekenen.`,
        });
      }
      confirmed.push(statement.id);
    }
  } finally {
    rl.close();
  }
  return confirmed;
}

/** A drawn signature from a PNG file, as the data URL the api takes (the api checks type and size). */
function signatureImage(path: string): string {
  let data: Buffer;
  try {
    data = readFileSync(resolve(path));
  } catch (cause) {
    throw new UserError(
      'ACK_SIGNATURE_IMAGE_UNREADABLE',
      {
        en: `Cannot read the signature image "${path}". Give the path of a PNG file.`,
        nl: `Kan de handtekeningafbeelding "${path}" niet lezen. Geef het pad van een PNG-bestand.`,
      },
      { cause },
    );
  }
  return `data:image/png;base64,${data.toString('base64')}`;
}

function describeCounts(counts: {
  byMethod: Record<string, number>;
  byReason: Record<string, number>;
}): string {
  const methods = Object.entries(counts.byMethod)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
  const reasons = Object.entries(counts.byReason)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
  return `by method: ${methods || '-'}; by reason: ${reasons || '-'}`;
}

function describeItem(item: Item): string {
  const lapse = item.lapseReason ? `  LAPSED ${item.lapsedAt ?? ''} (${item.lapseReason})` : '';
  return `${item.signedAt}  ${item.verificationCode}  ${item.signerName} (${item.signerRole})  ${item.legalName}  mailing ${item.mailingId}  ${item.recipientCount} recipients  id ${item.id}${lapse}`;
}

function describeDetail(detail: Detail): string {
  const lines = [
    `Acknowledgement ${detail.id}  (verification code ${detail.verificationCode})`,
    `Signed by:   ${detail.signerName} (${detail.signerRole}) at ${detail.signedAt}`,
    `Entity:      ${detail.legalName}, KvK ${detail.kvkNumber ?? '-'}`,
    `Mailing:     ${detail.mailing.name} "${detail.mailing.subject}" (${detail.mailing.id})`,
    `Text:        ${detail.textVersionId} (${detail.language}), sha256 ${detail.textSha256}`,
    `Policy:      ${detail.policyVersion}${detail.mailingReasons.length > 0 ? `; mailing rules ${detail.mailingReasons.join(', ')}` : ''}`,
    `Recipients:  ${detail.counts.total} (${describeCounts(detail.counts)})`,
    `Set hash:    ${detail.recipientSetHash}`,
    `Key:         ${detail.keyFingerprint}`,
    `Status:      ${detail.lapseReason ? `LAPSED at ${detail.lapsedAt ?? ''}: ${detail.lapseReason}` : 'signed, not lapsed'}`,
    `Outcome:     ${detail.outcome.delivered} delivered, ${detail.outcome.notDelivered} not delivered, ${detail.outcome.pending} pending, ` +
      `${detail.outcome.hardBounces} hard / ${detail.outcome.softBounces} soft bounces, ${detail.outcome.complaints} complaints, ${detail.outcome.unsubscribes} unsubscribes`,
    '',
    'Covered recipients:',
    ...detail.recipients.map((recipient) => {
      const events = [
        recipient.delivery ? `delivery ${recipient.delivery.state}` : 'not queued',
        ...recipient.bounces.map((bounce) =>
          `${bounce.kind.toLowerCase()} bounce ${bounce.status ?? ''}`.trim(),
        ),
        ...recipient.complaints.map((complaint) => `complaint (${complaint.source})`),
        ...recipient.suppressions.map((suppression) => suppression.reason.toLowerCase()),
      ];
      return `  ${recipient.email ?? `(erased) ${recipient.addressHash.slice(0, 16)}…`}  ${recipient.method}  ${recipient.reasons.join(',')}  ${events.join('; ')}`;
    }),
  ];
  return lines.join('\n');
}

/**
 * The pinned fingerprints of `verify --key` / `--trusted-keys`, or undefined when neither was given (then
 * the bundle can only be checked against the key inside it, and `verify` says so).
 */
function trustedFingerprints(opts: VerifyOptions): string[] | undefined {
  if (opts.key === undefined && opts.trustedKeys === undefined) return undefined;
  const fingerprints: string[] = [];
  if (opts.key !== undefined) {
    const fingerprint = normalizeFingerprint(opts.key);
    if (fingerprint === undefined) {
      throw new CliUsageError(
        `--key expects a key fingerprint like sha256: followed by 64 hexadecimal characters, got "${opts.key}"`,
      );
    }
    fingerprints.push(fingerprint);
  }
  if (opts.trustedKeys !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(opts.trustedKeys), 'utf8');
    } catch (cause) {
      throw new UserError(
        'ACK_TRUSTED_KEYS_UNREADABLE',
        {
          en: `Cannot read the trusted-keys file "${opts.trustedKeys}". Give a text file with one key fingerprint (sha256:…) per line.`,
          nl: `Kan het bestand met vertrouwde sleutels "${opts.trustedKeys}" niet lezen. Geef een tekstbestand met één sleutelvingerafdruk (sha256:…) per regel.`,
        },
        { cause },
      );
    }
    const parsed = parseTrustedKeys(text);
    if (parsed.invalid.length > 0 || parsed.fingerprints.length === 0) {
      const lines = parsed.invalid.map((line) => `"${line}"`).join(', ');
      throw new UserError('ACK_TRUSTED_KEYS_INVALID', {
        en: `The trusted-keys file "${opts.trustedKeys}" ${parsed.invalid.length > 0 ? `has lines that are not a key fingerprint or public key: ${lines}` : 'holds no key'}. Put one fingerprint (sha256: and 64 hexadecimal characters) per line; lines starting with # are comments.`,
        nl: `Het bestand met vertrouwde sleutels "${opts.trustedKeys}" ${parsed.invalid.length > 0 ? `heeft regels die geen sleutelvingerafdruk of publieke sleutel zijn: ${lines}` : 'bevat geen sleutel'}. Zet één vingerafdruk (sha256: en 64 hexadecimale tekens) per regel; regels die met # beginnen zijn commentaar.`,
      });
    }
    fingerprints.push(...parsed.fingerprints);
  }
  return [...new Set(fingerprints)];
}

/** `acknowledge`, `acknowledgements list|show|export|key|keygen` and `verify`. */
export function registerAcknowledgementsCommands(program: Command, io: CliIo): void {
  program
    .command('acknowledge')
    .description(
      "sign the risk-transfer acknowledgement for a mailing's TRANSFER_RISK recipients (text in --lang)",
    )
    .argument('<mailing>', 'the mailing id')
    .requiredOption('--name <name>', "the signer's full name")
    .requiredOption('--role <role>', "the signer's role (e.g. director, owner)")
    .addOption(new Option('--legal-name <name>', "the legal entity (default: the mailing's sender entity)"))
    .addOption(new Option('--kvk <number>', "the KvK number (default: the sender entity's)"))
    .addOption(new Option('--signature-image <file.png>', 'a drawn signature (PNG, at most 256 KiB)'))
    .addOption(
      new Option('--yes', 'confirm every statement without asking (for scripts, after reading the text)'),
    )
    .action(async (mailingId: string, _options: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<AcknowledgeOptions>();
      const lang: Lang = opts.lang ?? 'en';
      const input = opts.yes ? undefined : confirmationInput(io);
      if (!opts.yes && input === undefined) {
        throw new CliUsageError(
          'There is no terminal to confirm each statement on. Read the text first (run this on a terminal), or add --yes to confirm every statement.',
        );
      }
      await withCaller(opts, io, async (caller, context) => {
        // The CLI keeps no secrets of its own: without the key in the environment a new key would be
        // forgotten when this process ends, so ask for one to be set up first.
        await requireSigningKey(context.secrets);
        const request = {
          mailingId,
          name: opts.name,
          role: opts.role,
          lang,
          ...(opts.legalName === undefined ? {} : { legalName: opts.legalName }),
          ...(opts.kvk === undefined ? {} : { kvkNumber: opts.kvk }),
        };
        const preview = await caller.acknowledgements.prepare(request);
        if (!opts.json) io.stdout.write(`${preview.text}\n`);
        const confirmed =
          input === undefined
            ? preview.statements.map((statement) => statement.id)
            : await confirmStatements(io, input, preview, lang);
        const signed = await caller.acknowledgements.sign({
          ...request,
          confirmedStatementIds: confirmed as Parameters<
            typeof caller.acknowledgements.sign
          >[0]['confirmedStatementIds'],
          expectedRecipientSetHash: preview.recipientSetHash,
          ...(opts.signatureImage === undefined
            ? {}
            : { signatureImage: signatureImage(opts.signatureImage) }),
        });
        output(io, opts, signed, () =>
          say(lang, {
            nl: `Getekend: verklaring ${signed.id}, verificatiecode ${signed.verificationCode}, ${signed.recipientCount} ontvangers (set ${signed.recipientSetHash}).`,
            en: `Signed: acknowledgement ${signed.id}, verification code ${signed.verificationCode}, ${signed.recipientCount} recipients (set ${signed.recipientSetHash}).`,
          }),
        );
      });
    });

  const acknowledgements = program
    .command('acknowledgements')
    .description('review, export and check signed acknowledgements');

  acknowledgements
    .command('list')
    .description('list acknowledgements, oldest first')
    .addOption(new Option('--year <year>', 'a calendar year (Netherlands time)'))
    .addOption(new Option('--from <iso>', 'signed at or after (ISO-8601)'))
    .addOption(new Option('--to <iso>', 'signed before (ISO-8601)'))
    .addOption(new Option('--entity <id>', 'a sender entity id'))
    .addOption(new Option('--signer <text>', "part of the signer's name"))
    .addOption(new Option('--mailing <id>', 'a mailing id'))
    .action(async (_options: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ListOptions>();
      if (opts.year !== undefined && !/^\d{4}$/.test(opts.year))
        throw new CliUsageError(`--year expects a year like 2026, got "${opts.year}"`);
      await withCaller(opts, io, async (caller) => {
        const items = await caller.acknowledgements.list({
          ...(opts.year === undefined ? {} : { year: Number(opts.year) }),
          ...(opts.from === undefined ? {} : { from: opts.from }),
          ...(opts.to === undefined ? {} : { to: opts.to }),
          ...(opts.entity === undefined ? {} : { senderEntityId: opts.entity }),
          ...(opts.signer === undefined ? {} : { signer: opts.signer }),
          ...(opts.mailing === undefined ? {} : { mailingId: opts.mailing }),
        });
        output(io, opts, items, () =>
          items.length === 0 ? 'No acknowledgements match.' : items.map(describeItem).join('\n'),
        );
      });
    });

  acknowledgements
    .command('show')
    .description('who signed what and when, the recipients it covered, and what happened to them')
    .argument('<id>', 'the acknowledgement id')
    .action(async (id: string, _options: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const detail = await caller.acknowledgements.show({ id });
        output(io, opts, detail, () => describeDetail(detail));
      });
    });

  acknowledgements
    .command('check')
    .description(
      'check a stored acknowledgement: signature, hashes, database columns, the whole event chain (exit code 1 when not valid)',
    )
    .argument('<id>', 'the acknowledgement id')
    .action(async (id: string, _options: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const lang: Lang = opts.lang ?? 'en';
      // A tampered database must still open here: finding the tampering is the point.
      await withCaller({ ...opts, openDamaged: true }, io, async (caller) => {
        const check = await caller.acknowledgements.check({ id });
        if (check.valid) {
          output(
            io,
            opts,
            check,
            () =>
              `VALID: acknowledgement ${id} (${check.bundle.summary?.verificationCode ?? ''}); event chain of ${check.chain.events} events intact; signed with this installation's key ${check.bundle.summary?.keyFingerprint ?? ''}.`,
          );
          return;
        }
        const problems = [
          ...new Set([
            ...check.bundle.problems.map((problem) => `${problem.field}: ${problem.text[lang]}`),
            ...check.columns.map((problem) => `${problem.field}: ${problem.text[lang]}`),
            ...check.trust.map((problem) => `${problem.field}: ${problem.text[lang]}`),
          ]),
          ...(check.chain.ok
            ? []
            : [`event chain: broken at event ${check.chain.brokenAt} (${check.chain.reason})`]),
        ];
        throw new UserError('ACK_CHECK_FAILED', {
          en: `Acknowledgement ${id} does not check out:\n${problems.join('\n')}`,
          nl: `Verklaring ${id} klopt niet:\n${problems.join('\n')}`,
        });
      });
    });

  acknowledgements
    .command('export')
    .description('write the PDF and JSON evidence bundle of one acknowledgement, or of a whole --year')
    .argument('[id]', 'the acknowledgement id (or use --year)')
    .addOption(new Option('--year <year>', 'export every acknowledgement of this year, with an index'))
    .addOption(new Option('--entity <id>', 'with --year: only this sender entity'))
    .addOption(new Option('--dir <folder>', 'where to write (default: exports beside the database)'))
    .action(async (id: string | undefined, _options: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ExportOptions>();
      if ((id === undefined) === (opts.year === undefined))
        throw new CliUsageError('Give either an acknowledgement id or --year YEAR.');
      if (opts.year !== undefined && !/^\d{4}$/.test(opts.year))
        throw new CliUsageError(`--year expects a year like 2026, got "${opts.year}"`);
      const dir = opts.dir === undefined ? undefined : resolve(opts.dir);
      await withCaller(opts, io, async (caller) => {
        if (id !== undefined) {
          const files = await caller.acknowledgements.export({ id, ...(dir === undefined ? {} : { dir }) });
          output(
            io,
            opts,
            files,
            () => `Wrote ${files.pdf}\nWrote ${files.json}\nVerification code ${files.verificationCode}`,
          );
          return;
        }
        const result = await caller.acknowledgements.exportYear({
          year: Number(opts.year),
          ...(dir === undefined ? {} : { dir }),
          ...(opts.entity === undefined ? {} : { senderEntityId: opts.entity }),
        });
        output(
          io,
          opts,
          result,
          () =>
            `Exported ${result.count} acknowledgements of ${result.year} to ${result.dir}\nIndex: ${result.index.csv}`,
        );
      });
    });

  acknowledgements
    .command('key')
    .description("show the installation's public signing key and its fingerprint")
    .action(async (_options: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      await withCaller(opts, io, async (caller) => {
        const key = await caller.acknowledgements.signingKey();
        output(io, opts, key, () =>
          key === null
            ? `No signing key is set (${secretVariableName(SIGNING_KEY_SECRET)}).`
            : `${key.fingerprint}\n${key.publicKeyPem.trimEnd()}`,
        );
      });
    });

  acknowledgements
    .command('keygen')
    .description(
      `make a new Ed25519 signing key and print it for ${secretVariableName(SIGNING_KEY_SECRET)} (no database is touched)`,
    )
    .action((_options: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const { key, secret } = generateSigningKey();
      const variable = secretVariableName(SIGNING_KEY_SECRET);
      // The private key goes to stdout only because the user asked for it; the hint goes to stderr so
      // `>> .env` captures just the assignment.
      io.stderr.write(
        `Keep this value secret and set it in the environment of every consent-mailer run that signs. Public key fingerprint: ${key.fingerprint}\n`,
      );
      output(
        io,
        opts,
        { variable, value: secret, fingerprint: key.fingerprint },
        () => `${variable}=${secret}`,
      );
    });

  program
    .command('verify')
    .description(
      "check a JSON evidence bundle or a ZIP proof bundle without any database: signature, hashes and their consistency, against the business's key given with --key or --trusted-keys (exit code 1 when not valid)",
    )
    .argument('<file>', 'the .json evidence bundle or .zip proof bundle')
    .addOption(
      new Option(
        '--key <fingerprint>',
        'the fingerprint of the business\'s signing key (sha256:…), obtained from the business itself, e.g. read out by phone from "consent-mailer acknowledgements key"',
      ),
    )
    .addOption(
      new Option(
        '--trusted-keys <file>',
        'a file of trusted key fingerprints (one per line, # comments) and/or public keys (PEM)',
      ),
    )
    .action((file: string, _options: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<VerifyOptions>();
      const trusted = trustedFingerprints(opts);
      let bytes: Buffer;
      try {
        bytes = readFileSync(resolve(file));
      } catch (cause) {
        throw new UserError(
          'ACK_VERIFY_UNREADABLE',
          {
            en: `Cannot read "${file}". Give the path of an exported .json evidence bundle or a .zip proof bundle.`,
            nl: `Kan "${file}" niet lezen. Geef het pad van een geëxporteerde .json-bewijsbundel of een .zip-bewijsbundel.`,
          },
          { cause },
        );
      }
      // A per-contact proof bundle is a ZIP: checked by its own verifier (commands/proof.ts).
      if (looksLikeZip(bytes)) {
        verifyProofFile(io, opts, file, bytes, trusted);
        return;
      }
      const text = bytes.toString('utf8');
      const result = verifyEvidenceBundleText(
        text,
        trusted === undefined ? {} : { trustedFingerprints: trusted },
      );
      const summary = result.summary;
      printVerifyReport(
        io,
        opts,
        file,
        reportOf(result, (p) => p.field),
        {
          checked: {
            en: 'signature, hashes and event chain',
            nl: 'handtekening, hashes en gebeurtenisketen',
          },
          details: summary
            ? [
                `Signed by ${summary.signer} for ${summary.legalName} (KvK ${summary.kvkNumber}) at ${summary.signedAt}`,
                `Mailing ${summary.mailing}: ${summary.recipientCount} recipients, set ${summary.recipientSetHash}`,
                `Verification code ${summary.verificationCode}; key ${summary.keyFingerprint}; ${summary.events} events`,
              ]
            : [],
          errorCode: 'ACK_VERIFY_FAILED',
        },
        result,
      );
    });
}
