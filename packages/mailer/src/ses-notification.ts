import { z } from 'zod';
import { classifyDeliveryStatus, findEnhancedStatus } from './delivery-status-classification.js';
import { addressFromField, diagnosticText } from './feedback-fields.js';
import { DELIVERY_HEADER, tokenFromDeliveryHeader } from './delivery-token.js';
import type { DsnRecipient, FeedbackReport, ReturnedMessage } from './feedback-report.js';
import { parseUnsubscribeSubject } from './unsubscribe-link.js';

/**
 * Amazon SES bounce and complaint notifications, as an SNS e-mail subscription delivers them: the JSON
 * of https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html in the text body (directly, or
 * inside the SNS envelope's "Message" string). Only the fields used here are checked.
 */
const SesMail = z
  .object({
    messageId: z.string().optional(),
    headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  })
  .partial();
const SesNotification = z.object({
  notificationType: z.enum(['Bounce', 'Complaint', 'Delivery']).or(z.string()),
  bounce: z
    .object({
      bounceType: z.string().optional(),
      bouncedRecipients: z.array(
        z.object({
          emailAddress: z.string(),
          action: z.string().optional(),
          status: z.string().optional(),
          diagnosticCode: z.string().optional(),
        }),
      ),
    })
    .optional(),
  complaint: z
    .object({
      complainedRecipients: z.array(z.object({ emailAddress: z.string() })),
      complaintFeedbackType: z.string().optional(),
    })
    .optional(),
  mail: SesMail.optional(),
});

type SesReport =
  | Omit<Extract<FeedbackReport, { kind: 'DSN' }>, 'verpToken' | 'receivedAt'>
  | Omit<Extract<FeedbackReport, { kind: 'ARF' }>, 'verpToken' | 'receivedAt'>;

/**
 * The report in an SES notification e-mail, or undefined when the text is not one.
 *
 * @example
 * readSesNotification('{"notificationType":"Bounce","bounce":{"bouncedRecipients":[…]}}')?.kind; // 'DSN'
 */
export function readSesNotification(text: string): SesReport | undefined {
  const start = text.indexOf('{');
  if (start === -1 || !text.includes('notificationType')) return undefined;
  let json = lenientJson(text.slice(start, text.lastIndexOf('}') + 1));
  // The SNS envelope carries the notification as a JSON string in "Message".
  if (typeof json === 'object' && json !== null && 'Message' in json && typeof json.Message === 'string')
    json = lenientJson(json.Message);
  if (json === undefined) return undefined;
  const parsed = SesNotification.safeParse(json);
  if (!parsed.success) return undefined;
  const note = parsed.data;
  const messageIdHeader = note.mail?.headers?.find((h) => h.name.toLowerCase() === 'message-id')?.value;
  const header = (name: string) =>
    note.mail?.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
  const listUnsubscribe = header('list-unsubscribe');
  const deliveryHeader = header(DELIVERY_HEADER);
  const returned: ReturnedMessage = {
    messageId: messageIdHeader,
    deliveryToken: deliveryHeader ? tokenFromDeliveryHeader(deliveryHeader) : undefined,
    unsubscribeToken: listUnsubscribe
      ? parseUnsubscribeSubject(decodeURIComponent(listUnsubscribe.replace(/%(?![0-9a-f]{2})/gi, '%25')))
      : undefined,
    to: [],
  };
  const skipped: string[] = [];
  if (note.notificationType === 'Bounce' && note.bounce) {
    const recipients: DsnRecipient[] = [];
    const transient = note.bounce.bounceType === 'Transient';
    for (const bounced of note.bounce.bouncedRecipients) {
      const email = addressFromField(bounced.emailAddress);
      if (!email) {
        skipped.push(bounced.emailAddress);
        continue;
      }
      const diagnostic = diagnosticText(bounced.diagnosticCode);
      const status = bounced.status ?? (diagnostic ? findEnhancedStatus(diagnostic) : undefined);
      const action = transient ? 'delayed' : (bounced.action ?? 'failed').toLowerCase();
      const classification = classifyDeliveryStatus({ status, diagnostic, action });
      recipients.push({
        email,
        action,
        status,
        diagnostic,
        permanent: classification.verdict === 'HARD',
        classification,
      });
    }
    return {
      kind: 'DSN',
      family: 'AMAZON_SES',
      recipients,
      originalMessageId: messageIdHeader,
      returned,
      skipped,
    };
  }
  if (note.notificationType === 'Complaint' && note.complaint) {
    const recipients: string[] = [];
    for (const complained of note.complaint.complainedRecipients) {
      const email = addressFromField(complained.emailAddress);
      if (email) recipients.push(email);
      else skipped.push(complained.emailAddress);
    }
    return {
      kind: 'ARF',
      family: 'AMAZON_SES',
      feedbackType: (note.complaint.complaintFeedbackType ?? 'abuse').toLowerCase(),
      recipients,
      redacted: false,
      originalMessageId: messageIdHeader,
      unsubscribeToken: returned.unsubscribeToken,
      returned,
      source: 'ARF',
      skipped,
    };
  }
  return undefined;
}

/**
 * JSON.parse that also takes what mail transport does to a long JSON body: a line wrapped inside a
 * string (a raw line break is never valid JSON, and between tokens it is only whitespace, so dropping
 * line breaks loses nothing). Undefined when the text is not JSON either way.
 */
function lenientJson(text: string): unknown {
  for (const candidate of [text, text.replace(/\r?\n/g, '')]) {
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // try the next form
    }
  }
  return undefined;
}
