import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '@consent-mailer/policy';
import type { Command } from 'commander';
import { CliUsageError, type Lang } from './cli-errors.js';

/** A sentence in both languages the CLI speaks. */
export type Texts = Record<Lang, string>;

/**
 * Picks the user's wording: the one place the CLI chooses between its languages. A sentence, or several
 * lines worded apart (`say(lang, { nl: [...], en: [...] })`).
 *
 * @example
 * say(lang, { nl: 'Redenen', en: 'Reasons' });
 */
export const say = <Text = string>(lang: Lang, texts: Record<Lang, Text>): Text => texts[lang];

/**
 * The group command (`smtp`, `contact`, `optin` …) another command file made, or a new one when this
 * file's commands are loaded alone (`--help` of one command loads only the files that add to it).
 */
export function commandGroup(program: Command, name: string, description: string): Command {
  return (
    program.commands.find((cmd) => cmd.name() === name) ?? program.command(name).description(description)
  );
}

/** Option parser for counts and limits (`--per-minute 30`): a whole number, zero or more. */
export const wholeNumber =
  (name: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new CliUsageError(`${name} must be a whole number, got "${value}"`);
    return n;
  };

/** Reads a file the user named (relative to where the command runs), with an error that says what to do. */
export function readUserFile(path: string, what: Texts): Buffer {
  try {
    return readFileSync(resolve(path));
  } catch (cause) {
    throw new UserError(
      'CLI_FILE_UNREADABLE',
      {
        en: `Cannot read the ${what.en} ${path}. Check the path.`,
        nl: `Kan het ${what.nl} ${path} niet lezen. Controleer het pad.`,
      },
      { cause },
    );
  }
}

/** `readUserFile` as UTF-8 text. */
export const readUserText = (path: string, what: Texts): string => readUserFile(path, what).toString('utf8');

/** How the commands name the files they read. */
export const FILE_KINDS = {
  html: { en: 'HTML file', nl: 'HTML-bestand' },
  text: { en: 'text file', nl: 'tekstbestand' },
  eml: { en: 'message file (.eml)', nl: 'berichtbestand (.eml)' },
} satisfies Record<string, Texts>;
