import type { SourceProfile } from './source-profile.js';

/**
 * listmonk subscriber export: uuid, email, name, attributes, status, created_at, updated_at (its
 * `handleExportSubscribers` CSV writer in cmd/subscribers.go). Subscriber status: enabled, disabled,
 * blocklisted; the per-list subscription status (unconfirmed, confirmed, unsubscribed) where a list export
 * carries it. Source: github.com/knadh/listmonk (cmd/subscribers.go, models/models.go).
 */
export const listmonk: SourceProfile = {
  id: 'listmonk',
  name: 'listmonk',
  files: ['Subscribers > Export (CSV)'],
  sources: ['https://github.com/knadh/listmonk/blob/master/cmd/subscribers.go'],
  party: 'person',
  signatures: [{ all: ['uuid', 'attributes', 'email'] }],
  columns: {
    uuid: 'ignore',
    email: 'email',
    name: 'fullName',
    attributes: 'ignore',
    status: 'subscriptionStatus',
    subscriptionstatus: 'subscriptionStatus',
    createdat: 'signupAt',
    updatedat: 'ignore',
  },
  statuses: {
    enabled: 'subscribed',
    confirmed: 'subscribed',
    blocklisted: 'blocklisted',
    // A subscriber the admin disabled receives nothing; not an opt-out by the person, still never mailable.
    disabled: 'neverSubscribed',
    unconfirmed: 'unconfirmed',
    unsubscribed: 'unsubscribed',
  },
  timeZone: 'UTC',
};
