import type { Lang } from '@consent-mailer/policy';
import { createMessageId, transportOptions, type SmtpSettings } from '@consent-mailer/mailer';
import nodemailer, { type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

/** What the SMTP server took, kept as evidence of the confirmation mail. */
export interface SentMail {
  messageId: string;
  rawMime: string;
  smtpReply: string;
  sentAt: string;
}

export interface PlainMail {
  to: string;
  subject: string;
  text: string;
  language: Lang;
}

/** Sends plain-text, non-promotional mails through the business's own SMTP server. */
export interface OptinMailer {
  send(mail: PlainMail, now: () => Date): Promise<SentMail>;
  close(): void;
}

export function createOptinMailer(
  settings: SmtpSettings,
  password: string | undefined,
  from: string,
  fromName: string,
): OptinMailer {
  const transport: Transporter = nodemailer.createTransport(transportOptions(settings, password));
  return {
    async send(mail, now) {
      const messageId = createMessageId(from);
      // Build the MIME ourselves so the exact bytes handed to the server can be kept.
      const raw = await new MailComposer({
        from: { name: fromName, address: from },
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId,
        date: now(),
        headers: { 'Content-Language': mail.language, 'Auto-Submitted': 'auto-generated' },
      })
        .compile()
        .build();
      const info = (await transport.sendMail({ envelope: { from, to: [mail.to] }, raw })) as {
        response?: string;
      };
      return {
        messageId,
        rawMime: raw.toString('utf8'),
        smtpReply: info.response ?? '',
        sentAt: now().toISOString(),
      };
    },
    close: () => transport.close(),
  };
}
