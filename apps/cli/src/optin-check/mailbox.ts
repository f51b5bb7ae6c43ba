import { UserError } from '@consent-mailer/policy';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { sleep } from './http.js';

/** A mail that arrived in the probe mailbox, as text. */
export interface ProbeMail {
  to: string;
  subject: string;
  text: string;
  links: string[];
}

/** The probe mailbox the check reads confirmation and receipt mails from. */
export interface Mailbox {
  /** Every mail so far addressed to `address` (plus-address included). */
  mailsTo(address: string): Promise<ProbeMail[]>;
  /** Waits until a mail to `address` matching `accept` arrives; undefined after `timeoutMs`. */
  waitFor(
    address: string,
    accept: (mail: ProbeMail) => boolean,
    timeoutMs: number,
  ): Promise<ProbeMail | undefined>;
  close(): Promise<void>;
}

interface ImapTarget {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  folder: string;
}

/** Reads `imap://user:pass@host:port/INBOX` or `imaps://…` (port 143 / 993 by default). */
export function parseImapUrl(text: string): ImapTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    url = new URL('invalid:');
  }
  if ((url.protocol !== 'imap:' && url.protocol !== 'imaps:') || !url.hostname || !url.username) {
    throw new UserError('OPTIN_CHECK_IMAP_URL', {
      en: `--imap must look like imaps://user:password@mail.example.nl/INBOX (got "${text.replace(/:[^:@/]*@/, ':***@')}"). Put the probe mailbox's login in it.`,
      nl: `--imap moet eruitzien als imaps://gebruiker:wachtwoord@mail.voorbeeld.nl/INBOX (gekregen: "${text.replace(/:[^:@/]*@/, ':***@')}"). Zet de inlog van de testmailbox erin.`,
    });
  }
  const secure = url.protocol === 'imaps:';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(url.username),
    pass: decodeURIComponent(url.password),
    folder: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

const LINK = /https?:\/\/[^\s<>"')\]]+/g;

/** Connects to the probe mailbox over IMAP (STARTTLS is used on imap:// when the server offers it). */
export async function openMailbox(text: string): Promise<Mailbox> {
  const target = parseImapUrl(text);
  const client = new ImapFlow({
    host: target.host,
    port: target.port,
    secure: target.secure,
    auth: { user: target.user, pass: target.pass },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.mailboxOpen(target.folder, { readOnly: true });
  } catch (error) {
    await client.logout().catch(() => undefined);
    throw new UserError('OPTIN_CHECK_IMAP_FAILED', {
      en: `The probe mailbox ${target.user}@${target.host}/${target.folder} cannot be opened (${(error as Error).message}). Check the address, login and folder in --imap.`,
      nl: `De testmailbox ${target.user}@${target.host}/${target.folder} gaat niet open (${(error as Error).message}). Controleer adres, inlog en map in --imap.`,
    });
  }

  async function mailsTo(address: string): Promise<ProbeMail[]> {
    // A NOOP makes the server report mail that arrived since the last look.
    await client.noop();
    const uids = await client.search({ to: address }, { uid: true });
    if (!uids || uids.length === 0) return [];
    const mails: ProbeMail[] = [];
    for await (const message of client.fetch(uids, { source: true }, { uid: true })) {
      if (!message.source) continue;
      const parsed = await simpleParser(message.source);
      const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : [])
        .flatMap((group) => group.value.map((entry) => entry.address ?? ''))
        .filter(Boolean);
      // Dovecot's TO search matches substrings: keep the mails really addressed to this one.
      if (!to.some((entry) => entry.toLowerCase() === address.toLowerCase())) continue;
      const text = parsed.text ?? '';
      mails.push({ to: address, subject: parsed.subject ?? '', text, links: text.match(LINK) ?? [] });
    }
    return mails;
  }

  return {
    mailsTo,
    async waitFor(address, accept, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = (await mailsTo(address)).find(accept);
        if (found || Date.now() >= deadline) return found;
        await sleep(500);
      }
    },
    async close() {
      await client.logout().catch(() => undefined);
    },
  };
}
