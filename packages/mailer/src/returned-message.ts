import { finished } from 'node:stream/promises';
import { Splitter } from '@zone-eu/mailsplit';
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { DELIVERY_HEADER, tokenFromDeliveryHeader } from './delivery-token.js';
import { addressFromField, isPlausibleAddress } from './feedback-fields.js';
import type { ReturnedMessage } from './feedback-report.js';
import { parseUnsubscribeSubject } from './unsubscribe-link.js';

const RETURNED_TYPES = new Set([
  'message/rfc822',
  'message/global',
  'text/rfc822-headers',
  'message/global-headers',
  'message/rfc822-headers',
]);

/** The part of a report that is (a copy of) the returned message, if it is a MIME part of its own. */
export function returnedPart(mail: ParsedMail): Attachment | undefined {
  return mail.attachments.find((part) => RETURNED_TYPES.has(part.contentType.toLowerCase()));
}

/**
 * The headers of the message a report returns: from its `message/rfc822` or `text/rfc822-headers` part,
 * else from a copy pasted into the text (Exim's "------ This is a copy of the message", qmail's "--- Below
 * this line is a copy of the message."), read line by line.
 *
 * @example
 * const returned = await returnedMessage(await simpleParser(eml));
 * returned?.deliveryToken; // the token of X-Consent-Mailer-Delivery
 */
export async function returnedMessage(
  mail: ParsedMail,
  source: Buffer | string,
): Promise<ReturnedMessage | undefined> {
  // mailparser renders an *inline* message/rfc822 part into the text with a few headers only (Message-ID
  // and ours are lost), so the returned copy is taken from the raw MIME tree as well.
  const content = returnedPart(mail)?.content ?? (await embeddedMessages(source))[0];
  if (content) return readMessageCopy(content);
  const texts = [
    mail.text ?? '',
    ...mail.attachments
      .filter((a) => a.contentType.startsWith('text/') && a.contentType !== 'text/html')
      .map((a) => a.content.toString('utf8')),
  ].join('\n');
  return fromText(texts);
}

/**
 * The identifying headers of one whole message (a copy quoted in a report, or a complainant's saved copy of
 * our message itself): Message-ID, our delivery token, the List-Unsubscribe token, To, From and Subject.
 *
 * @example
 * const keys = await readMessageCopy(await readFile('saved-newsletter.eml'));
 * keys?.deliveryToken;
 */
export async function readMessageCopy(content: Buffer): Promise<ReturnedMessage | undefined> {
  const raw = content.toString('utf8');
  try {
    const quoted = await simpleParser(content, { skipHtmlToText: true, skipTextToHtml: true });
    const header = (name: string) => {
      const value = quoted.headers.get(name);
      return typeof value === 'string' ? value : undefined;
    };
    const listUnsubscribe = rawHeader(raw, 'list-unsubscribe') ?? header('list-unsubscribe');
    const deliveryHeader = rawHeader(raw, DELIVERY_HEADER.toLowerCase());
    const originalRecipient = rawHeader(raw, 'x-hmxmroriginalrecipient');
    return {
      messageId: quoted.messageId ?? messageIdFromText(raw),
      deliveryToken: deliveryHeader ? tokenFromDeliveryHeader(deliveryHeader) : undefined,
      unsubscribeToken: listUnsubscribe ? tokenFromListUnsubscribe(listUnsubscribe) : undefined,
      to: addresses(quoted.to),
      originalRecipient: originalRecipient ? addressFromField(originalRecipient) : undefined,
      from: addresses(quoted.from)[0],
      subject: quoted.subject,
    };
  } catch {
    return fromText(raw);
  }
}

/**
 * The raw bytes of every message/rfc822 (or message/global) part, transfer encoding undone, by
 * mailsplit (the MIME splitter mailparser itself is built on) with embedded messages kept whole.
 */
export async function embeddedMessages(source: Buffer | string): Promise<Buffer[]> {
  const found: { encoding: string; chunks: Buffer[] }[] = [];
  let current: { encoding: string; chunks: Buffer[] } | undefined;
  const splitter = new Splitter({ ignoreEmbedded: true });
  splitter.on('data', (chunk) => {
    if (chunk.type === 'node') {
      const type = typeof chunk.contentType === 'string' ? chunk.contentType.toLowerCase() : '';
      current =
        type === 'message/rfc822' || type === 'message/global'
          ? { encoding: typeof chunk.encoding === 'string' ? chunk.encoding.toLowerCase() : '', chunks: [] }
          : undefined;
      if (current) found.push(current);
    } else if (chunk.type === 'body' && current) {
      current.chunks.push(chunk.value);
    }
  });
  splitter.end(typeof source === 'string' ? Buffer.from(source, 'utf8') : source);
  await finished(splitter);
  return found.map(({ encoding, chunks }) => {
    const raw = Buffer.concat(chunks);
    return encoding === 'base64' ? Buffer.from(raw.toString('latin1'), 'base64') : raw;
  });
}

/** Header lines of a pasted copy: only what identifies the message, and only when something does. */
function fromText(text: string): ReturnedMessage | undefined {
  const messageId = messageIdFromText(text);
  const delivery = rawHeader(text, DELIVERY_HEADER.toLowerCase());
  const listUnsubscribe = rawHeader(text, 'list-unsubscribe');
  const to = rawHeader(text, 'to');
  const toAddress = to ? addressFromField(to) : undefined;
  const returned: ReturnedMessage = {
    messageId,
    deliveryToken: delivery ? tokenFromDeliveryHeader(delivery) : undefined,
    unsubscribeToken: listUnsubscribe ? tokenFromListUnsubscribe(listUnsubscribe) : undefined,
    to: toAddress ? [toAddress] : [],
    subject: rawHeader(text, 'subject'),
  };
  return returned.messageId || returned.deliveryToken || returned.unsubscribeToken || toAddress
    ? returned
    : undefined;
}

/** The first header line of that name in a text (unfolded), indented copies included. */
function rawHeader(text: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const match = new RegExp(`^[ \\t>]*${escaped}[ \\t]*:[ \\t]*(.*(?:\\r?\\n[ \\t]+.*)*)`, 'im').exec(text);
  return match?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim();
}

function messageIdFromText(text: string): string | undefined {
  const value = rawHeader(text, 'message-id');
  return value ? /<[^<>\s]+>/.exec(value)?.[0] : undefined;
}

/** The token of our mailto: unsubscribe in a List-Unsubscribe value ("subject=unsubscribe%20<token>"). */
function tokenFromListUnsubscribe(value: string): string | undefined {
  let decoded = value;
  try {
    decoded = decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    // A stray % in a foreign header: read it undecoded.
  }
  return parseUnsubscribeSubject(decoded) ?? /[?&]token=([A-Za-z0-9_-]{8,64})/.exec(value)?.[1];
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const groups = Array.isArray(value) ? value : value ? [value] : [];
  return groups
    .flatMap((group) => group.value.flatMap((entry) => [entry, ...(entry.group ?? [])]))
    .map((entry) => entry.address ?? '')
    .filter(isPlausibleAddress);
}
