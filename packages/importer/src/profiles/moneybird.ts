import type { SourceProfile } from './source-profile.js';

/**
 * Moneybird contacts: the API contact (company_name, firstname, lastname, email, customer_id,
 * chamber_of_commerce, tax_number, send_invoices_to_email …) and the Dutch CSV export ("Bedrijfsnaam",
 * "Voornaam", "Achternaam", "E-mailadres", "Klantnummer", "KvK-nummer", "Btw-nummer", "Adres 1",
 * "Postcode", "Plaats", "Land", "Telefoonnummer"). Sources: Moneybird API reference (developer.moneybird.com,
 * Contacts) and its help on exporting contacts; the Dutch labels were not checked against a real file.
 * A contact is a company with an optional contact person, or a person (no company name).
 */
export const moneybird: SourceProfile = {
  id: 'moneybird',
  name: 'Moneybird',
  files: ['Contacten > Exporteren', 'API contacts'],
  sources: ['https://developer.moneybird.com/api/contacts/'],
  party: 'organisation',
  signatures: [
    {
      all: ['companyname', 'firstname', 'lastname'],
      any: ['customerid', 'chamberofcommerce', 'taxnumber', 'sendinvoicestoemail'],
    },
    {
      all: ['bedrijfsnaam', 'voornaam', 'achternaam'],
      any: ['klantnummer', 'kvknummer', 'btwnummer', 'factuuremailadres'],
    },
  ],
  columns: {
    companyname: 'companyName',
    bedrijfsnaam: 'companyName',
    firstname: 'firstName',
    voornaam: 'firstName',
    lastname: 'lastName',
    achternaam: 'lastName',
    email: 'email',
    emailadres: 'email',
    customerid: 'ignore',
    klantnummer: 'ignore',
    chamberofcommerce: 'ignore',
    kvknummer: 'ignore',
    taxnumber: 'ignore',
    btwnummer: 'ignore',
    sendinvoicestoemail: 'ignore',
    factuuremailadres: 'ignore',
  },
  suggestedMethod: null,
  timeZone: 'Europe/Amsterdam',
};
