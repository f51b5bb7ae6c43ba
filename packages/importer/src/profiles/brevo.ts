import type { SourceProfile } from './source-profile.js';

/**
 * Brevo (formerly Sendinblue) contact export: "CONTACT ID", EMAIL, FIRSTNAME, LASTNAME (NOM/PRENOM in French
 * accounts, VORNAME/NACHNAME in German ones), SMS, "DOUBLE_OPT-IN" (Yes/No), OPT_IN, EMAIL_BLACKLISTED
 * (Yes/No), SMS_BLACKLISTED, ADDED_TIME, MODIFIED_TIME. Sources: Brevo help "Export your contacts" and the
 * attributes of the Brevo API contact (emailBlacklisted, smsBlacklisted, attributes.DOUBLE_OPT-IN).
 *
 * EMAIL_BLACKLISTED=Yes is an unsubscribe or a block by the account: suppressed. DOUBLE_OPT-IN=No means the
 * confirmation was never completed: an unfinished opt-in, never mailable (not an unknown origin that a
 * signature could cover). ADDED_TIME is when the contact entered Brevo (an import as much as a sign-up), so
 * it is not taken as the sign-up time.
 */
export const brevo: SourceProfile = {
  id: 'brevo',
  name: 'Brevo',
  files: ['Contacts > Export (CSV)'],
  sources: [
    'https://help.brevo.com/hc/en-us/articles/209456645-Export-your-contacts',
    'https://developers.brevo.com/reference/getcontacts-1',
  ],
  party: 'person',
  signatures: [{ all: ['email'], any: ['emailblacklisted', 'doubleoptin', 'smsblacklisted'] }],
  columns: {
    email: 'email',
    firstname: 'firstName',
    prenom: 'firstName',
    vorname: 'firstName',
    lastname: 'lastName',
    nom: 'lastName',
    nachname: 'lastName',
    emailblacklisted: 'blocklisted',
    doubleoptin: 'doubleOptIn',
    contactid: 'ignore',
    sms: 'ignore',
    smsblacklisted: 'ignore',
    optin: 'ignore',
    addedtime: 'ignore',
    modifiedtime: 'ignore',
  },
  timeZone: 'UTC',
};
