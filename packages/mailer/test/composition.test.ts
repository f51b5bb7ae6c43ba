import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import {
  composeMessage,
  createMessageId,
  describeMergeFields,
  createUnsubscribeToken,
  renderMergeFields,
  type ComposeInput,
} from '../src/index.js';

const sender = {
  legalName: 'Bakkerij de Vries B.V.',
  tradeName: 'Bakkerij de Vries',
  postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
  contactEmail: 'info@bakkerij.nl',
  kvkNumber: '12345678',
  vatNumber: 'NL001234567B01',
  website: 'https://bakkerij.nl',
};

function input(overrides: Partial<ComposeInput> = {}): ComposeInput {
  return {
    sender,
    settings: { fromAddress: 'nieuws@bakkerij.nl', replyTo: 'info@bakkerij.nl' },
    mailing: {
      subject: 'Nieuws voor {{firstName|u}}',
      html: '<html><body><h1>Hallo {{firstName|klant}}</h1><p>Onze <a href="https://bakkerij.nl/brood">broden</a>.</p></body></html>',
      lang: 'nl',
      content: 'MARKETING',
    },
    recipient: {
      email: 'jan@example.nl',
      merge: { firstName: 'Jan' },
      method: 'WEB_DOI',
      firstMailing: true,
      unsubscribeToken: 'tok_ABCdef123456',
    },
    ...overrides,
  };
}

/** Builds the message as nodemailer would put it on the wire and parses it back. */
async function wire(composeInput: ComposeInput) {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const info = await transport.sendMail(composeMessage(composeInput).options);
  return simpleParser(info.message);
}

/** A header's value as sent (unfolded), without mailparser's interpretation. */
function rawHeader(
  mail: { headerLines: readonly { key: string; line: string }[] },
  name: string,
): string | undefined {
  const line = mail.headerLines.find((header) => header.key === name)?.line;
  return line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

describe('composeMessage', () => {
  it('puts identity, reason, unsubscribe link and right-to-object in the first mailing', async () => {
    const mail = await wire(input());
    const text = mail.text ?? '';
    expect(mail.subject).toBe('Nieuws voor Jan');
    expect(text).toContain('Bakkerij de Vries (Bakkerij de Vries B.V.)');
    expect(text).toContain('Dorpsstraat 1, 1234 AB Ergens');
    expect(text).toContain('KvK: 12345678');
    expect(text).toContain('info@bakkerij.nl');
    expect(text).toContain('via onze website heeft aangemeld en uw e-mailadres heeft bevestigd');
    expect(text).toContain('bezwaar te maken');
    expect(text).toContain('Afmelden: mailto:info@bakkerij.nl?subject=unsubscribe%20tok_ABCdef123456');
    expect(mail.html).toContain('Hallo Jan');
    expect(mail.html).toContain('consent-mailer-footer');
  });

  it('leaves the right-to-object sentence out after the first mailing and words the reason per method', async () => {
    const mail = await wire(
      input({ recipient: { ...input().recipient, firstMailing: false, method: 'CUSTOMER' } }),
    );
    expect(mail.text).not.toContain('bezwaar te maken');
    expect(mail.text).toContain('omdat u bij ons heeft gekocht');
  });

  it('derives the text part from the HTML when no text is given', async () => {
    const mail = await wire(input());
    expect(mail.text).toMatch(/HALLO JAN|Hallo Jan/);
    expect(mail.text).toContain('broden [https://bakkerij.nl/brood]');
  });

  it('offers only mailto List-Unsubscribe without an unsubscribe page', async () => {
    const mail = await wire(input());
    expect(rawHeader(mail, 'list-unsubscribe')).toBe(
      '<mailto:info@bakkerij.nl?subject=unsubscribe%20tok_ABCdef123456>',
    );
    expect(rawHeader(mail, 'list-unsubscribe-post')).toBeUndefined();
  });

  it('adds https and one-click List-Unsubscribe-Post when the business has an unsubscribe page', async () => {
    const mail = await wire(input({ sender: { ...sender, unsubscribeUrl: 'https://bakkerij.nl/afmelden' } }));
    const raw = rawHeader(mail, 'list-unsubscribe') ?? '';
    // https first: Gmail acts on the first entry.
    expect(raw).toBe(
      '<https://bakkerij.nl/afmelden?token=tok_ABCdef123456>, <mailto:info@bakkerij.nl?subject=unsubscribe%20tok_ABCdef123456>',
    );
    expect(rawHeader(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.html).toContain('href="https://bakkerij.nl/afmelden?token=tok_ABCdef123456"');
  });

  it("sets a Message-ID on the sender's domain and the sender name in From", async () => {
    const mail = await wire(input());
    expect(mail.messageId).toMatch(/^<[0-9a-f]{12}\.[0-9a-f]{23}@bakkerij\.nl>$/);
    expect(mail.from?.value[0]).toEqual({ address: 'nieuws@bakkerij.nl', name: 'Bakkerij de Vries' });
    expect(mail.replyTo?.value[0]?.address).toBe('info@bakkerij.nl');
  });

  it('makes Message-IDs that sort in the order they were made, and never the same one twice', async () => {
    // The hand-over index stays append-only (see createMessageId); a later id must sort after an earlier one.
    const first = createMessageId('nieuws@bakkerij.nl');
    await new Promise((resolve) => setTimeout(resolve, 2));
    const later = Array.from({ length: 1000 }, () => createMessageId('nieuws@Bakkerij.NL'));
    expect(later.every((id) => id > first)).toBe(true);
    expect(new Set(later).size).toBe(1000);
    expect(later[0]).toMatch(/@bakkerij\.nl>$/);
  });

  it('escapes merge values in HTML and falls back when a value is missing', async () => {
    const evil = await wire(
      input({ recipient: { ...input().recipient, merge: { firstName: '<script>alert(1)</script>' } } }),
    );
    expect(evil.html).not.toContain('<script>');
    expect(evil.html).toContain('&lt;script&gt;');
    const missing = await wire(input({ recipient: { ...input().recipient, merge: {} } }));
    expect(missing.subject).toBe('Nieuws voor u');
    expect(missing.html).toContain('Hallo klant');
  });

  it('refuses a CR or LF in any header value, also one that came from a merge field', () => {
    expect(() =>
      composeMessage(
        input({ recipient: { ...input().recipient, merge: { firstName: 'Jan\r\nBcc: all@x.nl' } } }),
      ),
    ).toThrow(expect.objectContaining({ code: 'MAIL_HEADER_LINE_BREAK' }));
    expect(() =>
      composeMessage(input({ settings: { fromAddress: 'nieuws@bakkerij.nl', fromName: 'A\nB' } })),
    ).toThrow(expect.objectContaining({ code: 'MAIL_HEADER_LINE_BREAK' }));
    expect(() =>
      composeMessage(input({ settings: { fromAddress: 'nieuws@bakkerij.nl', replyTo: 'x@y.nl\r\nX: y' } })),
    ).toThrow(expect.objectContaining({ code: 'MAIL_HEADER_LINE_BREAK' }));
  });

  it('refuses an unknown merge field instead of sending a gap', () => {
    expect(() => renderMergeFields('Hi {{frstName}}', {}, 'text')).toThrow(
      expect.objectContaining({ code: 'MAILING_UNKNOWN_MERGE_FIELD' }),
    );
  });

  it('describes a template to a person with the merge fields named, not as code', () => {
    expect(describeMergeFields('Nieuws voor {{firstName|u}} van {{ organisation }}', 'nl')).toBe(
      'Nieuws voor [voornaam] van [organisatie]',
    );
    expect(describeMergeFields('News for {{firstName|you}}', 'en')).toBe('News for [first name]');
    expect(describeMergeFields('Geen velden', 'nl')).toBe('Geen velden');
  });

  it('signs with DKIM, covering the List-Unsubscribe headers', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const mail = await wire(
      input({
        sender: { ...sender, unsubscribeUrl: 'https://bakkerij.nl/afmelden' },
        settings: {
          fromAddress: 'nieuws@bakkerij.nl',
          dkim: {
            domainName: 'bakkerij.nl',
            keySelector: 'cm2026',
            privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
          },
        },
      }),
    );
    const signature = String(
      mail.headers.get('dkim-signature')
        ? mail.headerLines.find((l) => l.key === 'dkim-signature')?.line
        : '',
    );
    expect(signature).toContain('d=bakkerij.nl');
    expect(signature).toContain('s=cm2026');
    expect(signature.toLowerCase()).toContain('list-unsubscribe-post');
  });

  it('makes unguessable tokens', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => createUnsubscribeToken()));
    expect(tokens.size).toBe(1000);
  });
});
