import type { ConsentMethod, Lang } from '@consent-mailer/policy';

// Why the recipient gets this mail, per consent method (docs/policy-rules.md section 5: "why the recipient gets
// this mail (their consent method)"). Worded for the recipient, not for the lawyer.
const REASONS: Record<ConsentMethod, Record<Lang, string>> = {
  WEB_DOI: {
    en: 'You receive this e-mail because you signed up on our website and confirmed your address.',
    nl: 'U ontvangt deze e-mail omdat u zich via onze website heeft aangemeld en uw e-mailadres heeft bevestigd.',
  },
  WEB_SOI: {
    en: 'You receive this e-mail because you signed up on our website.',
    nl: 'U ontvangt deze e-mail omdat u zich via onze website heeft aangemeld.',
  },
  PHONE: {
    en: 'You receive this e-mail because you asked us by telephone to send it to you.',
    nl: 'U ontvangt deze e-mail omdat u ons telefonisch heeft gevraagd u deze te sturen.',
  },
  PAPER: {
    en: 'You receive this e-mail because you signed up on a form of ours.',
    nl: 'U ontvangt deze e-mail omdat u zich via een formulier van ons heeft aangemeld.',
  },
  CUSTOMER: {
    en: 'You receive this e-mail because you bought from us; we inform our customers about similar products.',
    nl: 'U ontvangt deze e-mail omdat u bij ons heeft gekocht; wij informeren onze klanten over soortgelijke producten.',
  },
  B2B_PUBLISHED: {
    en: 'You receive this e-mail because your organisation published this address for offers like this one.',
    nl: 'U ontvangt deze e-mail omdat uw organisatie dit adres heeft gepubliceerd voor aanbiedingen zoals deze.',
  },
  IMPORTED_UNKNOWN: {
    en: 'You receive this e-mail because your address is in our list of contacts.',
    nl: 'U ontvangt deze e-mail omdat uw adres in ons contactenbestand staat.',
  },
  THIRD_PARTY: {
    en: 'You receive this e-mail because your address was given to us by a partner.',
    nl: 'U ontvangt deze e-mail omdat uw adres ons door een partner is gegeven.',
  },
};

/**
 * The footer line that tells a recipient why they get this mail.
 *
 * @example
 * consentReason('WEB_DOI', 'en'); // 'You receive this e-mail because you signed up on our website and …'
 */
export function consentReason(method: ConsentMethod, lang: Lang): string {
  return REASONS[method][lang];
}

/**
 * The GDPR art. 21(4) statement of the right to object, shown in a contact's first mailing.
 *
 * @example
 * rightToObjectSentence('nl'); // 'U heeft altijd het recht …'
 */
export function rightToObjectSentence(lang: Lang): string {
  return lang === 'nl'
    ? 'U heeft altijd het recht bezwaar te maken tegen het gebruik van uw gegevens voor direct marketing. Meld u daarvoor af via de link hieronder; dat is gratis en zonder opgave van redenen.'
    : 'You have the right to object at any time to the use of your data for direct marketing. Unsubscribe with the link below; it is free and you need not give a reason.';
}
