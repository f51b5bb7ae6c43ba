import type { SourceProfile } from './source-profile.js';

/**
 * ActiveCampaign contact export (Contacts > Export): "Email", "First Name", "Last Name", "Phone",
 * "Organization", "Tags", "Date Created", "Date Updated", "IP Address", "Status" (list status: Active,
 * Unsubscribed, Bounced, Unconfirmed); the API contact writes cdate, udate, orgname, ip and list status
 * 0 unconfirmed, 1 active, 2 unsubscribed, 3 bounced. Sources: ActiveCampaign developer reference
 * (Contacts, Contact lists "status") and help "How to export contacts". "Date Created" is when the contact
 * was created in ActiveCampaign (an import as much as a sign-up) and is not taken as the sign-up time.
 */
export const activecampaign: SourceProfile = {
  id: 'activecampaign',
  name: 'ActiveCampaign',
  files: ['Contacts > Export (CSV)', 'API contacts'],
  sources: [
    'https://developers.activecampaign.com/reference/contact',
    'https://help.activecampaign.com/hc/en-us/articles/115000086630',
  ],
  party: 'person',
  signatures: [
    { all: ['email', 'datecreated', 'dateupdated'], any: ['tags', 'organization', 'account', 'status'] },
    { all: ['email'], any: ['cdate', 'udate', 'orgname'] },
  ],
  columns: {
    email: 'email',
    firstname: 'firstName',
    lastname: 'lastName',
    organization: 'companyName',
    orgname: 'companyName',
    account: 'companyName',
    ipaddress: 'signupIp',
    ip: 'signupIp',
    status: 'subscriptionStatus',
    liststatus: 'subscriptionStatus',
    datecreated: 'ignore',
    dateupdated: 'ignore',
    cdate: 'ignore',
    udate: 'ignore',
    tags: 'ignore',
    phone: 'ignore',
  },
  statuses: {
    active: 'subscribed',
    '1': 'subscribed',
    unsubscribed: 'unsubscribed',
    '2': 'unsubscribed',
    bounced: 'bounced',
    '3': 'bounced',
    unconfirmed: 'unconfirmed',
    '0': 'unconfirmed',
  },
  timeZone: 'UTC',
};
