import type { SourceProfile } from './source-profile.js';

/**
 * e-Boekhouden.nl relations (Relaties > Exporteren; the SOAP API's cRelatie): Code, Bedrijf, Contactpersoon,
 * Geslacht, Adres, Postcode, Plaats, Land, Telefoon, GSM, FAX, Email, Site, Notitie, BTWNummer, KvkNummer,
 * Aanhef, IBAN, BIC, BP (B = bedrijf, P = particulier), GeenEmail, AddDatum. "Bedrijf" holds the person's
 * name for a private person (BP = P). Sources: the e-Boekhouden SOAP WSDL (oRel, as generated in
 * Pinelab-studio/pinelab-vendure-plugins, eboekhoudenwsdl/definitions/ORel.ts) and its API documentation.
 *
 * GeenEmail = 1 is the relation asking not to be e-mailed: an objection.
 */
export const eBoekhouden: SourceProfile = {
  id: 'e-boekhouden',
  name: 'e-Boekhouden.nl',
  files: ['Relaties > Exporteren', 'SOAP GetRelaties'],
  sources: [
    'https://secure.e-boekhouden.nl/handleiding/Documentatie_soap.pdf',
    'https://github.com/Pinelab-studio/pinelab-vendure-plugins',
  ],
  party: 'organisation',
  signatures: [
    {
      all: ['bedrijf', 'contactpersoon'],
      any: ['bp', 'geenemail', 'kvknummer', 'btwnummer', 'adddatum', 'aanhef'],
    },
  ],
  columns: {
    bedrijf: 'relationName',
    contactpersoon: 'fullName',
    email: 'email',
    bp: 'recipientKind',
    geenemail: 'doNotEmail',
    code: 'ignore',
    geslacht: 'ignore',
    aanhef: 'ignore',
    notitie: 'ignore',
    adddatum: 'ignore',
    kvknummer: 'ignore',
    btwnummer: 'ignore',
  },
  values: { recipientKind: { b: 'LEGAL_PERSON', p: 'CONSUMER' } },
  suggestedMethod: null,
  timeZone: 'Europe/Amsterdam',
};
