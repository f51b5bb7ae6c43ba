import type { ConsentMethod, LocalizedText } from '@consent-mailer/policy';

/** Methods whose proof is consent (GDPR art. 6(1)(a), Telecommunicatiewet art. 11.7(1)). */
const CONSENT_BASED: ReadonlySet<ConsentMethod> = new Set([
  'WEB_DOI',
  'WEB_SOI',
  'PHONE',
  'PAPER',
  'IMPORTED_UNKNOWN',
  'THIRD_PARTY',
]);

/** Whether a consent method claims the person's consent (else a soft opt-in or a published B2B address). */
export function isConsentBased(method: ConsentMethod): boolean {
  return CONSENT_BASED.has(method);
}

/**
 * The GDPR legal basis a method claims, as a DPV EU-GDPR concept: consent (A6-1-a) for the consent methods,
 * legitimate interest (A6-1-f) for a customer's soft opt-in and a published business address.
 */
export function legalBasisFor(method: ConsentMethod): 'eu-gdpr:A6-1-a' | 'eu-gdpr:A6-1-f' {
  return isConsentBased(method) ? 'eu-gdpr:A6-1-a' : 'eu-gdpr:A6-1-f';
}

/** The legal basis of one mailing to the person, for the bundle and the PDF. */
export interface MailingBasis {
  /** DPV EU-GDPR concept. */
  basis: 'eu-gdpr:A6-1-a' | 'eu-gdpr:A6-1-f' | 'eu-gdpr:A6-1-b';
  /** The consent method it rests on (null: no consent of this sender entity is recorded). */
  method: ConsentMethod | null;
  text: LocalizedText;
}

/**
 * Why a mailing could go to the person: a transactional mailing is no direct marketing (art. 6(1)(b));
 * a marketing one rests on the consent method recorded for the mailing's sender entity.
 */
export function mailingBasis(content: string, method: ConsentMethod | null): MailingBasis {
  if (content === 'TRANSACTIONAL') {
    return {
      basis: 'eu-gdpr:A6-1-b',
      method,
      text: {
        en: 'Service message, no direct marketing: GDPR art. 6(1)(b); Telecommunications Act art. 11.7 does not apply.',
        nl: 'Dienstbericht, geen direct marketing: AVG art. 6 lid 1 sub b; art. 11.7 Telecommunicatiewet is niet van toepassing.',
      },
    };
  }
  if (method === null) {
    return {
      basis: 'eu-gdpr:A6-1-a',
      method,
      text: {
        en: 'No consent of this sender is recorded for this person.',
        nl: 'Er is voor deze persoon geen toestemming van deze afzender vastgelegd.',
      },
    };
  }
  if (method === 'CUSTOMER') {
    return {
      basis: 'eu-gdpr:A6-1-f',
      method,
      text: {
        en: 'Existing customer (soft opt-in): Telecommunications Act art. 11.7(3); GDPR art. 6(1)(f).',
        nl: 'Bestaande klant (soft opt-in): art. 11.7 lid 3 Telecommunicatiewet; AVG art. 6 lid 1 sub f.',
      },
    };
  }
  if (method === 'B2B_PUBLISHED') {
    return {
      basis: 'eu-gdpr:A6-1-f',
      method,
      text: {
        en: 'Business address published for this purpose: GDPR art. 6(1)(f) (Telecommunications Act art. 11.7(5) for legal persons).',
        nl: 'Voor dit doel gepubliceerd zakelijk adres: AVG art. 6 lid 1 sub f (art. 11.7 lid 5 Telecommunicatiewet voor rechtspersonen).',
      },
    };
  }
  return {
    basis: 'eu-gdpr:A6-1-a',
    method,
    text: {
      en: 'Consent: Telecommunications Act art. 11.7(1); GDPR art. 6(1)(a) and art. 7(1).',
      nl: 'Toestemming: art. 11.7 lid 1 Telecommunicatiewet; AVG art. 6 lid 1 sub a en art. 7 lid 1.',
    },
  };
}
