// A whole verdict in words: the title and summary of its class (classification-labels.ts) and its
// reasons through the reason table.
import type { Classification } from './enums.js';
import { describeClassification, type ClassificationText } from './classification-labels.js';
import type { Lang } from './lang.js';
import type { Reason, ReasonCode } from './reason.js';
import type { TextOptions } from './reason-params.js';
import { explainReason } from './reason-texts.js';

/** A verdict (contact or mailing) in words, ready to show. */
export interface VerdictText extends ClassificationText {
  classification: Classification;
  reasons: { code: ReasonCode; classification: Classification; text: string }[];
}

/**
 * A whole verdict (of `classifyContact`, or an assessment of `assessMailing`) in words: the title and
 * summary of its classification and the text of every reason, in order.
 *
 * @example
 * const text = describeVerdict(classifyContact(contact, mailing, { now }), 'nl', { names: { shop: 'Bakkerij Jansen' } });
 * console.log(`${text.title}: ${text.summary}`);
 * for (const reason of text.reasons) console.log(`- [${reason.code}] ${reason.text}`);
 */
export function describeVerdict(
  verdict: { classification: Classification; reasons: readonly Reason[] },
  lang: Lang,
  options: TextOptions = {},
): VerdictText {
  return {
    classification: verdict.classification,
    ...describeClassification(verdict.classification, lang),
    reasons: verdict.reasons.map((item) => ({
      code: item.code,
      classification: item.classification,
      text: explainReason(item, lang, options),
    })),
  };
}
