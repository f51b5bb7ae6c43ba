import {
  parseMail,
  parseUnsubscribeSubject,
  readFeedback,
  type FeedbackReport,
} from '@consent-mailer/mailer';
import type { ParsedMail } from 'mailparser';
import { isAutoReply } from './auto-reply.js';
import { readStopRequest, type StopRequest } from './stop-request.js';

/** What a message in the intake mailbox is. */
export type IncomingMessage =
  | { kind: 'DSN'; report: Extract<FeedbackReport, { kind: 'DSN' }> }
  | { kind: 'COMPLAINT'; report: Extract<FeedbackReport, { kind: 'ARF' }> }
  /** An RFC 6591 authentication-failure report: about the sender's SPF/DKIM, an alert, no complainer. */
  | { kind: 'AUTH_REPORT'; report: Extract<FeedbackReport, { kind: 'ARF' }> }
  | { kind: 'UNSUBSCRIBE'; token: string; from: string | undefined }
  | { kind: 'STOP_REPLY'; stop: StopRequest; from: string | undefined; inReplyTo: string[] }
  | { kind: 'AUTO_REPLY' }
  /** Looks like a bounce or report but could not be read: for the Unrecognised folder. */
  | { kind: 'UNRECOGNISED'; why: string }
  | { kind: 'OTHER' };

/**
 * Classifies one message of the intake mailbox. Order matters: reports first (DSNs carry
 * `Auto-Submitted` too), then our mailto unsubscribe (Gmail's and Yahoo's unsubscribe buttons send it
 * automatically, possibly with auto headers), then auto-replies, then a human asking to stop.
 *
 * @example
 * const incoming = await classifyIncoming(rawEml);
 * if (incoming.kind === 'UNSUBSCRIBE') incoming.token;
 */
export async function classifyIncoming(
  source: Buffer,
): Promise<{ mail: ParsedMail; incoming: IncomingMessage }> {
  const mail = await parseMail(source);
  return { mail, incoming: await classifyParsed(mail, source) };
}

async function classifyParsed(mail: ParsedMail, source: Buffer): Promise<IncomingMessage> {
  const report = await readFeedback(mail, source);
  if (report?.kind === 'DSN') return { kind: 'DSN', report };
  if (report?.kind === 'ARF') {
    if (report.feedbackType === 'auth-failure' || report.feedbackType === 'dmarc')
      return { kind: 'AUTH_REPORT', report };
    if (report.feedbackType === 'not-spam') return { kind: 'OTHER' };
    return { kind: 'COMPLAINT', report };
  }
  const from = mail.from?.value[0]?.address;
  const token = parseUnsubscribeSubject(mail.subject ?? '');
  if (token) return { kind: 'UNSUBSCRIBE', token, from };
  if (isAutoReply(mail)) return { kind: 'AUTO_REPLY' };
  const contentType = mail.headers.get('content-type');
  const reportType =
    typeof contentType === 'object' &&
    contentType !== null &&
    'value' in contentType &&
    typeof contentType.value === 'string'
      ? contentType.value.toLowerCase()
      : '';
  if (
    reportType === 'multipart/report' ||
    /mailer-daemon|postmaster@/i.test(from ?? '') ||
    mail.attachments.some((part) => part.contentType === 'message/delivery-status')
  ) {
    return { kind: 'UNRECOGNISED', why: 'looks like a delivery report but names no recipient we can read' };
  }
  const stop = readStopRequest(mail.text ?? '');
  if (stop.matched) {
    const inReplyTo = [
      ...(mail.inReplyTo ? [mail.inReplyTo] : []),
      ...(Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : []),
    ];
    return { kind: 'STOP_REPLY', stop, from, inReplyTo };
  }
  return { kind: 'OTHER' };
}
