import type { SourceProfile } from './source-profile.js';

/**
 * Outlook contacts export (Outlook CSV, desktop and outlook.com): "First Name", "Middle Name", "Last Name",
 * "Title", "Suffix", "Company", "Department", "Job Title", "E-mail Address", "E-mail Type", "E-mail Display
 * Name", "E-mail 2 Address", "E-mail 3 Address" …; Dutch Outlook writes "Voornaam", "Middelste naam",
 * "Achternaam", "Bedrijf", "E-mailadres", "E-mail 2-adres", "Weergavenaam voor e-mail". Source: Microsoft
 * support "Export contacts from Outlook" and public Outlook CSV templates. An address book holds no consent.
 */
export const outlook: SourceProfile = {
  id: 'outlook',
  name: 'Outlook',
  files: ['contacts.csv (Outlook CSV)'],
  sources: [
    'https://support.microsoft.com/en-us/office/export-contacts-from-outlook-10f09abd-643c-4495-bb80-543714eca73f',
  ],
  party: 'person',
  signatures: [
    {
      all: ['emailaddress'],
      any: ['email2address', 'emaildisplayname', 'givenyomi', 'surnameyomi', 'emailtype'],
    },
    { all: ['emailadres'], any: ['email2adres', 'weergavenaamvooremail', 'middelstenaam'] },
  ],
  columns: {
    emailaddress: 'email',
    emailadres: 'email',
    firstname: 'firstName',
    voornaam: 'firstName',
    middlename: 'middleName',
    middelstenaam: 'middleName',
    lastname: 'lastName',
    achternaam: 'lastName',
    company: 'companyName',
    bedrijf: 'companyName',
    title: 'ignore',
    suffix: 'ignore',
    jobtitle: 'ignore',
    department: 'ignore',
    emailtype: 'ignore',
    emaildisplayname: 'ignore',
    email2address: 'ignore',
    email3address: 'ignore',
    email2adres: 'ignore',
    weergavenaamvooremail: 'ignore',
  },
  suggestedMethod: null,
  timeZone: 'Europe/Amsterdam',
};
