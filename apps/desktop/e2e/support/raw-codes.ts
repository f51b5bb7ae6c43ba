import {
  ADDRESS_KINDS,
  CLASSIFICATIONS,
  COMPLAINT_SOURCES,
  CONSENT_METHODS,
  CUSTOMER_RELATIONSHIPS,
  MAILING_CONTENTS,
  OPT_OUT_AT_COLLECTION,
  RECIPIENT_KINDS,
} from '@consent-mailer/policy/vocabulary';
import type { Page } from 'playwright-core';

/**
 * The stored values a screen must put into words: the vocabulary's enums, and the statuses the store keeps
 * that the issue saw leak (a mailing SENT, a consent WITHDRAWN, a reply kind).
 */
const RAW_VALUES = new Set<string>([
  ...CLASSIFICATIONS,
  ...RECIPIENT_KINDS,
  ...ADDRESS_KINDS,
  ...CONSENT_METHODS,
  ...MAILING_CONTENTS,
  ...OPT_OUT_AT_COLLECTION,
  ...CUSTOMER_RELATIONSHIPS,
  ...COMPLAINT_SOURCES,
  ...['ACTIVE', 'WITHDRAWN', 'UNSUBSCRIBED', 'COMPLAINT', 'REPLY', 'SENT', 'NONE', 'DRAFT', 'CANCELLED'],
]);

/** A code as the api and the store write them: two upper-case words joined by "_" (INVALID_INPUT). */
const CODE = /\b[A-Z]{2,}_[A-Z_]{2,}\b/g;

/**
 * The raw codes on the screen: every stored enum value or error code in the visible text, as the code wrote
 * it (a badge's upper case by CSS is undone first, so "Klant" in a badge does not read as CUSTOMER).
 */
export async function rawCodesOnScreen(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => {
    // The signed acknowledgement is a document, shown as it was signed: it names each statement and
    // consent method by its code beside the words, and changing that is a new text version, not a screen.
    const style = document.createElement('style');
    style.textContent =
      '* { text-transform: none !important; } [data-testid="acknowledgement-text"] { display: none !important; }';
    document.head.append(style);
    try {
      return document.body.innerText;
    } finally {
      style.remove();
    }
  });
  const words = text.match(/\b[A-Z][A-Z_]+\b/g) ?? [];
  const found = [...words.filter((word) => RAW_VALUES.has(word)), ...(text.match(CODE) ?? [])];
  return [...new Set(found)];
}
