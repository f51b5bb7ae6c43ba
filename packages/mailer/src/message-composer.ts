import { randomUUID } from 'node:crypto';
import type { ConsentMethod, MailingContent, Lang } from '@consent-mailer/policy';
import { UserError } from '@consent-mailer/policy';
import { convert } from 'html-to-text';
import type { DKIMOptions, SendMailOptions } from 'nodemailer';
import { DELIVERY_HEADER, verpAddress } from './delivery-token.js';
import { assertHeaderValue } from './header-safety.js';
import { validateDkimPrivateKey } from './dkim-key.js';
import { buildFooter } from './message-footer.js';
import { renderMergeFields, type MergeValues } from './merge-fields.js';
import type { SenderIdentity } from './sender-identity.js';
import { unsubscribeLinks } from './unsubscribe-link.js';

/** What a mailing says, before it is filled in for one recipient. */
export interface MailingContentInput {
  subject: string;
  html: string;
  /** Plain-text version; derived from the HTML when absent. */
  text?: string | undefined;
  lang: Lang;
  content: MailingContent;
}

/** The envelope side of a mailing: who it is from, per SMTP profile. */
export interface MailSenderSettings {
  fromName?: string | undefined;
  fromAddress: string;
  replyTo?: string | undefined;
  /** DKIM signing with nodemailer's signer; the private key comes from the secret store. */
  dkim?: { domainName: string; keySelector: string; privateKey: string } | undefined;
  /**
   * A VERP bounce address (`bounces@shop.nl`): when set, each message's envelope sender becomes
   * `bounces+<token>@shop.nl`, so a bounce names its delivery even when it quotes nothing. Only where the
   * business's server accepts any `+` local part (and lets it be used as envelope sender).
   */
  bounceAddress?: string | undefined;
}

/** One recipient as the composer needs it. */
export interface ComposeRecipient {
  email: string;
  merge: MergeValues;
  method: ConsentMethod;
  firstMailing: boolean;
  unsubscribeToken: string;
  /** A Message-ID chosen before sending, so bounces can be matched; generated when absent. */
  messageId?: string | undefined;
}

export interface ComposeInput {
  sender: SenderIdentity;
  settings: MailSenderSettings;
  mailing: MailingContentInput;
  recipient: ComposeRecipient;
}

/** A ready message: nodemailer's options plus the Message-ID it carries. */
export interface ComposedMessage {
  messageId: string;
  options: SendMailOptions;
}

/**
 * A Message-ID on the sender's own domain (the part after @ of the From address), which mailbox providers
 * expect and which lets bounces be matched to a delivery. It starts with the time in milliseconds (hex, fixed
 * width) so that ids made later sort later: the outbox writes every id into the `delivery.message_id` index
 * at hand-over, and ids that land at the end of that index touch one page per commit instead of one page per
 * message (random UUIDs alone cost the hand-over commits about a third more). The UUID keeps it unguessable
 * (randomUUID draws from a pooled buffer: random bytes per call cost a system call each).
 *
 * @example
 * createMessageId('nieuws@bakkerij.nl'); // '<019ae3c4f2a1.3f1c…@bakkerij.nl>'
 */
export function createMessageId(fromAddress: string): string {
  const domain = fromAddress.split('@')[1];
  if (!domain) {
    throw new UserError('SMTP_FROM_INVALID', {
      en: `The From address "${fromAddress}" has no domain. Use a full address such as news@example.nl.`,
      nl: `Het afzenderadres "${fromAddress}" heeft geen domein. Gebruik een volledig adres zoals nieuws@voorbeeld.nl.`,
    });
  }
  const time = Date.now().toString(16).padStart(12, '0');
  // As long as a UUID (36 characters), so the header stays on one line as before: 23 hex digits of a UUID's
  // random part (its version digit left out) after the time.
  const hex = randomUUID().replace(/-/g, '');
  const random = (hex.slice(0, 12) + hex.slice(13)).slice(0, 23);
  return `<${time}.${random}@${domain.toLowerCase()}>`;
}

/**
 * Fills a mailing in for one recipient: merge fields (HTML-escaped in HTML), the legal footer, the
 * unsubscribe headers, a Message-ID on the sender's domain and optional DKIM. Refuses a CR or LF in any
 * header value, including a subject that became one through a merge field.
 *
 * @example
 * const message = composeMessage({ sender, settings: { fromAddress: 'news@shop.nl' }, mailing, recipient });
 * await transport.sendMail(message.options);
 */
export function composeMessage(input: ComposeInput): ComposedMessage {
  const { sender, settings, mailing, recipient } = input;
  const subject = assertHeaderValue('subject', renderMergeFields(mailing.subject, recipient.merge, 'text'));
  assertHeaderValue('recipient address', recipient.email);
  assertHeaderValue('From address', settings.fromAddress);
  const fromName = assertHeaderValue('From name', settings.fromName ?? sender.tradeName ?? sender.legalName);
  if (settings.replyTo !== undefined) assertHeaderValue('Reply-To address', settings.replyTo);
  const messageId = assertHeaderValue(
    'Message-ID',
    recipient.messageId ?? createMessageId(settings.fromAddress),
  );

  const links = unsubscribeLinks(sender, recipient.unsubscribeToken);
  const footer = buildFooter({
    sender,
    method: recipient.method,
    firstMailing: recipient.firstMailing,
    links,
    lang: mailing.lang,
  });
  const bodyHtml = renderMergeFields(mailing.html, recipient.merge, 'html');
  // The text part is derived from the HTML *template* once per mailing and then filled in per recipient:
  // html-to-text costs milliseconds per call, which for 10,000 recipients would dominate the send.
  const bodyText = renderMergeFields(mailing.text ?? textTemplateFor(mailing.html), recipient.merge, 'text');

  // The delivery token also travels in a header of its own: bounces and complaint reports quote the
  // returned message's headers, and this one survives where a provider rewrites List-Unsubscribe.
  const headers: Record<string, string> = {
    'List-Unsubscribe': links.listUnsubscribe,
    [DELIVERY_HEADER]: recipient.unsubscribeToken,
  };
  if (links.listUnsubscribePost) headers['List-Unsubscribe-Post'] = links.listUnsubscribePost;

  const options: SendMailOptions = {
    from: { name: fromName, address: settings.fromAddress },
    to: recipient.email,
    subject,
    html: insertBeforeBodyEnd(bodyHtml, footer.html),
    text: `${bodyText.trimEnd()}\n\n${footer.text}\n`,
    messageId,
    headers,
    ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
    ...(settings.bounceAddress
      ? {
          envelope: {
            from: verpAddress(
              assertHeaderValue('bounce address', settings.bounceAddress),
              recipient.unsubscribeToken,
            ),
            to: recipient.email,
          },
        }
      : {}),
    ...(settings.dkim ? { dkim: dkimOptions(settings.dkim) } : {}),
  };
  return { messageId, options };
}

/**
 * The plain-text version of an HTML body, via html-to-text (links kept as "text [url]").
 *
 * @example
 * htmlToText('<p>Hello <b>Jan</b></p>'); // 'Hello Jan'
 */
export function htmlToText(html: string): string {
  return convert(html, HTML_TO_TEXT_OPTIONS);
}

const HTML_TO_TEXT_OPTIONS = {
  // No wrapping: a merge placeholder must never be split over two lines, and mail clients wrap anyway.
  wordwrap: false as const,
  selectors: [
    { selector: 'img', format: 'skip' },
    // Headings keep their case, so {{firstName}} in a heading is not turned into {{FIRSTNAME}}.
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'table', options: { uppercaseHeaderCells: false } },
  ],
};

const textTemplates = new Map<string, string>();

/** The text version of an HTML template, converted once and kept for the few mailings of a run. */
function textTemplateFor(html: string): string {
  let text = textTemplates.get(html);
  if (text === undefined) {
    text = htmlToText(html);
    if (textTemplates.size >= 16) textTemplates.clear();
    textTemplates.set(html, text);
  }
  return text;
}

function insertBeforeBodyEnd(html: string, footer: string): string {
  const end = html.search(/<\/body\s*>/i);
  return end === -1 ? `${html}\n${footer}` : `${html.slice(0, end)}${footer}\n${html.slice(end)}`;
}

function dkimOptions(dkim: NonNullable<MailSenderSettings['dkim']>): DKIMOptions {
  // nodemailer's signer leaves a message unsigned when the key cannot sign: refuse such a key here, and
  // Ed25519 (which that signer cannot do) too. The outbox signs with composeSignedMessage instead.
  if (validateDkimPrivateKey(dkim.privateKey).algorithm !== 'rsa-sha256') {
    throw new UserError('MAIL_DKIM_NEEDS_SIGNED_COMPOSE', {
      en: 'An Ed25519 DKIM key can only be used through composeSignedMessage; composeMessage would send the message unsigned.',
      nl: 'Een Ed25519-DKIM-sleutel kan alleen via composeSignedMessage worden gebruikt; composeMessage zou het bericht onondertekend versturen.',
    });
  }
  // List-Unsubscribe(-Post) must be covered by the signature for RFC 8058 one-click to count.
  return {
    domainName: dkim.domainName,
    keySelector: dkim.keySelector,
    privateKey: dkim.privateKey,
    headerFieldNames:
      'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:List-Unsubscribe:List-Unsubscribe-Post',
  };
}
