import { generateKeyPairSync } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  composeMessage,
  composeSignedMessage,
  selfCheckDkim,
  signComposedMessage,
  validateDkimPrivateKey,
  type ComposeInput,
} from '../src/index.js';
import { dkimpyVerify } from '../src/testing/index.js';

const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsa2048Pem = rsa2048.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const rsa1024Pem = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();
const rsa512Pem = generateKeyPairSync('rsa', { modulusLength: 512 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const ed25519Pem = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

/** The three broken keys of issue 18, as people really paste them. */
export const BROKEN_KEYS: readonly { what: string; pem: string; code: string }[] = [
  {
    what: 'a PEM that is no key',
    pem: '-----BEGIN PRIVATE KEY-----\nVGhpcyBpcyBub3QgYSBrZXkgYXQgYWxsLCBqdXN0IHNvbWUgdGV4dCB0aGF0\nbG9va3MgbGlrZSBiYXNlNjQ=\n-----END PRIVATE KEY-----\n',
    code: 'SMTP_DKIM_KEY_UNREADABLE',
  },
  { what: 'the key pasted on one line', pem: rsa2048Pem.replace(/\n/g, ' '), code: 'SMTP_DKIM_KEY_ONE_LINE' },
  {
    what: 'the public key given by mistake',
    pem: rsa2048.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    code: 'SMTP_DKIM_KEY_PUBLIC',
  },
];

const sender = {
  legalName: 'Bakkerij de Vries B.V.',
  postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
  contactEmail: 'info@bakkerij.nl',
  kvkNumber: '12345678',
  unsubscribeUrl: 'https://bakkerij.nl/afmelden',
};

function input(privateKey: string): ComposeInput {
  return {
    sender,
    settings: {
      fromAddress: 'nieuws@bakkerij.nl',
      dkim: { domainName: 'bakkerij.nl', keySelector: 's1', privateKey },
    },
    mailing: {
      subject: 'Nieuws',
      html: '<p>Hallo {{firstName|klant}}</p>',
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
  };
}

describe('DKIM key validation when the key is entered', () => {
  it.each(BROKEN_KEYS)(
    'refuses $what with $code and says what to paste, in both languages',
    ({ pem, code }) => {
      let caught: unknown;
      try {
        validateDkimPrivateKey(pem);
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code });
      const messages = (caught as { text: { en: string; nl: string } }).text;
      expect(messages.en).toContain('BEGIN PRIVATE KEY');
      expect(messages.nl).toContain('BEGIN PRIVATE KEY');
      expect(messages.nl).not.toEqual(messages.en);
    },
  );

  it('refuses an RSA key under 1024 bits and a key type DKIM cannot use', () => {
    expect(() => validateDkimPrivateKey(rsa512Pem)).toThrow(
      expect.objectContaining({ code: 'SMTP_DKIM_KEY_TOO_SHORT' }),
    );
    expect(() => validateDkimPrivateKey(ecPem)).toThrow(
      expect.objectContaining({ code: 'SMTP_DKIM_KEY_TYPE' }),
    );
    expect(() => validateDkimPrivateKey('v=DKIM1; k=rsa; p=MIIBIjANBgkq')).toThrow(
      expect.objectContaining({ code: 'SMTP_DKIM_KEY_PUBLIC' }),
    );
  });

  it('accepts RSA 2048 and Ed25519 without a warning, RSA 1024 (PKCS#1) with one', () => {
    expect(validateDkimPrivateKey(rsa2048Pem)).toMatchObject({
      algorithm: 'rsa-sha256',
      bits: 2048,
      warnings: [],
    });
    expect(validateDkimPrivateKey(ed25519Pem)).toMatchObject({ algorithm: 'ed25519-sha256', warnings: [] });
    const weak = validateDkimPrivateKey(rsa1024Pem);
    expect(weak.bits).toBe(1024);
    expect(weak.warnings.map((w) => w.code)).toEqual(['SMTP_DKIM_KEY_WEAK']);
    expect(validateDkimPrivateKey(rsa2048Pem).dnsRecord).toMatch(/^v=DKIM1; k=rsa; p=MIIBIjAN/);
  });
});

describe('signed messages', () => {
  it.each([
    ['RSA 2048', rsa2048Pem],
    ['RSA 1024', rsa1024Pem],
    ['Ed25519', ed25519Pem],
  ])(
    'a message signed with %s verifies with dkimpy and covers both unsubscribe headers',
    async (_name, pem) => {
      const signed = await composeSignedMessage(input(pem));
      expect(signed.signed).toBe(true);
      const record = validateDkimPrivateKey(pem).dnsRecord;
      const verdict = await dkimpyVerify(signed.raw, 's1._domainkey.bakkerij.nl', record);
      expect(verdict).toEqual({ ok: true, output: 'pass' });

      const mail = await simpleParser(signed.raw);
      const signature = String(
        mail.headers.get('dkim-signature')
          ? mail.headerLines.find((h) => h.key === 'dkim-signature')?.line
          : '',
      );
      const h =
        /\bh=([^;]+)/
          .exec(signature.replace(/\r?\n[ \t]+/g, ''))?.[1]
          ?.toLowerCase()
          .split(':')
          .map((x) => x.trim()) ?? [];
      expect(h).toEqual(
        expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'from', 'subject']),
      );
      const list = mail.headerLines.find((l) => l.key === 'list-unsubscribe')?.line ?? '';
      // https first (Gmail acts on the first entry), then mailto.
      expect(list.replace(/\r?\n[ \t]+/g, ' ')).toMatch(
        /^List-Unsubscribe: <https:\/\/bakkerij\.nl\/afmelden\?token=tok_ABCdef123456>, <mailto:info@bakkerij\.nl/,
      );
    },
  );

  describe('when the clock passes a second boundary while signing', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('the t= written is the t= signed, so the signature still verifies', async () => {
      // The clock moves a second at every reading: a signer that reads it twice for t= (mailauth does when
      // not given the time) writes another second than it signed. One message in about a thousand did so.
      let now = Date.parse('2026-12-04T21:59:06.400Z');
      vi.spyOn(Date, 'now').mockImplementation(() => (now += 1000));
      const signed = await composeSignedMessage(input(rsa2048Pem));
      vi.restoreAllMocks();
      const record = validateDkimPrivateKey(rsa2048Pem).dnsRecord;
      expect(await dkimpyVerify(signed.raw, 's1._domainkey.bakkerij.nl', record)).toEqual({
        ok: true,
        output: 'pass',
      });
    });
  });

  it('a signature made with another key does not verify with dkimpy (the verifier can fail)', async () => {
    const signed = await composeSignedMessage(input(rsa2048Pem));
    const other = validateDkimPrivateKey(rsa1024Pem).dnsRecord;
    expect((await dkimpyVerify(signed.raw, 's1._domainkey.bakkerij.nl', other)).ok).toBe(false);
    const tampered = Buffer.from(signed.raw.toString().replace('Subject: Nieuws', 'Subject: Nieuwz'));
    const record = validateDkimPrivateKey(rsa2048Pem).dnsRecord;
    expect((await dkimpyVerify(tampered, 's1._domainkey.bakkerij.nl', record)).ok).toBe(false);
  });

  it.each(BROKEN_KEYS)(
    'never produces an unsigned message from $what: signing throws $code',
    async ({ pem, code }) => {
      await expect(composeSignedMessage(input(pem))).rejects.toMatchObject({ code });
      const unsigned = composeMessage({ ...input(pem), settings: { fromAddress: 'nieuws@bakkerij.nl' } });
      await expect(
        signComposedMessage(unsigned, { domainName: 'bakkerij.nl', keySelector: 's1', privateKey: pem }),
      ).rejects.toMatchObject({ code });
      await expect(
        selfCheckDkim(unsigned, { domainName: 'bakkerij.nl', keySelector: 's1', privateKey: pem }),
      ).rejects.toMatchObject({ code });
      // nodemailer's own signer would skip the signature silently: composeMessage refuses the key instead.
      expect(() => composeMessage(input(pem))).toThrow(expect.objectContaining({ code }));
    },
  );

  it('the self-check signs and verifies one message with a good key', async () => {
    const sample = composeMessage({ ...input(rsa2048Pem), settings: { fromAddress: 'nieuws@bakkerij.nl' } });
    const check = await selfCheckDkim(sample, {
      domainName: 'bakkerij.nl',
      keySelector: 's1',
      privateKey: rsa2048Pem,
    });
    expect(check).toMatchObject({ algorithm: 'rsa-sha256', bits: 2048 });
    expect(check.signedHeaders.map((h) => h.toLowerCase())).toContain('list-unsubscribe-post');
  });
});
