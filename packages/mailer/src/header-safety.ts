import { UserError } from '@consent-mailer/policy';

/**
 * Refuses a header value that contains a CR or LF. A line break inside a header value would let a merge
 * field or a setting smuggle extra headers (or a whole second message) into the mail: header injection.
 *
 * @example
 * assertHeaderValue('Subject', 'Spring offers'); // returns 'Spring offers'
 * assertHeaderValue('Subject', 'Hi\r\nBcc: x@y.nl'); // throws UserError MAIL_HEADER_LINE_BREAK
 */
export function assertHeaderValue(name: string, value: string): string {
  if (/[\r\n]/.test(value)) {
    throw new UserError('MAIL_HEADER_LINE_BREAK', {
      en: `The ${name} contains a line break, which is not allowed in a mail header. Remove the line break and try again.`,
      nl: `${name} bevat een regeleinde; dat mag niet in een mailheader. Haal het regeleinde weg en probeer het opnieuw.`,
    });
  }
  return value;
}
