import type { ComplaintSource, ConsentMethod, RecipientKind } from './enums.js';
import type { ReasonCode } from './reason.js';
import type { Lang } from './lang.js';

const METHOD_LABELS: Record<Lang, Record<ConsentMethod, string>> = {
  en: {
    WEB_DOI: 'web sign-up confirmed by e-mail (double opt-in)',
    WEB_SOI: 'web sign-up without confirmation (single opt-in)',
    PHONE: 'consent by phone',
    PAPER: 'consent on paper',
    CUSTOMER: 'existing customer (soft opt-in)',
    B2B_PUBLISHED: 'published business address',
    IMPORTED_UNKNOWN: 'imported, origin unknown',
    THIRD_PARTY: 'from a third party',
  },
  nl: {
    WEB_DOI: 'aanmelding via website, bevestigd per e-mail (dubbele opt-in)',
    WEB_SOI: 'aanmelding via website zonder bevestiging (enkele opt-in)',
    PHONE: 'toestemming via telefoon',
    PAPER: 'toestemming op papier',
    CUSTOMER: 'bestaande klant (soft opt-in)',
    B2B_PUBLISHED: 'gepubliceerd bedrijfsadres',
    IMPORTED_UNKNOWN: 'geïmporteerd, herkomst onbekend',
    THIRD_PARTY: 'van een derde partij',
  },
};

const RECIPIENT_KIND_LABELS: Record<Lang, Record<RecipientKind, string>> = {
  en: {
    CONSUMER: 'consumer',
    SOLE_TRADER: 'sole trader',
    LEGAL_PERSON: 'company (legal person)',
    UNKNOWN: 'unknown',
  },
  nl: {
    CONSUMER: 'particulier',
    SOLE_TRADER: 'eenmanszaak',
    LEGAL_PERSON: 'bedrijf (rechtspersoon)',
    UNKNOWN: 'onbekend',
  },
};

const COMPLAINT_SOURCE_LABELS: Record<Lang, Record<ComplaintSource, string>> = {
  en: {
    ARF: 'the spam button of their mail provider',
    SPAMKLACHT: 'spamklacht.nl (the regulator ACM)',
    HOSTER: 'your hosting company',
    DATACENTER: 'the datacenter',
    MANUAL: 'a complaint you recorded yourself',
  },
  nl: {
    ARF: 'de spamknop van hun mailprovider',
    SPAMKLACHT: 'spamklacht.nl (toezichthouder ACM)',
    HOSTER: 'je hostingbedrijf',
    DATACENTER: 'het datacenter',
    MANUAL: 'een klacht die je zelf hebt vastgelegd',
  },
};

const REASON_TITLES: Record<Lang, Record<ReasonCode, string>> = {
  en: {
    G0: 'service message',
    G1: 'unsubscribed or objected',
    G2: 'spam complaint',
    G3: 'permanent bounce',
    G4: 'repeated temporary bounces',
    G5: 'consent for another company',
    G6: 'not signed up for this list',
    G7: 'unknown whether person or business',
    D1: 'confirmed by e-mail, full proof',
    D2: 'confirmed, proof incomplete',
    D3: 'confirmed, consent text unknown',
    D4: 'confirmed suspiciously fast',
    D5: 'never confirmed',
    S1: 'single opt-in',
    S2: 'single opt-in without proof',
    P1: 'phone consent',
    Q1: 'paper consent',
    P2: 'phone consent without proof',
    Q2: 'paper consent without proof',
    C1: 'recent paying customer',
    C2: 'customer, last purchase 2–3 years ago',
    C3: 'customer, last purchase over 3 years ago',
    C4: 'customer without proof of payment',
    C5: 'never paid',
    C6: 'no opt-out offered at collection',
    C7: 'opt-out at collection unknown',
    C8: 'products not similar',
    C9: 'similarity not checkable',
    C10: "another company's products",
    C11: 'free tier of a paid service',
    B1: 'published business address',
    B2: 'published address, proof incomplete',
    B3: 'published-address exception does not apply',
    U1: 'unknown origin, no statement',
    U2: 'unknown origin, signed import statement',
    T1: 'third-party address',
    A1: 'consent over 2 years old',
    A2: 'consent over 3 years old',
    K1: 'tracking without consent',
    M1: 'sender not identified',
    M2: 'no unsubscribe link',
    M3: 'right to object missing',
    M5: 'footer incomplete',
    M6: 'List-Unsubscribe header',
    M7: 'domain authentication',
    M10: 'complaint rate too high',
    M11: 'complaint rate elevated',
    M12: 'hard-bounce rate',
    M13: 'recent abuse notice',
    M14: 'blocklisted',
    M15: 'recipients held back',
  },
  nl: {
    G0: 'servicebericht',
    G1: 'afgemeld of bezwaar gemaakt',
    G2: 'spamklacht',
    G3: 'definitief onbestelbaar',
    G4: 'herhaald tijdelijk onbestelbaar',
    G5: 'toestemming voor een ander bedrijf',
    G6: 'niet aangemeld voor deze lijst',
    G7: 'onbekend of particulier of bedrijf',
    D1: 'per e-mail bevestigd, volledig bewijs',
    D2: 'bevestigd, bewijs onvolledig',
    D3: 'bevestigd, toestemmingstekst onbekend',
    D4: 'verdacht snel bevestigd',
    D5: 'nooit bevestigd',
    S1: 'enkele opt-in',
    S2: 'enkele opt-in zonder bewijs',
    P1: 'telefonische toestemming',
    Q1: 'toestemming op papier',
    P2: 'telefonische toestemming zonder bewijs',
    Q2: 'toestemming op papier zonder bewijs',
    C1: 'recente betalende klant',
    C2: 'klant, laatste aankoop 2–3 jaar geleden',
    C3: 'klant, laatste aankoop meer dan 3 jaar geleden',
    C4: 'klant zonder betaalbewijs',
    C5: 'nooit betaald',
    C6: 'geen afmeldmogelijkheid bij verzamelen',
    C7: 'afmeldmogelijkheid bij verzamelen onbekend',
    C8: 'producten niet vergelijkbaar',
    C9: 'vergelijkbaarheid niet te controleren',
    C10: 'producten van een ander bedrijf',
    C11: 'gratis variant van een betaalde dienst',
    B1: 'gepubliceerd bedrijfsadres',
    B2: 'gepubliceerd adres, bewijs onvolledig',
    B3: 'uitzondering gepubliceerd adres geldt niet',
    U1: 'herkomst onbekend, geen verklaring',
    U2: 'herkomst onbekend, ondertekende importverklaring',
    T1: 'adres van derden',
    A1: 'toestemming ouder dan 2 jaar',
    A2: 'toestemming ouder dan 3 jaar',
    K1: 'meten zonder toestemming',
    M1: 'afzender niet vermeld',
    M2: 'geen afmeldlink',
    M3: 'recht van bezwaar ontbreekt',
    M5: 'voettekst onvolledig',
    M6: 'List-Unsubscribe-header',
    M7: 'domeinauthenticatie',
    M10: 'te veel spamklachten',
    M11: 'verhoogd aantal spamklachten',
    M12: 'onbestelbare adressen',
    M13: 'recente misbruikmelding',
    M14: 'op een blocklist',
    M15: 'ontvangers tegengehouden',
  },
};

/**
 * A short name of a consent method for lists and documents.
 *
 * @example
 * describeMethod('WEB_SOI', 'nl'); // 'aanmelding via website zonder bevestiging (enkele opt-in)'
 */
export function describeMethod(method: ConsentMethod, lang: Lang): string {
  return METHOD_LABELS[lang][method];
}

/**
 * What kind of recipient a contact is, for lists and documents.
 *
 * @example
 * describeRecipientKind('SOLE_TRADER', 'nl'); // 'eenmanszaak'
 */
export function describeRecipientKind(kind: RecipientKind, lang: Lang): string {
  return RECIPIENT_KIND_LABELS[lang][kind];
}

/**
 * Who a complaint came through, worded to follow "via" in a sentence.
 *
 * @example
 * describeComplaintSource('ARF', 'en'); // 'the spam button of their mail provider'
 */
export function describeComplaintSource(source: ComplaintSource, lang: Lang): string {
  return COMPLAINT_SOURCE_LABELS[lang][source];
}

/**
 * A short title of a rule, for counts and headings (the full text comes from `explainReason`).
 *
 * @example
 * reasonTitle('G2', 'en'); // 'spam complaint'
 */
export function reasonTitle(code: ReasonCode, lang: Lang): string {
  return REASON_TITLES[lang][code];
}
