import type { SourceProfile } from './source-profile.js';

/**
 * Mautic contact export (Contacts > Export as CSV): the contact field aliases as columns: id, title,
 * firstname, lastname, company, position, email, mobile, phone, points, address1, city, zipcode, country,
 * preferred_locale, timezone, last_active, attribution, attribution_date, date_added, date_modified,
 * date_identified, owner_id, stage; plus "dnc" (do not contact) where the export includes it, with the
 * reasons unsubscribed, bounced, manual. Sources: Mautic developer documentation (Contacts API fields,
 * "Do Not Contact" reasons 1 unsubscribed, 2 bounced, 3 manual) and the mautic/mautic source (LeadField
 * aliases). The dnc column was not checked against a real export file.
 */
export const mautic: SourceProfile = {
  id: 'mautic',
  name: 'Mautic',
  files: ['Contacts > Export (CSV)'],
  sources: ['https://developer.mautic.org/#contacts', 'https://github.com/mautic/mautic'],
  party: 'person',
  signatures: [
    { all: ['email', 'firstname'], any: ['dateidentified', 'preferredlocale', 'attributiondate', 'ownerid'] },
  ],
  columns: {
    email: 'email',
    firstname: 'firstName',
    lastname: 'lastName',
    company: 'companyName',
    dnc: 'subscriptionStatus',
    donotcontact: 'subscriptionStatus',
    id: 'ignore',
    title: 'ignore',
    position: 'ignore',
    points: 'ignore',
    dateadded: 'ignore',
    datemodified: 'ignore',
    dateidentified: 'ignore',
    lastactive: 'ignore',
  },
  statuses: {
    unsubscribed: 'unsubscribed',
    '1': 'unsubscribed',
    bounced: 'bounced',
    '2': 'bounced',
    manual: 'blocklisted',
    '3': 'blocklisted',
    donotcontact: 'blocklisted',
    contactable: 'subscribed',
    '0': 'subscribed',
  },
  timeZone: 'UTC',
};
