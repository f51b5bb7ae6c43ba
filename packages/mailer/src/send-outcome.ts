import {
  classifyDeliveryStatus,
  findEnhancedStatus,
  type DeliveryStatusClass,
} from './delivery-status-classification.js';

/** What one attempt to hand a message to the SMTP server came to. */
export type SendOutcome =
  /** 250: the server accepted the message. */
  | { kind: 'SENT'; reply: string }
  /** 4xx, a soft 5xx (full mailbox, rate limit) or a lost connection: try again later. */
  | { kind: 'RETRY'; reply: string; classification?: DeliveryStatusClass }
  /** The address does not exist (see `classifyDeliveryStatus`); suppress it. */
  | { kind: 'HARD_BOUNCE'; reply: string; status: string; classification?: DeliveryStatusClass }
  /**
   * Another 5xx: this message failed; the address is kept. `senderRefused` when the server refuses the
   * sender (its SPF/DKIM/DMARC, its IP, a spam block): the owner must act, the recipient is not at fault.
   */
  | { kind: 'FAILED'; reply: string; senderRefused?: boolean; classification?: DeliveryStatusClass }
  /** 535 or another authentication failure: stop the whole mailing. */
  | { kind: 'AUTH_FAILED'; reply: string };

interface SmtpErrorShape {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  message?: unknown;
}

/**
 * Classifies the error of a failed `sendMail` (nodemailer error fields `code`, `responseCode`,
 * `response`) into what the outbox does next.
 *
 * @example
 * classifySendError({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 No such user' });
 * // { kind: 'HARD_BOUNCE', reply: '550 5.1.1 No such user', status: '5.1.1' }
 */
export function classifySendError(error: unknown): SendOutcome {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SmtpErrorShape;
  const code = typeof shape.code === 'string' ? shape.code : '';
  const responseCode = typeof shape.responseCode === 'number' ? shape.responseCode : undefined;
  const reply =
    typeof shape.response === 'string'
      ? shape.response
      : typeof shape.message === 'string'
        ? shape.message
        : String(error);

  if (code === 'EAUTH' || code === 'ENOAUTH' || responseCode === 535 || responseCode === 530) {
    return { kind: 'AUTH_FAILED', reply };
  }
  if (responseCode !== undefined && responseCode >= 500 && responseCode < 600) {
    // 503 is a bad command sequence on this connection, not a verdict on the message.
    if (responseCode === 503) return { kind: 'RETRY', reply };
    // The same table the mailbox intake uses for bounce reports, so both paths agree.
    const status = enhancedStatus(reply);
    const classification = classifyDeliveryStatus({ status, smtpCode: responseCode, diagnostic: reply });
    if (classification.verdict === 'HARD')
      return { kind: 'HARD_BOUNCE', reply, status: status ?? String(responseCode), classification };
    if (classification.verdict === 'SENDER_REFUSED')
      return { kind: 'FAILED', reply, senderRefused: true, classification };
    // A full mailbox or a rate limit may clear within the retry schedule; an unknown permanent refusal or
    // a message the server finds too large will not.
    if (classification.category === 'OTHER_PERMANENT' || classification.category === 'MESSAGE_TOO_LARGE')
      return { kind: 'FAILED', reply, classification };
    return { kind: 'RETRY', reply, classification };
  }
  // 4xx, timeouts, dropped connections, TLS hiccups mid-session: the server did not say 250, so by SMTP
  // semantics it did not take responsibility for the message; sending it again is correct.
  return { kind: 'RETRY', reply };
}

/**
 * The RFC 3463 enhanced status code in an SMTP reply, if any.
 *
 * @example
 * enhancedStatus('550 5.1.1 <x@y.nl>: Recipient address rejected'); // '5.1.1'
 */
export function enhancedStatus(reply: string): string | undefined {
  return findEnhancedStatus(reply);
}
