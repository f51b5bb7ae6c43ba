import type { SourceProfile } from './source-profile.js';

/**
 * Laposta: the API member object (member_id, list_id, email, state, signup_date, modified, ip, source_url,
 * custom_fields; state active, unsubscribed, unconfirmed, cleaned) and the Dutch export of the web app
 * ("E-mailadres", "Status", "Aangemeld op", "Gewijzigd op", "IP-adres", "Bron"; statuses Actief, Afgemeld,
 * Onbevestigd, Opgeschoond). Sources: Laposta API documentation (api.laposta.nl/doc, "Member") and the
 * official PHP client (laposta/laposta-api-php); the Dutch labels follow the web app's member screens. The
 * UI labels were not checked against a real export file: a differing label falls back to the everyday
 * Dutch names, and an unknown status value rejects the row instead of being guessed.
 */
export const laposta: SourceProfile = {
  id: 'laposta',
  name: 'Laposta',
  files: ['API members', 'Relaties exporteren (CSV/Excel)'],
  sources: ['https://api.laposta.nl/doc/', 'https://github.com/laposta/laposta-api-php'],
  party: 'person',
  signatures: [
    { all: ['email'], any: ['memberid', 'signupdate', 'sourceurl'] },
    // "Aangemeld op" alone is an everyday Dutch spreadsheet column; the status plus a column only the web
    // app writes names Laposta.
    { all: ['emailadres', 'status'], any: ['gewijzigdop', 'aanmeldbron', 'lidid', 'relatieid'] },
  ],
  columns: {
    email: 'email',
    emailadres: 'email',
    state: 'subscriptionStatus',
    status: 'subscriptionStatus',
    signupdate: 'signupAt',
    aangemeldop: 'signupAt',
    ip: 'signupIp',
    ipadres: 'signupIp',
    sourceurl: 'source',
    bron: 'source',
    aanmeldbron: 'source',
    memberid: 'ignore',
    lidid: 'ignore',
    relatieid: 'ignore',
    listid: 'ignore',
    modified: 'ignore',
    gewijzigdop: 'ignore',
  },
  statuses: {
    active: 'subscribed',
    actief: 'subscribed',
    unsubscribed: 'unsubscribed',
    afgemeld: 'unsubscribed',
    uitgeschreven: 'unsubscribed',
    unconfirmed: 'unconfirmed',
    onbevestigd: 'unconfirmed',
    nietbevestigd: 'unconfirmed',
    cleaned: 'bounced',
    opgeschoond: 'bounced',
    deleted: 'unsubscribed',
    verwijderd: 'unsubscribed',
  },
  timeZone: 'Europe/Amsterdam',
};
