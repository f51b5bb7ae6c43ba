import { ContactRecord } from './contact-record.js';
import { MailingContext } from './mailing-context.js';
import { MailingFacts } from './mailing-facts.js';
import { parseWith } from './parse-with.js';

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
