import { classifyDeliveryStatus, findEnhancedStatus } from './delivery-status-classification.js';
import { isPlausibleAddress } from './feedback-fields.js';
import type { DsnRecipient, FeedbackFamily } from './feedback-report.js';

/**
 * Bounces written for people, not machines: Exim (cPanel, DirectAdmin), qmail (Plesk), old Sendmail,
 * Postfix without DSN, Exchange 2003, old Gmail and Yahoo, Lotus and many hosting panels. They share a
 * shape: an introduction, then per failed address a line that starts with the address, then the server's
 * words, then a copy of the message after a separator line. This reads that shape, not each product.
 */

/** Where the copy of the returned message starts in a plain-text bounce. */
const COPY_SEPARATORS: readonly RegExp[] = [
  /^-+ ?This is a copy of the message/im, // Exim
  /^-+ ?Below this line is a copy of the message/im, // qmail, Yahoo
  /^-+ ?Original message/im,
  /^-+ ?Original Message Headers?/im,
  /^-+ ?The header of the original message is following/im,
  /^ *-+ ?Returned message/im,
  /^ *-+ ?Original message follows/im,
  /^ *-+ ?Unsent message follows/im, // Sendmail V5
  /^ *----- Transcript of session follows/im, // Sendmail: the transcript repeats addresses
  /^Original message headers:/im, // Exchange 2007+
  /^Oorspronkelijke berichtkoppen:/im,
  /^-+ ?Forwarded message/im,
  /^Received: from /im,
  /^Return-Path: /im,
];

/** The families a plain-text bounce reveals by its wording, checked in order. */
const FAMILY_SIGNS: readonly [FeedbackFamily, RegExp][] = [
  ['QMAIL', /qmail-send program|qmail-remote/i],
  [
    'EXIM',
    /created automatically by mail delivery software|The following address\(es\) failed|X-Failed-Recipients/i,
  ],
  [
    'SENDMAIL',
    /The following addresses had (permanent fatal|transient non-fatal) errors|Transcript of session follows/i,
  ],
  ['POSTFIX', /This is the mail system at host|Postfix program/i],
  ['GMAIL', /Delivery to the following recipient (failed|has been delayed)|Google tried to deliver/i],
  ['YAHOO', /Sorry, we were unable to deliver your message to the following address/i],
  ['AOL', /aol\.com|The mail you sent could not be delivered/i],
  [
    'EXCHANGE',
    /did not reach (some or all of )?the intended recipient|Your message couldn't be delivered|Delivery has failed to these recipients|could not be delivered to one or more recipients.*Microsoft|Uw bericht heeft sommige of alle ontvangers niet bereikt/i,
  ],
];

/** Words that say the report is about a delay, not a failure. */
const DELAY_WORDS =
  /has been delayed|not yet been delivered|will (continue to )?(be )?retr|still (trying|being retried)|delivery attempts will continue|temporary failure|warning: could not send|delay(ed)? notification|is still in the queue|vertraagd|nog niet afgeleverd/i;
const PERMANENT_WORDS =
  /permanent|given up|failed permanently|fatal error|could not be delivered|couldn't be delivered/i;

export interface PlainTextBounce {
  family: FeedbackFamily;
  recipients: DsnRecipient[];
  skipped: string[];
}

/**
 * Reads a bounce's text part. `ownAddresses` (the bounce's To and From) are never taken for recipients;
 * `failedRecipients` (Exim's X-Failed-Recipients header) are trusted first.
 *
 * @example
 * readPlainTextBounce(text, { ownAddresses: ['nieuws@bakkerij.nl'] }).recipients[0]?.email;
 */
export function readPlainTextBounce(
  text: string,
  options: { ownAddresses: readonly string[]; failedRecipients?: readonly string[]; subject?: string },
): PlainTextBounce {
  const normalised = text.replace(/\r\n?/g, '\n');
  const report = reportPart(normalised);
  const family = FAMILY_SIGNS.find(([, pattern]) => pattern.test(normalised))?.[0] ?? 'PLAIN_TEXT';
  const own = new Set(options.ownAddresses.map((address) => address.toLowerCase()));
  const delayed = DELAY_WORDS.test(`${options.subject ?? ''}\n${report}`) && !PERMANENT_WORDS.test(report);

  const found: { email: string; lines: string[] }[] = [];
  const skipped: string[] = [];
  readRecipientLines(report, own, found, skipped);
  // Old Sendmail (V5) writes nothing before its transcript: there, each failed address has its own
  // "554 <a@b>... reason" line, so the transcript is the report when the text before it names nobody.
  const transcript = TRANSCRIPT.exec(normalised);
  if (found.length === 0 && transcript) {
    const rest = normalised.slice(transcript.index + transcript[0].length);
    readRecipientLines(reportPart(rest, 0), own, found, skipped, true);
  }
  for (const email of options.failedRecipients ?? []) {
    if (!isPlausibleAddress(email)) skipped.push(email);
    else if (!found.some((entry) => entry.email.toLowerCase() === email.toLowerCase()))
      found.push({ email, lines: [] });
  }

  const recipients = found.map(({ email, lines: said }) => {
    // A report with one address: the whole report is its diagnostic when its own lines say nothing.
    const ownWords = said.join(' ').trim();
    const diagnostic = (ownWords.length > 0 ? ownWords : found.length === 1 ? report : '').slice(0, 2000);
    const status =
      findEnhancedStatus(diagnostic) ?? (found.length === 1 ? findEnhancedStatus(report) : undefined);
    const action = delayed ? 'delayed' : 'failed';
    const classification = classifyDeliveryStatus({ status, diagnostic, action });
    return {
      email,
      action,
      status,
      diagnostic: diagnostic.replace(/\s+/g, ' ').trim() || undefined,
      permanent: classification.verdict === 'HARD',
      classification,
    };
  });
  return { family, recipients, skipped };
}

const TRANSCRIPT = /^ *-+ ?Transcript of session follows -*$/im;

/** The text of a bounce up to the copy of the returned message (the first separator after `from`). */
function reportPart(text: string, from = 1): string {
  const cut = COPY_SEPARATORS.map((pattern) => pattern.exec(text)?.index ?? -1)
    .filter((index) => index >= from)
    .reduce((first, index) => Math.min(first, index), text.length);
  return text.slice(0, cut);
}

/**
 * Collects the recipient lines of a report into `found` (each with the lines that follow it), skipping the
 * bounce's own addresses and malformed ones (into `skipped`).
 */
function readRecipientLines(
  report: string,
  own: ReadonlySet<string>,
  found: { email: string; lines: string[] }[],
  skipped: string[],
  transcript = false,
): void {
  let current: { email: string; lines: string[] } | undefined;
  for (const line of report.split('\n')) {
    const recipient = recipientLine(line) ?? (transcript ? transcriptLine(line) : undefined);
    if (recipient) {
      if (!isPlausibleAddress(recipient.email)) {
        skipped.push(recipient.email);
        current = undefined;
        continue;
      }
      if (own.has(recipient.email.toLowerCase()) || /^(mailer-daemon|postmaster)@/i.test(recipient.email)) {
        current = undefined;
        continue;
      }
      current = found.find((entry) => entry.email.toLowerCase() === recipient.email.toLowerCase());
      if (!current) {
        current = { email: recipient.email, lines: [] };
        found.push(current);
      }
      if (recipient.rest) current.lines.push(recipient.rest);
      continue;
    }
    if (current && line.trim() !== '') current.lines.push(line.trim());
  }
}

/** A Sendmail transcript's verdict on one address: "554 <a@b.example>... 550 Host unknown". */
function transcriptLine(line: string): { email: string; rest: string } | undefined {
  const match = /^\s*[45]\d\d\s+<([^\s<>@]+@[^\s<>]+)>\.\.\.\s*(.*)$/.exec(line);
  return match?.[1] ? { email: match[1], rest: (match[2] ?? '').trim() } : undefined;
}

/**
 * A line that names a failed recipient: the address first (bare, in <>, quoted), then nothing, a colon
 * and the reason (Postfix, qmail), "... reason" (Sendmail) or " on <date>" (Exchange).
 */
function recipientLine(line: string): { email: string; rest: string } | undefined {
  // DragonFly (and a few others) name the address in a sentence: "There was an error delivering your
  // mail to <a@b.example>."
  const sentence = /\berror delivering your (?:mail|message) to <([^\s<>@]+@[^\s<>]+)>/i.exec(line);
  if (sentence?.[1]) return { email: sentence[1], rest: '' };
  // Others introduce the address and its reason in one line: "The following recipients returned permanent
  // errors: a@b.example. Reason: …".
  const introduced =
    /\brecipients?\b[^:]{0,60}:\s*<?([^\s<>"@:;,]+@[^\s<>":;,]+?)>?\.?\s+Reason:\s*(.*)$/i.exec(line);
  if (introduced?.[1]) return { email: introduced[1], rest: (introduced[2] ?? '').trim() };
  // A bulleted list ("   * a@b.example", "- a@b.example") is a list of recipients like any other.
  const match =
    /^\s{0,12}(?:[*\u2022-]\s+)?(?:RCPT To:|Recipient:|Failed recipient:|Original-Recipient:|Final-Recipient:)?\s*(?:rfc822;\s*)?<?"?([^\s<>"@]+@[^\s<>":;,]+?)"?>?(?:\s*(?:\.\.\.|:|,| on | op | -|\(|$)\s*(.*))?$/i.exec(
      line,
    );
  if (!match?.[1]) return undefined;
  const email = match[1].replace(/[.)]+$/, '');
  const rest = (match[2] ?? '').trim();
  // "jan@example.nl wrote:" or an address inside a sentence is not a recipient line.
  if (/^(wrote|schreef|said)\b/i.test(rest)) return undefined;
  return { email, rest };
}
