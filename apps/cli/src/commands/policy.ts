import { readFileSync } from 'node:fs';
import { explainPolicy, PolicyExplainInput, type PolicyExplanation } from '@consent-mailer/api';
import { UserError } from '@consent-mailer/policy';
import type { Command } from 'commander';
import { output, type CliIo, type GlobalOptions, type Lang } from '../runtime.js';
import { say } from '../command-kit.js';

interface ExplainOptions extends GlobalOptions {
  contact: string;
  mailing: string;
  now?: string;
}

/** Reads and parses one JSON file; a missing, unreadable or non-JSON file becomes a UserError naming it. */
function readJsonFile(path: string, what: 'contact' | 'mailing'): unknown {
  const whatNl = what === 'contact' ? 'contactbestand' : 'mailingbestand';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UserError(
        'FILE_NOT_FOUND',
        {
          en: `The ${what} file "${path}" does not exist. Check the path and try again.`,
          nl: `Het ${whatNl} "${path}" bestaat niet. Controleer het pad en probeer het opnieuw.`,
        },
        { cause: error },
      );
    }
    throw new UserError(
      'FILE_UNREADABLE',
      {
        en: `The ${what} file "${path}" cannot be read (${code ?? 'unknown error'}). Choose a readable JSON file.`,
        nl: `Het ${whatNl} "${path}" kan niet worden gelezen (${code ?? 'onbekende fout'}). Kies een leesbaar JSON-bestand.`,
      },
      { cause: error },
    );
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new UserError(
      'INVALID_JSON',
      {
        en: `The ${what} file "${path}" is not valid JSON (${detail}). Save it as JSON and try again.`,
        nl: `Het ${whatNl} "${path}" is geen geldige JSON (${detail}). Sla het op als JSON en probeer het opnieuw.`,
      },
      { cause: error },
    );
  }
}

function humanText(result: PolicyExplanation): string {
  const reasonsLabel = say(result.lang, { nl: 'Redenen', en: 'Reasons' });
  const footer = say(result.lang, {
    nl: `Beleidsversie ${result.policyVersion}, beoordeeld op ${result.now}`,
    en: `Policy version ${result.policyVersion}, judged at ${result.now}`,
  });
  return [
    `${result.classification}: ${result.title}`,
    result.summary,
    '',
    `${reasonsLabel}:`,
    ...result.reasons.flatMap((reason) => [
      `  [${reason.code}] ${reason.title} (${reason.classification})`,
      `      ${reason.text}`,
    ]),
    '',
    footer,
  ].join('\n');
}

/**
 * `policy explain`: judges one contact for one mailing from two JSON files. It needs no database, so it does
 * not open the store: it validates with the same schema and calls the same function as the api's
 * `policy.explain` procedure (`PolicyExplainInput`, `explainPolicy`), with the CLI's clock.
 */
export function registerPolicyCommands(program: Command, io: CliIo): void {
  const policy = program
    .command('policy')
    .description('the consent rules: why a contact may or may not be mailed');
  policy
    .command('explain')
    .description('explain the verdict for one contact and one mailing (no database needed)')
    .requiredOption(
      '--contact <file>',
      'the contact record as JSON (fields of docs/policy-rules.md section 3)',
    )
    .requiredOption(
      '--mailing <file>',
      'the mailing as JSON (id, senderEntityId, listId, content, productCategories?)',
    )
    .option('--now <iso>', 'judge as of this ISO-8601 moment instead of now')
    .action((_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<ExplainOptions>();
      const lang: Lang = options.lang ?? 'en';
      const contact = readJsonFile(options.contact, 'contact');
      const mailing = readJsonFile(options.mailing, 'mailing');
      const parsed = PolicyExplainInput.safeParse({ contact, mailing, now: options.now, lang });
      if (!parsed.success) {
        const lines = parsed.error.issues
          .map((issue) => `  ${issue.path.map(String).join('.') || '(input)'}: ${issue.message}`)
          .join('\n');
        throw new UserError(
          'INVALID_INPUT',
          {
            en: `The input is not valid. Fix these fields:\n${lines}`,
            nl: `De invoer is niet geldig. Verbeter deze velden:\n${lines}`,
          },
          { cause: parsed.error },
        );
      }
      const result = explainPolicy(parsed.data, io.clock);
      output(io, options, result, () => humanText(result));
    });
}
