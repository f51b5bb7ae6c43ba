import type { SourceProfile } from './source-profile.js';

/**
 * Mailchimp audience exports (Audience > Export audience: a zip with subscribed_members, unsubscribed_members
 * and cleaned_members CSVs). Columns: "Email Address", "First Name", "Last Name", MEMBER_RATING, OPTIN_TIME,
 * OPTIN_IP, CONFIRM_TIME, CONFIRM_IP, LATITUDE, LONGITUDE, GMTOFF, DSTOFF, TIMEZONE, CC, REGION,
 * LAST_CHANGED, LEID, EUID, NOTES, TAGS; the unsubscribed file adds UNSUB_TIME, UNSUB_CAMPAIGN_TITLE,
 * UNSUB_CAMPAIGN_ID, UNSUB_REASON, UNSUB_REASON_OTHER; the cleaned file CLEAN_TIME, CLEAN_CAMPAIGN_TITLE,
 * CLEAN_CAMPAIGN_ID. API/marketing exports carry `status` (subscribed, unsubscribed, cleaned, pending,
 * transactional, archived: Mailchimp Marketing API "List members" status enum).
 * Sources: Mailchimp's "View or export an audience" help page and the public exports it describes (the
 * three-file zip is described e.g. at ginkgo.st "Notes on MailChimp data exports"); API reference for status.
 *
 * Per-row method: Mailchimp fills CONFIRM_TIME/CONFIRM_IP also for single opt-in and API sign-ups (the
 * "join" time), so a confirmation only proves a double opt-in when an OPTIN_TIME precedes it and the
 * confirming click's IP is recorded.
 */
export const mailchimp: SourceProfile = {
  id: 'mailchimp',
  name: 'Mailchimp',
  files: ['subscribed_members_export.csv', 'unsubscribed_members_export.csv', 'cleaned_members_export.csv'],
  sources: [
    'https://mailchimp.com/help/view-export-contacts/',
    'https://mailchimp.com/developer/marketing/api/list-members/',
  ],
  party: 'person',
  signatures: [
    {
      all: ['emailaddress'],
      any: ['optintime', 'confirmtime', 'memberrating', 'leid', 'euid', 'unsubtime', 'cleantime'],
    },
  ],
  columns: {
    emailaddress: 'email',
    firstname: 'firstName',
    lastname: 'lastName',
    optintime: 'signupAt',
    optinip: 'signupIp',
    confirmtime: 'confirmedAt',
    confirmip: 'confirmIp',
    unsubtime: 'unsubscribedAt',
    cleantime: 'hardBounceAt',
    status: 'subscriptionStatus',
    memberrating: 'ignore',
    latitude: 'ignore',
    longitude: 'ignore',
    gmtoff: 'ignore',
    dstoff: 'ignore',
    timezone: 'ignore',
    cc: 'ignore',
    region: 'ignore',
    lastchanged: 'ignore',
    leid: 'ignore',
    euid: 'ignore',
    notes: 'ignore',
    tags: 'ignore',
    unsubcampaigntitle: 'ignore',
    unsubcampaignid: 'ignore',
    unsubreason: 'ignore',
    unsubreasonother: 'ignore',
    cleancampaigntitle: 'ignore',
    cleancampaignid: 'ignore',
  },
  statuses: {
    subscribed: 'subscribed',
    unsubscribed: 'unsubscribed',
    cleaned: 'bounced',
    pending: 'unconfirmed',
    transactional: 'neverSubscribed',
    archived: 'neverSubscribed',
  },
  // Every row of the unsubscribed and cleaned files is an opt-out, with or without its time filled in.
  fileStatus: [
    { key: 'unsubtime', outcome: 'unsubscribed' },
    { key: 'cleantime', outcome: 'bounced' },
  ],
  rowMethods: [
    {
      method: 'WEB_DOI',
      requires: ['signupAt', 'confirmedAt', 'confirmIp'],
      before: ['signupAt', 'confirmedAt'],
      text: {
        en: 'Mailchimp recorded a confirmation (CONFIRM_TIME, CONFIRM_IP) after the sign-up (OPTIN_TIME): a completed double opt-in.',
        nl: 'Mailchimp registreerde een bevestiging (CONFIRM_TIME, CONFIRM_IP) na de aanmelding (OPTIN_TIME): een voltooide dubbele opt-in.',
      },
    },
  ],
  timeZone: 'UTC',
};
