import type { ConsentMethod } from '@consent-mailer/policy';
import type { ConsentRow } from '@consent-mailer/store';

/** What each source-tool fixture must become (packages/importer/test/fixtures/profiles). */
export interface ProfileCase {
  file: string;
  tool: string;
  /** The method an owner would choose for the file (null: only IMPORTED_UNKNOWN with an attestation makes sense). */
  method: ConsentMethod | null;
  rowMethodFromEvidence?: boolean;
  /** Opted out in the tool: on the suppression list after the import. */
  suppressed: string[];
  /** Declined marketing or never (finished) opting in: a contact that is BLOCKED. */
  blocked: string[];
  /** Blocked only under the file's natural method (a "customer" without a paid order, rule C5). */
  blockedAsNatural?: string[];
  /** Contacts that must be imported, with what must be on them. */
  kept: Record<
    string,
    {
      consent?: Partial<ConsentRow>;
      first?: string | null;
      last?: string | null;
      organisation?: string | null;
    }
  >;
}

export const CASES: ProfileCase[] = [
  {
    file: 'mailchimp-subscribed_members_export.csv',
    tool: 'mailchimp',
    method: 'WEB_SOI',
    rowMethodFromEvidence: true,
    suppressed: [],
    blocked: [],
    kept: {
      'anna@example.nl': {
        first: 'Anna',
        last: 'de Vries',
        consent: {
          method: 'WEB_DOI',
          signup_at: '2025-02-12T17:59:31.000Z',
          signup_ip: '192.0.2.10',
          confirmed_at: '2025-02-12T18:06:58.000Z',
          confirm_ip: '192.0.2.11',
        },
      },
      // A confirmation time without a prior sign-up (an API or single opt-in join): not a proven DOI.
      'bram@example.nl': { consent: { method: 'WEB_SOI', confirmed_at: '2025-05-01T10:00:00.000Z' } },
    },
  },
  {
    file: 'mailchimp-unsubscribed_members_export.csv',
    tool: 'mailchimp',
    method: null,
    suppressed: ['weg@example.nl', 'ooknietmeer@example.nl'],
    blocked: [],
    kept: {},
  },
  {
    file: 'mailchimp-cleaned_members_export.csv',
    tool: 'mailchimp',
    method: null,
    suppressed: ['bestaatniet@example.nl'],
    blocked: [],
    kept: {},
  },
  {
    file: 'laposta-api-members.csv',
    tool: 'laposta',
    method: 'WEB_SOI',
    suppressed: ['oud@example.net', 'kapot@example.net'],
    blocked: ['nooitbevestigd@example.net'],
    kept: {
      'maartje@example.net': {
        consent: {
          method: 'WEB_SOI',
          signup_at: '2025-03-12T09:00:00.000Z',
          signup_ip: '198.51.100.7',
          source: 'https://example.nl/nieuwsbrief',
        },
      },
    },
  },
  {
    file: 'laposta-ui-relaties.csv',
    tool: 'laposta',
    method: 'WEB_SOI',
    suppressed: ['gerrit@example.nl', 'isaak@example.nl'],
    blocked: ['hanna@example.nl'],
    kept: {
      'fenna@example.nl': {
        first: 'Fenna',
        last: 'Zoë de Boer',
        consent: {
          signup_at: '2025-03-12T09:00:00.000Z',
          signup_ip: '198.51.100.20',
          source: 'https://example.nl/aanmelden',
        },
      },
    },
  },
  {
    file: 'mailerlite-api-subscribers.csv',
    tool: 'mailerlite',
    method: 'WEB_SOI',
    rowMethodFromEvidence: true,
    suppressed: ['tim@example.nl', 'victor@example.nl', 'wendy@example.nl'],
    blocked: ['ursula@example.nl'],
    kept: {
      'sanne@example.nl': {
        first: 'Sanne',
        organisation: 'Visser Advies',
        consent: {
          method: 'WEB_DOI',
          confirmed_at: '2025-08-31T14:25:00.000Z',
          confirm_ip: '192.0.2.41',
          source: 'webform',
        },
      },
    },
  },
  {
    file: 'mailerlite-ui-export.csv',
    tool: 'mailerlite',
    method: 'WEB_SOI',
    rowMethodFromEvidence: true,
    suppressed: ['zeger@example.nl'],
    blocked: ['yara@example.nl'],
    kept: { 'xander@example.nl': { consent: { method: 'WEB_DOI', confirm_ip: '192.0.2.51' } } },
  },
  {
    file: 'brevo-contacts.csv',
    tool: 'brevo',
    method: 'WEB_SOI',
    suppressed: ['geblokt@example.nl'],
    blocked: ['halfweg@example.nl'],
    kept: { 'lisa@example.nl': { first: 'Lisa' } },
  },
  {
    file: 'klaviyo-profiles.csv',
    tool: 'klaviyo',
    method: 'WEB_SOI',
    suppressed: ['lex@example.nl', 'mia@example.nl', 'otto@example.nl'],
    blocked: ['nina@example.nl'],
    kept: {
      'karin@example.nl': {
        consent: { signup_at: '2025-06-01T10:00:00.000Z', signup_ip: '192.0.2.60', source: 'Footer form' },
      },
    },
  },
  {
    file: 'activecampaign-contacts.csv',
    tool: 'activecampaign',
    method: 'WEB_SOI',
    suppressed: ['quinten@example.nl', 'rosa@example.nl'],
    blocked: ['stijn@example.nl'],
    kept: { 'paula@example.nl': { organisation: 'Actief BV', consent: { signup_ip: '192.0.2.70' } } },
  },
  {
    file: 'mautic-contacts.csv',
    tool: 'mautic',
    method: 'WEB_SOI',
    suppressed: ['udo@example.nl', 'vera@example.nl', 'wout@example.nl'],
    blocked: [],
    kept: { 'tessa@example.nl': { first: 'Tessa' } },
  },
  {
    file: 'listmonk-subscribers.csv',
    tool: 'listmonk',
    method: 'WEB_SOI',
    suppressed: ['geblokt@example.org'],
    blocked: ['uitgezet@example.org'],
    kept: {
      'lotte@example.nl': {
        first: 'Lotte',
        last: 'Bakker',
        consent: { signup_at: '2025-02-01T09:15:00.123Z' },
      },
    },
  },
  {
    file: 'sendy-subscribers.csv',
    tool: 'sendy',
    method: 'WEB_SOI',
    suppressed: ['boris@example.nl', 'cas@example.nl', 'dirk@example.nl'],
    blocked: ['eva@example.nl'],
    kept: { 'anouk@example.nl': { first: 'Anouk', consent: { signup_at: '2025-04-01T12:00:00.000Z' } } },
  },
  {
    file: 'shopify-customers_export.csv',
    tool: 'shopify',
    method: 'CUSTOMER',
    suppressed: [],
    blocked: ['gijs@example.nl'],
    blockedAsNatural: ['hilde@example.nl'],
    kept: {
      'femke@example.nl': {
        first: 'Femke',
        consent: {
          method: 'CUSTOMER',
          order_paid: 1,
          order_ref: 'Shopify customer 7012345678901: 3 orders, 120.50 spent',
        },
      },
      'hilde@example.nl': { consent: { order_paid: 0 } },
    },
  },
  {
    file: 'woocommerce-customers.csv',
    tool: 'woocommerce',
    method: 'CUSTOMER',
    suppressed: [],
    blocked: [],
    blockedAsNatural: ['jeroen@example.nl'],
    kept: {
      'ilse@example.nl': {
        first: 'Ilse',
        last: 'Koper',
        consent: {
          order_paid: 1,
          order_ref: 'WooCommerce customer: 2 orders, €89,90 spent',
          signup_at: '2024-01-15T09:00:00.000Z',
        },
      },
    },
  },
  {
    file: 'lightspeed-retail-customers.csv',
    tool: 'lightspeed',
    method: 'CUSTOMER',
    suppressed: [],
    blocked: ['lies@example.nl'],
    kept: { 'kees@example.nl': { first: 'Kees', last: 'Winkel' } },
  },
  {
    file: 'google-contacts.csv',
    tool: 'google-contacts',
    method: null,
    suppressed: [],
    blocked: [],
    kept: {
      'marieke@example.nl': { first: 'Marieke', last: 'van Dam', organisation: 'Dam Bloemen' },
      'info@vandenberg-installatie.example': {
        first: null,
        last: null,
        organisation: 'Van den Berg Installatietechniek B.V.',
      },
    },
  },
  {
    file: 'outlook-contacts.csv',
    tool: 'outlook',
    method: null,
    suppressed: [],
    blocked: [],
    kept: {
      'noor@example.nl': { first: 'Noor', last: 'van der Laan', organisation: 'Laan Advies' },
      'rene@example.fr': { first: 'René', last: 'Maître' },
    },
  },
  {
    file: 'exact-online-relaties.csv',
    tool: 'exact-online',
    method: null,
    suppressed: [],
    blocked: [],
    kept: {
      // The company is the organisation; the main contact is the person greeted ("Hallo Piet", never "Hallo Van").
      'piet@vandenberg-installatie.example': {
        first: 'Piet',
        last: 'van den Berg',
        organisation: 'Van den Berg Installatietechniek B.V.',
      },
      'info@vandijkschilders.example': { first: null, last: null, organisation: 'Van Dijk Schilders' },
    },
  },
  {
    file: 'moneybird-contacten.csv',
    tool: 'moneybird',
    method: null,
    suppressed: [],
    blocked: [],
    kept: {
      'ruud@bakkerij-ruiz.example': { first: 'Ruud', last: 'Ruiz', organisation: 'Bakkerij Ruiz' },
      'sara@example.nl': { first: 'Sara', last: 'Jansen', organisation: null },
      'jansenzn@example.nl': { first: null, last: null, organisation: 'Jansen & Zn.' },
    },
  },
  {
    file: 'e-boekhouden-relaties.csv',
    tool: 'e-boekhouden',
    method: null,
    suppressed: [],
    blocked: ['ab@geenpost.example'],
    kept: {
      'tom@debrug.example': { first: 'Tom', last: 'Brug', organisation: 'Stichting De Brug' },
      'zoe@example.nl': { first: 'Zoë', last: 'de Wit', organisation: null },
    },
  },
];
