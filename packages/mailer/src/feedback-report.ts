import type { DeliveryStatusClass } from './delivery-status-classification.js';

/** One recipient of a bounce (RFC 3464 or a plain-text report read by the same rules). */
export interface DsnRecipient {
  email: string;
  /** failed or delayed (delivered, relayed and expanded are not bounces and are left out). */
  action: string;
  /** The RFC 3463 status, e.g. 5.1.1 (the most specific one the report gives). */
  status?: string | undefined;
  diagnostic?: string | undefined;
  /** The classification table's verdict HARD (kept for callers of the first version). */
  permanent: boolean;
  classification: DeliveryStatusClass;
}

/** The headers of the message that came back, as quoted by the report: how it is tied to a delivery. */
export interface ReturnedMessage {
  messageId?: string | undefined;
  /** `X-Consent-Mailer-Delivery` of the returned message. */
  deliveryToken?: string | undefined;
  /** The token in the returned message's List-Unsubscribe. */
  unsubscribeToken?: string | undefined;
  /** Its To addresses (a redacted complaint shows `redacted@…` here). */
  to: string[];
  /** Microsoft JMRP keeps the real recipient here when it redacts To. */
  originalRecipient?: string | undefined;
  from?: string | undefined;
  subject?: string | undefined;
}

/** Which kind of report it was, for the owner and for the corpus statistics. */
export type FeedbackFamily =
  | 'RFC3464'
  | 'EXIM'
  | 'QMAIL'
  | 'SENDMAIL'
  | 'POSTFIX'
  | 'EXCHANGE'
  | 'GMAIL'
  | 'YAHOO'
  | 'AOL'
  | 'AMAZON_SES'
  | 'PLAIN_TEXT'
  | 'ARF'
  | 'AOL_SCOMP'
  | 'ABUSE_FORWARD';

/** What a bounce or complaint message says. */
export type FeedbackReport =
  | {
      kind: 'DSN';
      family: FeedbackFamily;
      recipients: DsnRecipient[];
      /** Message-ID of the message that bounced, when the report quotes its headers. */
      originalMessageId?: string | undefined;
      returned?: ReturnedMessage | undefined;
      /** The delivery token of a VERP envelope address the bounce was sent to. */
      verpToken?: string | undefined;
      receivedAt?: string | undefined;
      /** Records that could not be read (a malformed address): skipped, the rest of the report is used. */
      skipped: string[];
    }
  | {
      kind: 'ARF';
      family: FeedbackFamily;
      /** abuse, fraud, virus, other … (RFC 5965); `auth-failure` (RFC 6591) is an authentication report. */
      feedbackType: string;
      /** Original-Rcpt-To or the returned message's recipient: who complained (redacted ones left out). */
      recipients: string[];
      /** The report hid who complained (Yahoo, AOL, Microsoft): match by the returned message's headers. */
      redacted: boolean;
      originalMessageId?: string | undefined;
      /** The unsubscribe token of the complained-about message, when its List-Unsubscribe is quoted. */
      unsubscribeToken?: string | undefined;
      returned?: ReturnedMessage | undefined;
      verpToken?: string | undefined;
      reportingMta?: string | undefined;
      /** Who sent it in: a feedback loop (ARF), spamklacht.nl, a hoster. */
      source: 'ARF' | 'SPAMKLACHT' | 'HOSTER';
      receivedAt?: string | undefined;
      skipped: string[];
    };
