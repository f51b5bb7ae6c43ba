import type { SourceProfile } from './source-profile.js';

/**
 * Exact Online relations (CRM > Relaties > Exporteren; Accounts API): "Code", "Naam", "Zoekcode",
 * "Adres", "Postcode", "Plaats", "Land", "Telefoon", "E-mail", "Website", "Btw-nummer", "KvK-nummer",
 * "Hoofdcontactpersoon"; the API's Account writes Code, Name, Email, ChamberOfCommerce, VATNumber,
 * MainContact (contact person). Sources: Exact Online REST API reference (crm/Accounts) and Exact's help on
 * exporting relations; the Dutch labels were not checked against a real export file.
 *
 * A relation is an organisation: its name is a company name ("Van den Berg Installatietechniek B.V." must
 * not become first name "Van"), never split; the main contact person is the person greeted.
 */
export const exactOnline: SourceProfile = {
  id: 'exact-online',
  name: 'Exact Online',
  files: ['Relaties > Exporteren', 'API crm/Accounts'],
  sources: ['https://start.exactonline.nl/docs/HlpRestAPIResourcesDetails.aspx?name=CRMAccounts'],
  party: 'organisation',
  signatures: [
    { all: ['naam'], any: ['zoekcode', 'hoofdcontactpersoon', 'relatiecode', 'kvknummer', 'btwnummer'] },
    { all: ['name'], any: ['chamberofcommerce', 'vatnumber', 'maincontact', 'searchcode'] },
  ],
  columns: {
    naam: 'relationName',
    name: 'relationName',
    email: 'email',
    hoofdcontactpersoon: 'fullName',
    contactpersoon: 'fullName',
    maincontact: 'fullName',
    code: 'ignore',
    zoekcode: 'ignore',
    searchcode: 'ignore',
    kvknummer: 'ignore',
    btwnummer: 'ignore',
    chamberofcommerce: 'ignore',
    vatnumber: 'ignore',
  },
  suggestedMethod: null,
  timeZone: 'Europe/Amsterdam',
};
