import { UserError } from '@consent-mailer/policy';
import { simpleParser, type ParsedMail } from 'mailparser';
import { parseUnsubscribeSubject } from './unsubscribe-link.js';

/** One recipient of an RFC 3464 delivery status notification. */
export interface DsnRecipient {
  email: string;
  /** failed, delayed, delivered, relayed or expanded. */
  action: string;
  /** The RFC 3463 status, e.g. 5.1.1. */
  status?: string | undefined;
  diagnostic?: string | undefined;
  /** `Action: failed` with a 5.x.x status: permanent (docs/policy-rules.md section 1, rule G3). */
  permanent: boolean;
}

/** What an imported bounce or complaint message says. */
export type FeedbackReport =
  | {
      kind: 'DSN';
      recipients: DsnRecipient[];
      /** Message-ID of the message that bounced, when the report quotes its headers. */
      originalMessageId?: string | undefined;
      receivedAt?: string | undefined;
    }
  | {
      kind: 'ARF';
      /** abuse, fraud, virus, other … (RFC 5965). */
      feedbackType: string;
      /** Original-Rcpt-To: who complained. */
      recipients: string[];
      originalMessageId?: string | undefined;
      /** The unsubscribe token of the complained-about message, when its List-Unsubscribe is quoted. */
      unsubscribeToken?: string | undefined;
      reportingMta?: string | undefined;
      receivedAt?: string | undefined;
    };

/**
 * Parses a bounce (RFC 3464 `multipart/report; report-type=delivery-status`) or a complaint (RFC 5965
 * `report-type=feedback-report`) from an .eml file, with mailparser for the MIME structure.
 *
 * @throws {UserError} FEEDBACK_NOT_A_REPORT for any other message.
 * @example
 * const report = await parseFeedbackMessage(await readFile('bounce.eml'));
 * if (report.kind === 'DSN') report.recipients[0]?.status; // '5.1.1'
 */
export async function parseFeedbackMessage(source: Buffer | string): Promise<FeedbackReport> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(source, {
      keepDeliveryStatus: true,
      skipHtmlToText: true,
      skipTextToHtml: true,
    });
  } catch (cause) {
    throw notAReport(cause);
  }
  const receivedAt = mail.date?.toISOString();
  const dsnPart = mail.attachments.find((part) => part.contentType === 'message/delivery-status');
  const arfPart = mail.attachments.find((part) => part.contentType === 'message/feedback-report');
  const original = await quotedOriginal(mail);

  if (arfPart) {
    const fields = parseFieldBlocks(arfPart.content.toString('utf8'))[0] ?? new Map<string, string[]>();
    const recipients = (fields.get('original-rcpt-to') ?? [])
      .map(stripAddress)
      .filter((email) => email.includes('@'));
    const token = original?.unsubscribeToken ?? tokenFromText(mail.text ?? '');
    return {
      kind: 'ARF',
      feedbackType: (fields.get('feedback-type')?.[0] ?? 'abuse').toLowerCase(),
      recipients: recipients.length > 0 ? recipients : (original?.to ?? []),
      originalMessageId: original?.messageId,
      unsubscribeToken: token,
      reportingMta: fields.get('reporting-mta')?.[0],
      receivedAt,
    };
  }
  if (dsnPart) {
    const blocks = parseFieldBlocks(dsnPart.content.toString('utf8'));
    const recipients: DsnRecipient[] = [];
    // The first block describes the message; every later block one recipient.
    for (const block of blocks.slice(1)) {
      const email = stripAddress(
        block.get('final-recipient')?.[0] ?? block.get('original-recipient')?.[0] ?? '',
      );
      if (!email.includes('@')) continue;
      const action = (block.get('action')?.[0] ?? '').toLowerCase();
      const status = /\d\.\d{1,3}\.\d{1,3}/.exec(block.get('status')?.[0] ?? '')?.[0];
      recipients.push({
        email,
        action,
        status,
        diagnostic: block.get('diagnostic-code')?.[0],
        permanent: action === 'failed' && status?.startsWith('5') === true,
      });
    }
    if (recipients.length === 0) throw notAReport();
    return { kind: 'DSN', recipients, originalMessageId: original?.messageId, receivedAt };
  }
  throw notAReport();
}

/**
 * Parses the header-like field groups of a delivery-status or feedback-report part: groups separated by
 * blank lines, continuation lines unfolded, names lower-cased; the value after "type;" is kept whole.
 *
 * @example
 * parseFieldBlocks('Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; a@b.nl\nAction: failed')[1]?.get('action'); // ['failed']
 */
export function parseFieldBlocks(text: string): Map<string, string[]>[] {
  const blocks: Map<string, string[]>[] = [];
  for (const chunk of text.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/)) {
    const unfolded = chunk.replace(/\n[ \t]+/g, ' ');
    const block = new Map<string, string[]>();
    for (const line of unfolded.split('\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      block.set(name, [...(block.get(name) ?? []), value]);
    }
    if (block.size > 0) blocks.push(block);
  }
  return blocks;
}

async function quotedOriginal(
  mail: ParsedMail,
): Promise<{ messageId?: string; to: string[]; unsubscribeToken?: string } | undefined> {
  const part = mail.attachments.find(
    (a) => a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers',
  );
  if (!part) return undefined;
  const quoted = await simpleParser(part.content, { skipHtmlToText: true, skipTextToHtml: true });
  const listUnsubscribe = quoted.headers.get('list-unsubscribe');
  const token =
    typeof listUnsubscribe === 'string' ? tokenFromText(decodeURIComponent(listUnsubscribe)) : undefined;
  const to = (Array.isArray(quoted.to) ? quoted.to : quoted.to ? [quoted.to] : [])
    .flatMap((group) => group.value.map((address) => address.address ?? ''))
    .filter((address) => address.includes('@'));
  return {
    ...(quoted.messageId ? { messageId: quoted.messageId } : {}),
    to,
    ...(token ? { unsubscribeToken: token } : {}),
  };
}

function tokenFromText(text: string): string | undefined {
  return parseUnsubscribeSubject(text.replace(/%20/g, ' '));
}

/** "rfc822; <a@b.nl>" -> "a@b.nl". */
function stripAddress(value: string): string {
  const afterType = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  return afterType.trim().replace(/^<|>$/g, '').trim();
}

function notAReport(cause?: unknown): UserError {
  return new UserError(
    'FEEDBACK_NOT_A_REPORT',
    {
      en: 'This file is not a bounce (RFC 3464 delivery status) or a complaint (RFC 5965 ARF report). Save the bounce or complaint message itself as .eml and import that.',
      nl: 'Dit bestand is geen bounce (RFC 3464-afleverbericht) en geen klacht (RFC 5965-ARF-rapport). Sla het bounce- of klachtbericht zelf op als .eml en importeer dat.',
    },
    cause === undefined ? undefined : { cause },
  );
}
