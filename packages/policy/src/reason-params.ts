// How a reason text reads its parameters in one language: dates in Dutch time, numbers and percentages in
// the language's format, evidence field and complaint source names, lists joined with "and"/"en".
import { COMPLAINT_SOURCES, type ComplaintSource } from './enums.js';
import { describeComplaintSource } from './labels.js';
import type { Lang } from './lang.js';
import type { AbuseNoticeSource } from './mailing-facts.js';
import type { ReasonParams } from './reason.js';

/** Options for texts: display names for entity and list ids (otherwise the id itself is shown). */
export interface TextOptions {
  /** Display names by id, for sender entities and lists (e.g. `{ 'bakkerij-bv': 'Bakkerij Jansen B.V.' }`). */
  names?: Readonly<Record<string, string>>;
}

/** Human names of the evidence fields that `missing` lists may contain. */
const FIELD_LABELS: Record<Lang, Record<string, string>> = {
  en: {
    signupAt: 'sign-up time',
    signupIp: 'IP address at sign-up',
    signupUserAgent: 'browser at sign-up',
    source: 'where they signed up',
    consentTextVersionId: 'the consent text they saw',
    confirmTokenId: 'confirmation link id',
    confirmedAt: 'confirmation time',
    confirmIp: 'IP address at confirmation',
    confirmUserAgent: 'browser at confirmation',
    phoneAgent: 'who took the call',
    paperScanRef: 'scan of the paper form',
    orderRef: 'order number',
    orderPaid: 'proof the order was paid',
    lastPurchaseAt: 'date of the last purchase',
    purchaseCategories: 'what they bought',
    collectionTextVersionId: 'the text shown when the address was collected',
    publishedUrl: 'web page where the address was published',
    publishedCapturedAt: 'when that page was saved',
    publishedPurpose: 'what the address was published for',
    recipientKind: 'proof it is a business (legal person)',
    addressKind: 'proof it is a general business address (like info@)',
    postalAddress: 'postal address',
    contactEmail: 'contact e-mail address',
    kvkNumber: 'KvK (Chamber of Commerce) number',
    'List-Unsubscribe': 'List-Unsubscribe header',
    https: 'an https unsubscribe link',
    'One-Click': 'one-click unsubscribe',
    SPF: 'SPF',
    DKIM: 'DKIM',
    DMARC: 'a DMARC record',
    alignment: 'SPF/DKIM matching the From domain (alignment)',
  },
  nl: {
    signupAt: 'tijdstip van aanmelden',
    signupIp: 'IP-adres bij aanmelden',
    signupUserAgent: 'browser bij aanmelden',
    source: 'waar ze zich aanmeldden',
    consentTextVersionId: 'de toestemmingstekst die ze zagen',
    confirmTokenId: 'id van de bevestigingslink',
    confirmedAt: 'tijdstip van bevestigen',
    confirmIp: 'IP-adres bij bevestigen',
    confirmUserAgent: 'browser bij bevestigen',
    phoneAgent: 'wie het gesprek voerde',
    paperScanRef: 'scan van het papieren formulier',
    orderRef: 'ordernummer',
    orderPaid: 'bewijs dat de bestelling betaald is',
    lastPurchaseAt: 'datum van de laatste aankoop',
    purchaseCategories: 'wat ze kochten',
    collectionTextVersionId: 'de tekst die getoond werd toen het adres werd verzameld',
    publishedUrl: 'webpagina waar het adres gepubliceerd stond',
    publishedCapturedAt: 'wanneer die pagina is vastgelegd',
    publishedPurpose: 'waarvoor het adres gepubliceerd was',
    recipientKind: 'bewijs dat het een bedrijf (rechtspersoon) is',
    addressKind: 'bewijs dat het een algemeen bedrijfsadres is (zoals info@)',
    postalAddress: 'postadres',
    contactEmail: 'contact-e-mailadres',
    kvkNumber: 'KvK-nummer',
    'List-Unsubscribe': 'List-Unsubscribe-header',
    https: 'een https-afmeldlink',
    'One-Click': 'afmelden met één klik',
    SPF: 'SPF',
    DKIM: 'DKIM',
    DMARC: 'een DMARC-record',
    alignment: 'SPF/DKIM die passen bij het afzenderdomein (alignment)',
  },
};

const ABUSE_SOURCE_TEXTS: Record<Lang, Record<AbuseNoticeSource, string>> = {
  en: {
    SPAMKLACHT: 'spamklacht.nl',
    ACM: 'the regulator ACM',
    HOSTER: 'your hosting company',
    DATACENTER: 'the datacenter',
  },
  nl: {
    SPAMKLACHT: 'spamklacht.nl',
    ACM: 'toezichthouder ACM',
    HOSTER: 'je hostingbedrijf',
    DATACENTER: 'het datacenter',
  },
};

const LOCALE: Record<Lang, string> = { en: 'en-GB', nl: 'nl-NL' };
// Dates are shown in Dutch time: the product's users and their regulator are in the Netherlands.
const DATE_FORMAT: Record<Lang, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }),
  nl: new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }),
};
const PERCENT_FORMAT: Record<Lang, Intl.NumberFormat> = {
  en: new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 2 }),
  nl: new Intl.NumberFormat('nl-NL', { style: 'percent', maximumFractionDigits: 2 }),
};

/** Reads parameters for one text in one language; missing values show as a neutral placeholder. */
export class Params {
  constructor(
    private readonly params: ReasonParams,
    private readonly lang: Lang,
    private readonly options: TextOptions,
  ) {}

  has(key: string): boolean {
    return this.params[key] !== undefined;
  }

  includes(key: string, item: string): boolean {
    const value = this.params[key];
    return Array.isArray(value) && (value as readonly string[]).includes(item);
  }

  text(key: string): string {
    const value = this.params[key];
    if (value === undefined) return '?';
    return Array.isArray(value) ? this.list(value) : String(value);
  }

  name(key: string): string {
    const id = this.text(key);
    const display = this.options.names?.[id];
    return display === undefined ? `"${id}"` : `${display}`;
  }

  date(key: string): string {
    const value = this.params[key];
    if (typeof value !== 'string') return '?';
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : DATE_FORMAT[this.lang].format(ms);
  }

  number(key: string): string {
    const value = this.params[key];
    return typeof value === 'number' ? value.toLocaleString(LOCALE[this.lang]) : this.text(key);
  }

  percent(key: string): string {
    const value = this.params[key];
    return typeof value === 'number' ? PERCENT_FORMAT[this.lang].format(value) : this.text(key);
  }

  fields(key: string): string {
    const value = this.params[key];
    const list = Array.isArray(value) ? (value as readonly string[]) : [];
    return this.list(list.map((field) => FIELD_LABELS[this.lang][field] ?? field));
  }

  list(items: readonly string[]): string {
    const and = this.lang === 'nl' ? 'en' : 'and';
    if (items.length <= 1) return items.join('');
    return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1] ?? ''}`;
  }

  complaintSource(key: string): string {
    const value = this.params[key];
    return typeof value === 'string' && (COMPLAINT_SOURCES as readonly string[]).includes(value)
      ? describeComplaintSource(value as ComplaintSource, this.lang)
      : '';
  }

  abuseSource(key: string): string {
    const value = this.params[key];
    return typeof value === 'string' && value in ABUSE_SOURCE_TEXTS[this.lang]
      ? ABUSE_SOURCE_TEXTS[this.lang][value as AbuseNoticeSource]
      : this.text(key);
  }
}

/** One reason's text in one language. */
export type TextFn = (p: Params) => string;
