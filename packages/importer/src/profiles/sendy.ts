import type { SourceProfile } from './source-profile.js';

/**
 * Sendy subscriber export (View list > Export): Name, Email, the list's custom fields, Joined, Status, where
 * Status is one of Subscribed, Unsubscribed, Unconfirmed, Bounced, Soft bounced, Marked as spam (the
 * segments Sendy's list page shows). Source: Sendy's documentation (sendy.co/get-started, "Subscribers")
 * and its API (subscription status: Subscribed, Unsubscribed, Unconfirmed, Bounced, Soft bounced,
 * Complained). Not checked against a real export file: a "Status" value outside that list rejects the row.
 */
export const sendy: SourceProfile = {
  id: 'sendy',
  name: 'Sendy',
  files: ['View list > Export (CSV)'],
  sources: ['https://sendy.co/api', 'https://sendy.co/get-started'],
  party: 'person',
  signatures: [{ all: ['name', 'email', 'joined'], any: ['status', 'lastactivity'] }],
  columns: {
    name: 'fullName',
    email: 'email',
    joined: 'signupAt',
    status: 'subscriptionStatus',
    lastactivity: 'ignore',
  },
  statuses: {
    subscribed: 'subscribed',
    active: 'subscribed',
    unsubscribed: 'unsubscribed',
    unconfirmed: 'unconfirmed',
    bounced: 'bounced',
    // A soft bounce is temporary: it does not block by itself (rule G4 counts repeated ones).
    softbounced: 'subscribed',
    markedasspam: 'complained',
    complained: 'complained',
    spam: 'complained',
  },
  timeZone: 'UTC',
};
