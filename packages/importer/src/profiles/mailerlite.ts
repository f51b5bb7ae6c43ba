import type { SourceProfile } from './source-profile.js';

/**
 * MailerLite: the API subscriber (email, status, source, subscribed_at, unsubscribed_at, ip_address,
 * opted_in_at, optin_ip, fields.name, fields.last_name, fields.company …; status active, unsubscribed,
 * unconfirmed, bounced, junk) and the web app's CSV export, which writes the same fields under their labels
 * ("Email", "Name", "Last name", "Company", "Subscribed", "IP address", "Opted in", "Opt-in IP", "Status",
 * "Source"). Sources: MailerLite API reference (developers.mailerlite.com, Subscribers) and the official
 * mailerlite-nodejs client; the UI labels were not checked against a real export file.
 *
 * Per-row method: `opted_in_at` is the time the subscriber clicked MailerLite's confirmation e-mail.
 */
export const mailerlite: SourceProfile = {
  id: 'mailerlite',
  name: 'MailerLite',
  files: ['API subscribers', 'Subscribers > Export (CSV)'],
  sources: [
    'https://developers.mailerlite.com/docs/subscribers.html',
    'https://github.com/mailerlite/mailerlite-nodejs',
  ],
  party: 'person',
  signatures: [
    { all: ['email'], any: ['optedinat', 'optinip', 'subscribedat', 'zip'] },
    { all: ['email', 'optedin'], any: ['subscribed', 'optinip', 'ipaddress'] },
  ],
  columns: {
    email: 'email',
    name: 'firstName',
    lastname: 'lastName',
    company: 'companyName',
    subscribedat: 'signupAt',
    subscribed: 'signupAt',
    ipaddress: 'signupIp',
    signupip: 'signupIp',
    optedinat: 'confirmedAt',
    optedin: 'confirmedAt',
    optinip: 'confirmIp',
    unsubscribedat: 'unsubscribedAt',
    unsubscribed: 'unsubscribedAt',
    status: 'subscriptionStatus',
    type: 'subscriptionStatus',
    source: 'source',
  },
  statuses: {
    active: 'subscribed',
    unsubscribed: 'unsubscribed',
    unconfirmed: 'unconfirmed',
    bounced: 'bounced',
    junk: 'complained',
  },
  rowMethods: [
    {
      method: 'WEB_DOI',
      requires: ['confirmedAt', 'confirmIp'],
      text: {
        en: 'MailerLite recorded the confirmation click (opted_in_at, optin_ip): a completed double opt-in.',
        nl: 'MailerLite registreerde de klik op de bevestiging (opted_in_at, optin_ip): een voltooide dubbele opt-in.',
      },
    },
  ],
  timeZone: 'UTC',
};
