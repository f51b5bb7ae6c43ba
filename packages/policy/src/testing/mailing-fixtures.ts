// The mailing and moment the rule tests judge at, facts that pass every mailing rule, and a verdict's codes.
import type { MailingContext } from '../mailing-context.js';
import type { MailingFacts } from '../mailing-facts.js';

/** The moment every rule test judges at. 24 months earlier is 2024-11-28T12:00:00Z, 36 is 2023-11-28T12:00:00Z. */
export const NOW = '2026-11-28T12:00:00Z';

/** A marketing mailing of sender `shop` to list `news` about coffee: what the record builders are made for. */
export const MAILING: MailingContext = {
  id: 'mailing-1',
  senderEntityId: 'shop',
  listId: 'news',
  content: 'MARKETING',
  productCategories: ['coffee'],
};

/** Mailing facts that pass every mailing rule. */
export function goodFacts(over: Partial<MailingFacts> = {}): MailingFacts {
  return {
    senderIdentityPresent: true,
    optOutLinkPresent: true,
    rightToObjectStatementPresent: true,
    footer: { postalAddress: true, contactEmail: true, kvkNumber: true },
    listUnsubscribe: { mailto: true, https: true, oneClick: true },
    authentication: { spfPass: true, dkimPass: true, dmarcPresent: true, aligned: true },
    expectedDailyVolumeToBigProvider: 100,
    ...over,
  };
}

/** The rule ids of a verdict, in order. */
export function codes(verdict: { reasons: readonly { code: string }[] }): string[] {
  return verdict.reasons.map((reason) => reason.code);
}
