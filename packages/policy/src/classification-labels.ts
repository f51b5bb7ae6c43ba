// The title and summary of each classification: the words every screen, document and command uses for a class.
import type { Classification } from './enums.js';
import type { Lang } from './lang.js';

/** A classification explained: a short title and one sentence on what it means for the user. */
export interface ClassificationText {
  title: string;
  summary: string;
}

const CLASSIFICATION_TEXTS: Record<Lang, Record<Classification, ClassificationText>> = {
  en: {
    ALLOWED_PROVEN: {
      title: 'Allowed, with proof',
      summary: 'You may send this mail, and you can show why you were allowed to.',
    },
    ALLOWED_GREY: {
      title: 'Allowed, proof incomplete',
      summary: 'You may send this mail, but your proof has gaps. Fill them when you can.',
    },
    TRANSFER_RISK: {
      title: 'Only at your own risk',
      summary:
        'Only after you sign a risk statement: any fine and any blocklist or hosting costs are then yours.',
    },
    BLOCKED: { title: 'Not allowed', summary: 'Do not send this mail: it would break the rules.' },
  },
  nl: {
    ALLOWED_PROVEN: {
      title: 'Toegestaan, met bewijs',
      summary: 'Je mag deze mail sturen en je kunt aantonen waarom dat mag.',
    },
    ALLOWED_GREY: {
      title: 'Toegestaan, bewijs onvolledig',
      summary: 'Je mag deze mail sturen, maar je bewijs heeft gaten. Vul die aan zodra het kan.',
    },
    TRANSFER_RISK: {
      title: 'Alleen op eigen risico',
      summary:
        'Alleen nadat je een risicoverklaring tekent: een eventuele boete en kosten van blacklisting of de hoster zijn dan voor jou.',
    },
    BLOCKED: { title: 'Niet toegestaan', summary: 'Stuur deze mail niet: dat is tegen de regels.' },
  },
};

/**
 * What a classification means, as a title and one sentence.
 *
 * @example
 * describeClassification('TRANSFER_RISK', 'en').title; // 'Only at your own risk'
 */
export function describeClassification(classification: Classification, lang: Lang): ClassificationText {
  return CLASSIFICATION_TEXTS[lang][classification];
}
