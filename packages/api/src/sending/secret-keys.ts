/**
 * Secret-store keys. The CLI reads them from CONSENT_MAILER_SECRET_<KEY> (upper-cased, non-alphanumerics
 * as `_`): the password of profile "main" from CONSENT_MAILER_SECRET_SMTP_MAIN.
 *
 * @example
 * smtpPasswordKey('main'); // 'smtp:main'
 */
export function smtpPasswordKey(profileName: string): string {
  return `smtp:${profileName}`;
}

/**
 * The key of a profile's DKIM private key (PEM).
 *
 * @example
 * dkimKeyKey('main'); // 'dkim:main'
 */
export function dkimKeyKey(profileName: string): string {
  return `dkim:${profileName}`;
}

/**
 * The key of an intake mailbox's IMAP password; the CLI reads CONSENT_MAILER_SECRET_IMAP_<NAME>.
 *
 * @example
 * imapPasswordKey('info'); // 'imap:info'
 */
export function imapPasswordKey(mailboxName: string): string {
  return `imap:${mailboxName}`;
}
