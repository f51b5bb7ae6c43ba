import type { z } from 'zod';
import { ContactRecord } from './contact-record.js';
import { MailingContext } from './mailing-context.js';
import { MailingFacts } from './mailing-facts.js';
import { UserError } from './user-error.js';

/**
 * Validates untrusted input against a schema; on failure throws a UserError `POLICY_INVALID_INPUT` whose
 * text names every bad field by its path (`contact.softBounces.0.at: …`).
 */
function parseWith<T extends z.ZodType>(schema: T, value: unknown, label: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = [label, ...issue.path.map(String)].join('.');
    return `${path}: ${issue.message}`;
  });
  throw new UserError(
    'POLICY_INVALID_INPUT',
    {
      en: `The ${label} is not valid. Fix these fields and try again:\n${lines.join('\n')}`,
      nl: `De ${label === 'contact' ? 'contactgegevens zijn' : label === 'mailing' ? 'mailinggegevens zijn' : 'mailingfeiten zijn'} niet geldig. Verbeter deze velden en probeer het opnieuw:\n${lines.join('\n')}`,
    },
    { cause: result.error },
  );
}

/**
 * Validates a contact record from outside (JSON files, api input, imports). Use it at boundaries; the rule
 * functions themselves trust their typed input so that a million contacts are not parsed twice.
 *
 * @throws {UserError} `POLICY_INVALID_INPUT`, naming each invalid field.
 * @example
 * const contact = parseContactRecord(JSON.parse(text));
 */
export function parseContactRecord(value: unknown): ContactRecord {
  return parseWith(ContactRecord, value, 'contact');
}

/**
 * Validates a mailing context from outside.
 *
 * @throws {UserError} `POLICY_INVALID_INPUT`, naming each invalid field.
 * @example
 * const mailing = parseMailingContext({ id: 'm1', senderEntityId: 'shop', listId: 'news', content: 'MARKETING' });
 */
export function parseMailingContext(value: unknown): MailingContext {
  return parseWith(MailingContext, value, 'mailing');
}

/**
 * Validates mailing facts from outside.
 *
 * @throws {UserError} `POLICY_INVALID_INPUT`, naming each invalid field.
 * @example
 * const facts = parseMailingFacts(JSON.parse(text));
 */
export function parseMailingFacts(value: unknown): MailingFacts {
  return parseWith(MailingFacts, value, 'facts');
}
