import type { SourceProfile } from './source-profile.js';

/**
 * Klaviyo profile export (Lists & segments > Export to CSV): "Email", "First Name", "Last Name",
 * "Organization", "Phone Number", "Source", "IP Address", "Email Marketing Consent" (SUBSCRIBED,
 * UNSUBSCRIBED, NEVER_SUBSCRIBED), "Email Marketing Consent Timestamp", "Email Suppressions" (HARD_BOUNCE,
 * SPAM_COMPLAINT, UNSUBSCRIBE, INVALID_EMAIL, USER_SUPPRESSED), "Profile Created On", "Date Added", "Last
 * Open", "Last Click". Sources: Klaviyo developer docs (Profiles API: subscriptions.email.marketing.consent,
 * consent_timestamp, suppression[].reason) and the help article on exporting a list or segment.
 *
 * The consent timestamp is when the consent value was set: the opt-in time of a SUBSCRIBED row, the
 * unsubscribe time of an UNSUBSCRIBED one. NEVER_SUBSCRIBED profiles (a buyer, a form without consent) have
 * no consent at all and are never mailable.
 */
export const klaviyo: SourceProfile = {
  id: 'klaviyo',
  name: 'Klaviyo',
  files: ['Lists & segments > Export (CSV)'],
  sources: [
    'https://developers.klaviyo.com/en/reference/profiles_api_overview',
    'https://help.klaviyo.com/hc/en-us/articles/115005237908',
  ],
  party: 'person',
  signatures: [
    {
      all: ['email'],
      any: ['emailmarketingconsent', 'emailmarketingconsenttimestamp', 'emailsuppressions', 'klaviyoid'],
    },
  ],
  columns: {
    email: 'email',
    firstname: 'firstName',
    lastname: 'lastName',
    organization: 'companyName',
    source: 'source',
    ipaddress: 'signupIp',
    emailmarketingconsent: 'subscriptionStatus',
    emailconsent: 'subscriptionStatus',
    emailmarketingconsenttimestamp: 'statusAt',
    emailconsenttimestamp: 'statusAt',
    emailsuppressions: 'suppressions',
    suppressions: 'suppressions',
    suppressionreason: 'suppressions',
    klaviyoid: 'ignore',
    phonenumber: 'ignore',
    profilecreatedon: 'ignore',
    dateadded: 'ignore',
    lastopen: 'ignore',
    lastclick: 'ignore',
  },
  statuses: {
    subscribed: 'subscribed',
    unsubscribed: 'unsubscribed',
    neversubscribed: 'neverSubscribed',
    hardbounce: 'bounced',
    invalidemail: 'bounced',
    spamcomplaint: 'complained',
    unsubscribe: 'unsubscribed',
    usersuppressed: 'blocklisted',
    suppressed: 'blocklisted',
  },
  timeZone: 'UTC',
};
