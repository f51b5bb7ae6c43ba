import { LANGS } from '@consent-mailer/policy';
import { z } from 'zod';

// The input fields several routers validate the same way. Their English messages have their Dutch in
// input-errors.ts: a message changed here must change there too.

/**
 * One line of text of at most `max` characters, trimmed: what is printed in a header or footer, where a line
 * break would inject a header.
 *
 * @example z.object({ host: line(253) })
 */
export const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\r\n]*$/, 'must be one line');

/**
 * The name the owner gives an SMTP profile or an IMAP mailbox: the CLI and the secret store address it by
 * this name (`--profile`, `CONSENT_MAILER_SECRET_IMAP_<NAME>`), so only letters, digits, - and _.
 */
export const ConfigName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'letters, digits, - and _');

/** The language of the texts an answer carries. */
export const LangInput = z.enum(LANGS);
