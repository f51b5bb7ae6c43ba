// Reads a bounce or complaint message: DSN (RFC 3464), ARF (RFC 5965), forwarded complaints and bounces
// that follow no standard. Over 400 lines because those non-standard shapes need many small readers that
// only this parser uses.
import { UserError } from '@consent-mailer/policy';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { classifyDeliveryStatus, findEnhancedStatus } from './delivery-status-classification.js';
import { tokenFromVerpAddress } from './delivery-token.js';
import { addressFromField, diagnosticText, dsnRecipientGroups, parseFieldBlocks } from './feedback-fields.js';
import type { DsnRecipient, FeedbackFamily, FeedbackReport, ReturnedMessage } from './feedback-report.js';
import { readPlainTextBounce } from './plain-text-bounce.js';
import { embeddedMessages, returnedMessage, returnedPart } from './returned-message.js';
import { readSesNotification } from './ses-notification.js';

export { parseFieldBlocks } from './feedback-fields.js';
export type { DsnRecipient, FeedbackFamily, FeedbackReport, ReturnedMessage } from './feedback-report.js';

/**
 * Parses a bounce or a complaint from an .eml file (see {@link readFeedback} for what is understood).
 *
 * @throws {UserError} FEEDBACK_NOT_A_REPORT for any other message.
 * @example
 * const report = await parseFeedbackMessage(await readFile('bounce.eml'));
 * if (report.kind === 'DSN') report.recipients[0]?.classification.verdict; // 'HARD'
 */
export async function parseFeedbackMessage(source: Buffer | string): Promise<FeedbackReport> {
  let mail: ParsedMail;
  try {
    mail = await parseMail(source);
  } catch (cause) {
    throw notAReport(cause);
  }
  const report = await readFeedback(mail, source);
  if (!report) throw notAReport();
  return report;
}

/**
 * mailparser with what reports need: delivery-status parts kept as parts, no HTML conversion.
 *
 * @example
 * const mail = await parseMail(eml);
 */
export function parseMail(source: Buffer | string): Promise<ParsedMail> {
  return simpleParser(source, { keepDeliveryStatus: true, skipHtmlToText: true, skipTextToHtml: true });
}

/**
 * Reads a parsed message as a bounce or complaint, or undefined when it is neither:
 * - RFC 3464 delivery status notifications (also `message/global-delivery-status`, also AOL's without
 *   blank lines between groups), each recipient classified by the delivery-status table;
 * - plain-text bounces (Exim, qmail, Sendmail, Postfix, Exchange 2003, old Gmail and Yahoo, hosting panels);
 * - Amazon SES bounce and complaint notifications delivered by e-mail (JSON);
 * - RFC 5965 ARF complaints (also redacted ones, Microsoft JMRP), AOL's older SCOMP reports, and
 *   abuse desks or hosters forwarding a complaint (spamklacht.nl) with a copy of our message.
 * A malformed recipient is skipped (listed in `skipped`), never the whole report.
 *
 * @example
 * const report = await readFeedback(await parseMail(eml), eml);
 */
export async function readFeedback(
  parsed: ParsedMail,
  source: Buffer | string,
): Promise<FeedbackReport | undefined> {
  const mail = withReadableBody(parsed, source);
  const receivedAt = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : undefined;
  const verpToken = envelopeTokens(mail);
  const returned = await returnedMessage(mail, source);
  const parts = mail.attachments;
  const arfPart = parts.find((part) => part.contentType.toLowerCase() === 'message/feedback-report');
  if (arfPart) return arfReport(mail, arfPart.content.toString('utf8'), returned, verpToken, receivedAt);

  const ses = readSesNotification(mail.text ?? '');
  if (ses) return { ...ses, returned: ses.returned ?? returned, verpToken, receivedAt };

  const dsnPart = parts.find((part) =>
    ['message/delivery-status', 'message/global-delivery-status'].includes(part.contentType.toLowerCase()),
  );
  const dsnText = dsnPart?.content.toString('utf8') ?? embeddedDeliveryStatus(mail.text ?? '');
  if (dsnText !== undefined) {
    const dsn = dsnRecipients(dsnText, mail.text ?? '', soleFailedRecipient(mail, returned));
    // A real delivery-status part that lists no failure (only "delivered", "relayed") is not a bounce;
    // an empty one (Google Workspace's "Send mail as" refusals) says nothing, so the text is read.
    const listsRecipients = dsnRecipientGroups(dsnText).length > 0;
    if (dsnPart && listsRecipients && dsn.recipients.length === 0 && dsn.skipped.length === 0)
      return undefined;
    if (dsn.recipients.length > 0 || dsn.skipped.length > 0) {
      return {
        kind: 'DSN',
        family: dsnFamily(mail),
        recipients: dsn.recipients,
        originalMessageId: returned?.messageId,
        returned,
        verpToken,
        receivedAt,
        skipped: dsn.skipped,
      };
    }
  }

  const complaint = await forwardedComplaint(mail, source, returned);
  if (complaint) return { ...complaint, verpToken, receivedAt };

  if (!looksLikeBounce(mail)) return undefined;
  const own = [...addresses(mail.to), ...addresses(mail.from)];
  const failedHeader = mail.headers.get('x-failed-recipients');
  const failedRecipients =
    typeof failedHeader === 'string' ? failedHeader.split(',').map((address) => address.trim()) : [];
  const plain = readPlainTextBounce(mail.text ?? '', {
    ownAddresses: own,
    failedRecipients,
    ...(mail.subject ? { subject: mail.subject } : {}),
  });
  let recipients = plain.recipients;
  if (recipients.length === 0) {
    // A bounce that names nobody itself but carries another report as its attachment (a relay or a
    // filter that bounces the bounce): the inner report knows the failed recipient, the outer's copy
    // would only name the outer's own addressee.
    const nested = await nestedReport(source);
    if (nested) return { ...nested, verpToken: nested.verpToken ?? verpToken, receivedAt };
  }
  if (recipients.length === 0 && returned && returned.to.length === 1) {
    // Nothing in the text names an address (AOL's "could not be delivered", some panels): the returned
    // copy's own To is the recipient; the whole text is the diagnostic.
    const diagnostic = (mail.text ?? '').slice(0, 2000);
    recipients = returned.to.map((email) =>
      recipientFrom(email, 'failed', findEnhancedStatus(diagnostic), diagnostic),
    );
  }
  if (recipients.length === 0 && plain.skipped.length === 0) return undefined;
  return {
    kind: 'DSN',
    family: plain.family,
    recipients,
    originalMessageId: returned?.messageId,
    returned,
    verpToken,
    receivedAt,
    skipped: plain.skipped,
  };
}

/** The first attached message that is itself a delivery report with recipients, read as one. */
async function nestedReport(source: Buffer | string): Promise<FeedbackReport | undefined> {
  for (const inner of await embeddedMessages(source)) {
    if (!/^content-type:\s*multipart\/report/im.test(inner.subarray(0, 8192).toString('utf8'))) continue;
    const report = await readFeedback(await parseMail(inner), inner);
    if (report?.kind === 'DSN' && report.recipients.length > 0) return report;
  }
  return undefined;
}

/** The SMTP stage a reply came at, as Exim and Postfix write it. */
const SMTP_STAGE =
  /\b(?:after|in reply to) (?:MAIL FROM|EHLO|HELO|initial connection|RCPT TO|end of data|DATA)\b/i;

/**
 * `soleRecipient` stands in for an unreadable Final-Recipient when the report has one recipient group
 * only: Exim puts a mailbox file path there ("/var/spool/…") and Sendmail a bare "@host" after an alias,
 * while the failed address itself is in X-Failed-Recipients or the returned copy's To.
 */
/**
 * A multipart report whose body does not use the boundary its header declares (seen from Postfix relays
 * that rewrote the header) parses to nothing at all; its raw body is still a readable report, so it is
 * read as plain text rather than dropped.
 */
function withReadableBody(mail: ParsedMail, source: Buffer | string): ParsedMail {
  if (mail.text || mail.attachments.length > 0) return mail;
  const raw = typeof source === 'string' ? source : source.toString('utf8');
  const bodyStart = /\r?\n\r?\n/.exec(raw);
  if (!bodyStart) return mail;
  return { ...mail, text: raw.slice(bodyStart.index + bodyStart[0].length) };
}

function dsnRecipients(
  dsnText: string,
  humanText: string,
  soleRecipient: string | undefined,
): { recipients: DsnRecipient[]; skipped: string[] } {
  const recipients: DsnRecipient[] = [];
  const skipped: string[] = [];
  const groups = dsnRecipientGroups(dsnText);
  for (const group of groups) {
    const field = group.get('final-recipient')?.[0] ?? group.get('original-recipient')?.[0] ?? '';
    const email =
      addressFromField(field) ??
      addressFromField(group.get('original-recipient')?.[0] ?? '') ??
      (groups.length === 1 ? soleRecipient : undefined);
    if (!email) {
      skipped.push(field);
      continue;
    }
    let diagnostic = diagnosticText(group.get('diagnostic-code')?.join(' '));
    // Postfix and others explain in the human part, per address ("<a@b>: host x said: 550 …"); Exim's
    // human part also says at which SMTP stage the reply came, which the Diagnostic-Code leaves out.
    const human = humanLineAbout(humanText, email);
    const stage = human ? SMTP_STAGE.exec(human)?.[0] : undefined;
    if (diagnostic && stage && !SMTP_STAGE.test(diagnostic)) diagnostic = `${diagnostic} (${stage})`;
    diagnostic ??= human;
    const statusField = /\d\.\d{1,3}\.\d{1,3}/.exec(group.get('status')?.[0] ?? '')?.[0];
    const fromDiagnostic = diagnostic ? findEnhancedStatus(diagnostic) : undefined;
    // "Status: 5.0.0" says nothing; the diagnostic's 5.1.1 does.
    const status =
      statusField && !/^\d\.0\.0$/.test(statusField) ? statusField : (fromDiagnostic ?? statusField);
    let action = (group.get('action')?.[0] ?? '').toLowerCase().split(/[\s;(]/)[0] ?? '';
    if (action === '') action = status?.startsWith('4.') ? 'delayed' : 'failed';
    if (action !== 'failed' && action !== 'delayed') continue; // delivered, relayed, expanded
    recipients.push(recipientFrom(email, action, status, diagnostic));
  }
  return { recipients, skipped };
}

function recipientFrom(
  email: string,
  action: string,
  status: string | undefined,
  diagnostic: string | undefined,
): DsnRecipient {
  const classification = classifyDeliveryStatus({ status, diagnostic, action });
  return {
    email,
    action,
    status,
    diagnostic: diagnostic?.replace(/\s+/g, ' ').trim().slice(0, 1000),
    permanent: classification.verdict === 'HARD',
    classification,
  };
}

/**
 * The one address a report is about when its headers say so unambiguously: a single X-Failed-Recipients
 * (Exim), else a returned copy addressed to exactly one recipient.
 */
function soleFailedRecipient(mail: ParsedMail, returned: ReturnedMessage | undefined): string | undefined {
  const header = mail.headers.get('x-failed-recipients');
  const failed = typeof header === 'string' ? header.split(',').map((address) => address.trim()) : [];
  if (failed.length === 1 && failed[0] && addressFromField(failed[0])) return addressFromField(failed[0]);
  if (failed.length === 0 && returned?.to.length === 1) return returned.to[0];
  return undefined;
}

/** The lines of the human-readable part that talk about one address (Postfix, Exchange). */
function humanLineAbout(text: string, email: string): string | undefined {
  const lower = email.toLowerCase();
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n\s*\n/);
  // A reply code marks the server's words; so does "<address>: reason" (OpenSMTPD's "Domain does not
  // exist" carries no code at all).
  const hit = paragraphs.find((paragraph) => {
    const lowerParagraph = paragraph.toLowerCase();
    if (!lowerParagraph.includes(lower)) return false;
    return (
      /\d{3}|\d\.\d\.\d/.test(paragraph) ||
      lowerParagraph.split('\n').some((line) => namesWithReason(line, lower))
    );
  });
  return hit ? ownLines(hit, lower).replace(/\s+/g, ' ').trim().slice(0, 1000) : undefined;
}

/** "<a@b.example>: reason" or "a@b.example: reason": the line is the address's own diagnostic. */
function namesWithReason(line: string, lowerEmail: string): boolean {
  const rest = line.trim().replace(/^</, '');
  if (!rest.startsWith(lowerEmail)) return false;
  return /^>?:\s*\S/.test(rest.slice(lowerEmail.length));
}

/**
 * The lines of a paragraph that belong to one address: from the line that names it up to the line that
 * starts with another address. OpenSMTPD and Postfix list several recipients without a blank line between
 * them, and one recipient's "mailbox full" must not become the next one's diagnostic.
 */
function ownLines(paragraph: string, lowerEmail: string): string {
  const lines = paragraph.split('\n');
  const first = lines.findIndex((line) => line.toLowerCase().includes(lowerEmail));
  if (first === -1) return paragraph;
  const own = [lines[first] ?? ''];
  for (const line of lines.slice(first + 1)) {
    if (/^\s*<?[^\s<>@]+@[^\s<>@]+>?:/.test(line)) break;
    own.push(line);
  }
  return own.join('\n');
}

/** A delivery-status block pasted into a text part (some forwarders flatten the report). */
function embeddedDeliveryStatus(text: string): string | undefined {
  if (!/^Final-Recipient:/im.test(text) || !/^(Action|Status):/im.test(text)) return undefined;
  return text;
}

function dsnFamily(mail: ParsedMail): FeedbackFamily {
  const from = addresses(mail.from).join(' ').toLowerCase();
  const headerNames = [...mail.headers.keys()].join(' ');
  if (/amazonses\.com/.test(from)) return 'AMAZON_SES';
  if (/google(mail)?\.com|gmail\.com/.test(from)) return 'GMAIL';
  if (/yahoo/.test(from)) return 'YAHOO';
  if (/aol\.com/.test(from)) return 'AOL';
  if (/x-ms-exchange|x-microsoft/.test(headerNames) || /outlook\.com|microsoft/.test(from)) return 'EXCHANGE';
  if (/x-postfix/i.test(mail.attachments.map((a) => a.content.toString('utf8').slice(0, 2000)).join('')))
    return 'POSTFIX';
  return 'RFC3464';
}

/** A message that is a bounce by its sender, subject or headers, before its text is read. */
function looksLikeBounce(mail: ParsedMail): boolean {
  // The header's own text too: some daemons sign as a bare "mailer-daemon", without a domain.
  const from = `${addresses(mail.from).join(' ')} ${mail.from?.text ?? ''}`;
  const subject = mail.subject ?? '';
  return (
    /mailer-daemon|postmaster|mail-?delivery|maildelivery|mdaemon|bounce|nobody@|daemon@/i.test(from) ||
    /undeliver|delivery (status notification|failure|failed|has failed|problem|notification)|returned mail|failure notice|mail delivery failed|could not be delivered|non[- ]?delivery|onbestelbaar|niet (afgeleverd|bezorgd)|bezorging mislukt|delayed mail|warning: could not send|mail system error|returned to sender|delivery incomplete|message not delivered|error sending your (mail|message)/i.test(
      subject,
    ) ||
    mail.headers.has('x-failed-recipients')
  );
}

/** A complaint an abuse desk, hoster or spamklacht.nl forwards by hand, with a copy of our message. */
async function forwardedComplaint(
  mail: ParsedMail,
  source: Buffer | string,
  returned: ReturnedMessage | undefined,
): Promise<Omit<Extract<FeedbackReport, { kind: 'ARF' }>, 'verpToken' | 'receivedAt'> | undefined> {
  if (!returned || !(returned.deliveryToken || returned.unsubscribeToken || returned.messageId))
    return undefined;
  const from = addresses(mail.from).join(' ');
  const words = `${mail.subject ?? ''}\n${(mail.text ?? '').slice(0, 3000)}`;
  const scomp = /scomp@aol\.net/i.test(from) || /Client TOS Notification|Email Feedback Report/i.test(words);
  const spamklacht = /spamklacht/i.test(`${from}\n${words}`);
  // Microsoft's junk-mail reports (JMRP) are no ARF: a plain copy of our message that carries the
  // complainer in X-HmXmrOriginalRecipient, under "complaint about message from <ip>".
  const microsoftJmrp = returned.originalRecipient !== undefined;
  const abuse =
    scomp ||
    spamklacht ||
    microsoftJmrp ||
    /\bcomplaint about (a |this |your )?(message|e-?mail)\b/i.test(words) ||
    /\b(abuse|spam) (report|complaint|melding|klacht)|\bklacht\b|complained|reported (this|as) spam|marked as spam|gemeld als spam/i.test(
      words,
    );
  // The copy must be a MIME part of its own (an attachment, or inline as Microsoft sends it), not text
  // quoted in a reply, before a message counts as a complaint about it.
  if (!abuse || !(returnedPart(mail) ?? (await embeddedMessages(source))[0])) return undefined;
  const { recipients, redacted } = complainers([], returned);
  return {
    kind: 'ARF',
    family: scomp ? 'AOL_SCOMP' : 'ABUSE_FORWARD',
    feedbackType: 'abuse',
    recipients,
    redacted,
    originalMessageId: returned.messageId,
    unsubscribeToken: returned.unsubscribeToken,
    returned,
    source: spamklacht ? 'SPAMKLACHT' : scomp ? 'ARF' : 'HOSTER',
    skipped: [],
  };
}

function arfReport(
  mail: ParsedMail,
  fieldsText: string,
  returned: ReturnedMessage | undefined,
  verpToken: string | undefined,
  receivedAt: string | undefined,
): FeedbackReport {
  const fields = parseFieldBlocks(fieldsText)[0] ?? new Map<string, string[]>();
  const skipped: string[] = [];
  const reported: string[] = [];
  for (const value of [
    ...(fields.get('original-rcpt-to') ?? []),
    ...(fields.get('removal-recipient') ?? []),
  ]) {
    const email = addressFromField(value);
    if (email) reported.push(email);
    else if (value.trim() !== '') skipped.push(value);
  }
  const feedbackType = (fields.get('feedback-type')?.[0] ?? 'abuse').toLowerCase();
  // An RFC 6591 authentication-failure report is about the sender's DKIM/SPF, not from a complainer.
  const { recipients, redacted } =
    feedbackType === 'auth-failure' ? { recipients: [], redacted: false } : complainers(reported, returned);
  const from = addresses(mail.from).join(' ');
  return {
    kind: 'ARF',
    family: /aol\.com/i.test(from) ? 'AOL' : /yahoo/i.test(from) ? 'YAHOO' : 'ARF',
    feedbackType,
    recipients,
    redacted,
    originalMessageId: returned?.messageId,
    unsubscribeToken: returned?.unsubscribeToken ?? tokenFromText(mail.text ?? ''),
    returned,
    verpToken,
    reportingMta: fields.get('reporting-mta')?.[0],
    source: 'ARF',
    receivedAt,
    skipped,
  };
}

/**
 * Who complained: the report's own fields, else Microsoft's X-HmXmrOriginalRecipient, else the returned
 * copy's To; redacted placeholders (`redacted@`, `xxxxx@`, `***@`) are never taken for an address.
 */
function complainers(
  reported: readonly string[],
  returned: ReturnedMessage | undefined,
): { recipients: string[]; redacted: boolean } {
  const candidates = [
    ...reported,
    ...(reported.length === 0 && returned?.originalRecipient ? [returned.originalRecipient] : []),
    ...(reported.length === 0 && !returned?.originalRecipient ? (returned?.to ?? []) : []),
  ];
  const recipients = candidates.filter((email) => !isRedacted(email));
  return {
    recipients: [...new Set(recipients)],
    redacted: recipients.length < candidates.length || candidates.length === 0,
  };
}

/**
 * A placeholder a feedback loop writes instead of the complainer's address.
 *
 * @example
 * isRedacted('redacted@example.net'); // true
 */
export function isRedacted(email: string): boolean {
  const local = email.split('@')[0] ?? '';
  return /redacted|^x{3,}$|^\*+$|^\[.*\]$|^removed$|^anonymi[sz]ed$|^hidden$/i.test(local);
}

/** The delivery tokens of VERP addresses the bounce was delivered to (To, Delivered-To, X-Original-To). */
function envelopeTokens(mail: ParsedMail): string | undefined {
  const values = [
    ...addresses(mail.to),
    ...['delivered-to', 'x-original-to', 'envelope-to', 'x-envelope-to'].flatMap((name) => {
      const value = mail.headers.get(name);
      return typeof value === 'string' ? [value] : Array.isArray(value) ? value.map(String) : [];
    }),
  ];
  for (const value of values) {
    const token = tokenFromVerpAddress(value);
    if (token) return token;
  }
  return undefined;
}

function tokenFromText(text: string): string | undefined {
  return /unsubscribe(?:%20|\s|\+)([A-Za-z0-9_-]{8,64})/i.exec(text)?.[1];
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const groups = Array.isArray(value) ? value : value ? [value] : [];
  return groups
    .flatMap((group) => group.value.map((entry) => entry.address ?? ''))
    .filter((a) => a.includes('@'));
}

function notAReport(cause?: unknown): UserError {
  return new UserError(
    'FEEDBACK_NOT_A_REPORT',
    {
      en: 'This file is not a bounce (delivery failure report) or a spam complaint report. Save the bounce or complaint message itself as .eml and import that.',
      nl: 'Dit bestand is geen bounce (melding van niet-afgeleverde mail) en geen spamklachtrapport. Sla het bounce- of klachtbericht zelf op als .eml en importeer dat.',
    },
    cause === undefined ? undefined : { cause },
  );
}
