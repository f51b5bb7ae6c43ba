import type { ParsedMail } from 'mailparser';

/**
 * Whether a message is an automatic reply (out of office, vacation, "your ticket was received"): RFC 3834
 * `Auto-Submitted` other than "no", and the headers mail systems use instead (X-Autoreply, X-Autorespond,
 * Precedence: auto_reply/bulk/junk, Exchange's X-Auto-Response-Suppress on its OOF replies), or a subject
 * in the usual words. Such replies are ignored: they say nothing about consent.
 *
 * @example
 * isAutoReply(await simpleParser('Auto-Submitted: auto-replied\r\nSubject: Afwezig\r\n\r\n…')); // true
 */
export function isAutoReply(mail: ParsedMail): boolean {
  const header = (name: string) => {
    const value = mail.headers.get(name);
    return typeof value === 'string' ? value.trim().toLowerCase() : value === undefined ? undefined : 'yes';
  };
  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted !== undefined && !autoSubmitted.startsWith('no')) return true;
  if (header('x-autoreply') !== undefined || header('x-autorespond') !== undefined) return true;
  if (header('x-autoresponder') !== undefined || header('x-auto-response-suppress') !== undefined)
    return true;
  const precedence = header('precedence');
  if (precedence && /auto_reply|bulk|junk/.test(precedence)) return true;
  if (header('x-precedence') === 'auto_reply') return true;
  return AUTO_SUBJECT.test(mail.subject ?? '');
}

const AUTO_SUBJECT =
  /^\s*(auto(matic|matisch)?[ -]?(reply|antwoord|response|respons)|out of (the )?office|afwezig|niet aanwezig|vakantie|on vacation|abwesenheit|absence|autoreply|auto:)/i;
