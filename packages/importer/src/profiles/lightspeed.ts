import type { SourceProfile } from './source-profile.js';

/**
 * Lightspeed: the Retail (R-Series) customer export ("Customer ID", "First Name", "Last Name", "Company",
 * "Email", "Customer Type", "No Email", "No Mail", "No Call") and the eCom (C-Series) customer export
 * ("Firstname", "Middlename", "Lastname", "Email", "Company", "Newsletter"; Dutch shops "Voornaam",
 * "Tussenvoegsel", "Achternaam", "E-mail", "Bedrijfsnaam", "Nieuwsbrief"). Sources: Lightspeed Retail API
 * (Customer: noEmail, noMail, noPhone, contact email) and Lightspeed eCom API (customers: firstname,
 * middlename, lastname, email, isNewsletterSubscribed? as "newsletter"). Not checked against real files.
 *
 * "No Email = yes" and "Newsletter = no" are the customer declining marketing: an objection.
 */
export const lightspeed: SourceProfile = {
  id: 'lightspeed',
  name: 'Lightspeed',
  files: ['Retail: Customers > Export', 'eCom: Customers > Export'],
  sources: [
    'https://developers.lightspeedhq.com/retail/endpoints/Customer/',
    'https://developers.lightspeedhq.com/ecom/endpoints/customer/',
  ],
  party: 'person',
  signatures: [
    { all: ['email'], any: ['noemail', 'nomail', 'nocall', 'customertype'] },
    { all: ['email', 'middlename', 'newsletter'] },
    { all: ['email', 'tussenvoegsel', 'nieuwsbrief'] },
  ],
  columns: {
    customerid: 'customerId',
    firstname: 'firstName',
    middlename: 'middleName',
    lastname: 'lastName',
    voornaam: 'firstName',
    tussenvoegsel: 'middleName',
    achternaam: 'lastName',
    email: 'email',
    company: 'companyName',
    bedrijfsnaam: 'companyName',
    noemail: 'doNotEmail',
    newsletter: 'marketingConsent',
    nieuwsbrief: 'marketingConsent',
    nomail: 'ignore',
    nocall: 'ignore',
    customertype: 'ignore',
  },
  suggestedMethod: 'CUSTOMER',
  timeZone: 'Europe/Amsterdam',
};
