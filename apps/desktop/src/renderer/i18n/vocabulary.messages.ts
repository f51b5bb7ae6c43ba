import {
  CLASSIFICATIONS,
  COMPLAINT_SOURCES,
  CONSENT_METHODS,
  RECIPIENT_KINDS,
  describeClassification,
  describeComplaintSource,
  describeMethod,
  describeRecipientKind,
  type Classification,
  type ComplaintSource,
  type ConsentMethod,
  type Lang,
  type RecipientKind,
} from '@consent-mailer/policy/vocabulary';

/** Store state, not a verdict of the rules: a contact no mailing has assessed yet. */
const UNASSESSED: Record<Lang, string> = { nl: 'Nog niet beoordeeld', en: 'Not assessed yet' };

/** The policy labels are written to stand inside a sentence; on their own (a select, a badge) they start upper-case. */
function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function labels<K extends string>(keys: readonly K[], label: (key: K) => string): Record<K, string> {
  return Object.fromEntries(keys.map((key) => [key, label(key)])) as Record<K, string>;
}

/** The vocabulary's words in one language, as the i18next resources hold them. */
function vocabulary(lang: Lang): {
  classes: Record<Classification | 'UNASSESSED', string>;
  methods: Record<ConsentMethod, string>;
  kinds: Record<RecipientKind, string>;
  complaintSources: Record<ComplaintSource, string>;
} {
  return {
    classes: {
      ...labels(CLASSIFICATIONS, (code) => describeClassification(code, lang).title),
      UNASSESSED: UNASSESSED[lang],
    },
    methods: labels(CONSENT_METHODS, (method) => capitalized(describeMethod(method, lang))),
    kinds: labels(RECIPIENT_KINDS, (kind) => capitalized(describeRecipientKind(kind, lang))),
    complaintSources: labels(COMPLAINT_SOURCES, (source) =>
      capitalized(describeComplaintSource(source, lang)),
    ),
  };
}

/**
 * Classes, consent methods, recipient kinds and complaint sources as `t('vocabulary.…')` shows them: built from the policy's
 * labels, so every screen says what the documents and the CLI say (one wording per concept).
 */
export const vocabularyMessages = { nl: vocabulary('nl'), en: vocabulary('en') };
