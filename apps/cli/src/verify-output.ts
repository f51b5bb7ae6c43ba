import { UserError } from '@consent-mailer/policy';
import { say, type Texts } from './command-kit.js';
import { output, type CliIo, type GlobalOptions, type Lang } from './runtime.js';

/** What `verify` prints about one file, whatever kind of bundle it is (evidence JSON or proof ZIP). */
export interface VerifyReport {
  valid: boolean;
  /** The signing key was one the user pinned with --key / --trusted-keys. */
  keyPinned: boolean;
  keyFingerprint?: string;
  problems: { where: string; text: Texts }[];
}

/**
 * The report of a verifier's result: both verifiers (evidence JSON, proof ZIP) answer with the verdict, whether
 * the key was pinned, the key in a summary, and problems that `where` locates (a field, a file).
 */
export function reportOf<P extends { text: Texts }>(
  result: {
    valid: boolean;
    keyPinned: boolean;
    summary?: { keyFingerprint: string } | undefined;
    problems: readonly P[];
  },
  where: (problem: P) => string,
): VerifyReport {
  return {
    valid: result.valid && result.summary !== undefined,
    keyPinned: result.keyPinned,
    ...(result.summary ? { keyFingerprint: result.summary.keyFingerprint } : {}),
    problems: result.problems.map((problem) => ({ where: where(problem), text: problem.text })),
  };
}

/**
 * The one wording of a verdict, for every bundle kind: VALID only against a pinned key; otherwise it says
 * plainly that a key found inside the file proves nothing about who signed, and how to pin the real one.
 * `checked` says what was checked (signature, hashes, chain …); `details` follow the headline.
 * An invalid bundle prints NOT VALID and throws `errorCode` listing every problem.
 */
export function printVerifyReport(
  io: CliIo,
  opts: GlobalOptions,
  file: string,
  report: VerifyReport,
  wording: { checked: Texts; details: string[]; errorCode: string },
  /** What `--json` prints: the verifier's whole result. */
  json: unknown = report,
): void {
  const lang: Lang = opts.lang ?? 'en';
  if (report.valid) {
    const key = report.keyFingerprint ?? '?';
    const headline = report.keyPinned
      ? say(lang, {
          en: `VALID: signed with the trusted key ${key}; ${wording.checked.en} check out.`,
          nl: `GELDIG: ondertekend met de vertrouwde sleutel ${key}; ${wording.checked.nl} kloppen.`,
        })
      : say(lang, {
          en: [
            `CHECKED AGAINST THE KEY INSIDE THE FILE ONLY (${key}): ${wording.checked.en} are consistent with that key.`,
            'That does not prove who signed: whoever edits the file can sign it again with a new key.',
            'Obtain the business\'s key fingerprint independently (they run "consent-mailer acknowledgements key" and read the fingerprint out to you by phone) and run:',
            `  consent-mailer verify ${file} --key FINGERPRINT`,
          ].join('\n'),
          nl: [
            `ALLEEN GECONTROLEERD TEGEN DE SLEUTEL IN HET BESTAND (${key}): ${wording.checked.nl} kloppen met die sleutel.`,
            'Dat bewijst niet wie heeft getekend: wie het bestand bewerkt, kan het opnieuw ondertekenen met een nieuwe sleutel.',
            'Vraag het bedrijf de vingerafdruk van zijn sleutel langs een andere weg (laat het "consent-mailer acknowledgements key" uitvoeren en de vingerafdruk telefonisch voorlezen) en voer uit:',
            `  consent-mailer verify ${file} --key VINGERAFDRUK`,
          ].join('\n'),
        });
    output(io, opts, json, () => [headline, ...wording.details].join('\n'));
    return;
  }
  // The problems themselves go out once, as the error (stderr, or the JSON error object).
  if (!opts.json) io.stdout.write(`${say(lang, { en: 'NOT VALID', nl: 'ONGELDIG' })}: ${file}\n`);
  const n = report.problems.length;
  const list = (which: Lang) => report.problems.map((p) => `${p.where}: ${p.text[which]}`).join('\n');
  throw new UserError(wording.errorCode, {
    en: `The bundle is not valid (${n} problem${n === 1 ? '' : 's'}):\n${list('en')}`,
    nl: `De bundel is niet geldig (${n} ${n === 1 ? 'probleem' : 'problemen'}):\n${list('nl')}`,
  });
}
