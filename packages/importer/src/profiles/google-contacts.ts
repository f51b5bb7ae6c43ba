import type { SourceProfile } from './source-profile.js';

/**
 * Google Contacts export ("Google CSV"): the current format writes "First Name", "Middle Name", "Last Name",
 * "Organization Name", "Labels", "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label", "E-mail 2 -
 * Value", "Phone 1 - Value" …; the older one "Name", "Given Name", "Additional Name", "Family Name", "Group
 * Membership", "E-mail 1 - Type", "E-mail 1 - Value", "Organization 1 - Name" …. Source: Google Contacts
 * help "Export contacts" and public sample exports. An address book holds no consent: the owner names the
 * method (usually IMPORTED_UNKNOWN with a signed attestation). Only the first address is imported.
 */
export const googleContacts: SourceProfile = {
  id: 'google-contacts',
  name: 'Google Contacts',
  files: ['contacts.csv (Google CSV)'],
  sources: ['https://support.google.com/contacts/answer/7199294'],
  party: 'person',
  signatures: [{ all: ['email1value'] }],
  columns: {
    email1value: 'email',
    firstname: 'firstName',
    givenname: 'firstName',
    middlename: 'middleName',
    additionalname: 'middleName',
    lastname: 'lastName',
    familyname: 'lastName',
    name: 'fullName',
    organizationname: 'companyName',
    organization1name: 'companyName',
    email1label: 'ignore',
    email1type: 'ignore',
    email2value: 'ignore',
    labels: 'ignore',
    groupmembership: 'ignore',
  },
  suggestedMethod: null,
  timeZone: 'Europe/Amsterdam',
};
