import { UserError } from '@consent-mailer/policy';
import { dkimSign, dkimVerify, type DNSResolver } from 'mailauth';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { SendMailOptions } from 'nodemailer';
import { validateDkimPrivateKey } from './dkim-key.js';
import { composeMessage, type ComposeInput, type ComposedMessage } from './message-composer.js';

/** The DKIM part of a sender's settings: d=, s= and the private key (PEM) from the secret store. */
export interface DkimSigningSettings {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/**
 * The header fields every signature covers (those present in the message). List-Unsubscribe and
 * List-Unsubscribe-Post must be signed for RFC 8058 one-click unsubscribe to count at Gmail and Yahoo.
 */
export const DKIM_SIGNED_HEADERS = [
  'From',
  'Sender',
  'Reply-To',
  'Subject',
  'Date',
  'Message-ID',
  'To',
  'Cc',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
] as const;

/** A message ready for SMTP as bytes: what was signed is exactly what is sent. */
export interface SignedMessage extends ComposedMessage {
  /** The whole message (DKIM-Signature first), as handed to the server. */
  raw: Buffer;
  /** Whether a DKIM-Signature was added (false only when DKIM is not configured). */
  signed: boolean;
}

/**
 * Composes a message for one recipient and signs it with mailauth's DKIM signer (RSA-SHA256 or
 * Ed25519-SHA256), returning the raw bytes to send. A key that cannot sign throws instead of letting the
 * message go unsigned (nodemailer's own signer silently skips the signature on a bad key).
 *
 * @throws {UserError} MAIL_DKIM_SIGN_FAILED, or one of the SMTP_DKIM_KEY_* codes of `validateDkimPrivateKey`.
 * @example
 * const message = await composeSignedMessage({ sender, settings, mailing, recipient });
 * await transport.sendMail(message.options); // options.raw holds the signed message
 */
export async function composeSignedMessage(input: ComposeInput): Promise<SignedMessage> {
  const { dkim, ...rest } = input.settings;
  const composed = composeMessage({ ...input, settings: rest });
  return signComposedMessage(composed, dkim);
}

/**
 * Turns a composed message into raw bytes and, when `dkim` is given, prepends a DKIM-Signature.
 *
 * @throws {UserError} MAIL_DKIM_SIGN_FAILED when the signer refuses.
 * @example
 * const signed = await signComposedMessage(composeMessage(input), settings.dkim);
 */
export async function signComposedMessage(
  composed: ComposedMessage,
  dkim: DkimSigningSettings | undefined,
  signTime?: Date,
): Promise<SignedMessage> {
  const { dkim: _unused, ...options } = composed.options;
  const raw = await new MailComposer(options).compile().build();
  const envelope = envelopeOf(options);
  if (!dkim) {
    return { messageId: composed.messageId, raw, signed: false, options: { envelope, raw } };
  }
  validateDkimPrivateKey(dkim.privateKey);
  let signatures: string;
  let failure: string;
  try {
    // mailauth 4 signs only what `signatureData` lists (top-level key options make no signature).
    const key = {
      signingDomain: dkim.domainName,
      selector: dkim.keySelector,
      privateKey: dkim.privateKey,
      canonicalization: 'relaxed/relaxed',
      // mailauth 4 reads a colon-separated string here (an array silently falls back to its default list,
      // which lacks List-Unsubscribe-Post); its bundled types say string[].
      headerList: DKIM_SIGNED_HEADERS.join(':') as unknown as string[],
      // Always given: without it mailauth reads the clock twice, once for the t= it signs and once for the
      // t= it writes, rounding each to the second. When a half second passed between the two (the RSA
      // signature in between takes a millisecond or two), the header said another t= than was signed and
      // the signature failed at every receiver: about one message in a thousand (seen as a flaky self-test).
      signTime: signTime ?? new Date(),
    };
    const result = await dkimSign(raw, { ...key, signatureData: [key] });
    signatures = result.signatures.trim();
    // At run time each error is { selector, signingDomain, err }; the bundled types say Error.
    failure = (result.errors as unknown[])
      .map((e) => {
        const inner = (e as { err?: unknown }).err ?? e;
        return inner instanceof Error ? inner.message : String(inner);
      })
      .join('; ');
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    signatures = '';
  }
  if (failure !== '' || !signatures.startsWith('DKIM-Signature:')) {
    throw new UserError('MAIL_DKIM_SIGN_FAILED', {
      en: `The message could not be signed with the DKIM key of ${dkim.domainName} (${failure || 'no signature made'}), so nothing was sent. Check the DKIM key and selector in the SMTP profile.`,
      nl: `Het bericht kon niet worden ondertekend met de DKIM-sleutel van ${dkim.domainName} (${failure || 'geen handtekening gemaakt'}); er is niets verstuurd. Controleer de DKIM-sleutel en selector in het SMTP-profiel.`,
    });
  }
  const signed = Buffer.concat([Buffer.from(`${signatures}\r\n`), raw]);
  return { messageId: composed.messageId, raw: signed, signed: true, options: { envelope, raw: signed } };
}

/**
 * A resolver that answers only the DKIM key record of `dkim` (derived from its private key): lets the
 * program verify its own signature without DNS, before a send.
 */
export function ownKeyResolver(dkim: DkimSigningSettings): DNSResolver {
  const record = validateDkimPrivateKey(dkim.privateKey).dnsRecord;
  const name = `${dkim.keySelector}._domainkey.${dkim.domainName}`.toLowerCase();
  return (domain, rrtype) =>
    rrtype === 'TXT' && domain.toLowerCase().replace(/\.$/, '') === name
      ? Promise.resolve([[record]])
      : Promise.reject(Object.assign(new Error(`no ${rrtype} record for ${domain}`), { code: 'ENOTFOUND' }));
}

/**
 * Signs one message and verifies the signature against the key's own public half, as a receiver would.
 * Run before the first batch of every send and by "Test connection": a key that cannot sign, or signs
 * something that does not verify, stops the send before anyone is mailed.
 *
 * @throws {UserError} MAIL_DKIM_SELF_CHECK_FAILED (or MAIL_DKIM_SIGN_FAILED / SMTP_DKIM_KEY_*).
 * @example
 * await selfCheckDkim(composeMessage(sampleInput), settings.dkim);
 */
export async function selfCheckDkim(
  sample: ComposedMessage,
  dkim: DkimSigningSettings,
): Promise<{ algorithm: string; bits: number; signedHeaders: string[] }> {
  const info = validateDkimPrivateKey(dkim.privateKey);
  const signed = await signComposedMessage(sample, dkim);
  const verified = await dkimVerify(signed.raw, { resolver: ownKeyResolver(dkim) });
  const result = verified.results[0];
  if (result?.status.result !== 'pass') {
    throw new UserError('MAIL_DKIM_SELF_CHECK_FAILED', {
      en: `A test message signed with the DKIM key of ${dkim.domainName} did not verify (${result?.status.comment ?? result?.status.result ?? 'no signature'}), so nothing was sent. Paste the private key again or create a new one.`,
      nl: `Een testbericht ondertekend met de DKIM-sleutel van ${dkim.domainName} kon niet worden geverifieerd (${result?.status.comment ?? result?.status.result ?? 'geen handtekening'}); er is niets verstuurd. Plak de privésleutel opnieuw of maak een nieuwe.`,
    });
  }
  return {
    algorithm: info.algorithm,
    bits: info.bits,
    signedHeaders: signedHeaderNames(signed.raw),
  };
}

function envelopeOf(options: SendMailOptions): { from: string; to: string[] } {
  const address = (value: unknown): string =>
    typeof value === 'string'
      ? value
      : typeof value === 'object' && value !== null && 'address' in value
        ? String(value.address)
        : '';
  const to = Array.isArray(options.to) ? options.to.map(address) : [address(options.to)];
  return { from: address(options.from), to: to.filter((a) => a !== '') };
}

/** The h= list of the first DKIM-Signature of a raw message. */
function signedHeaderNames(raw: Buffer): string[] {
  const head = raw
    .subarray(0, raw.indexOf('\r\n\r\n'))
    .toString('latin1')
    .replace(/\r\n[ \t]+/g, ' ');
  const h = /^DKIM-Signature:.*?\bh=([^;]+)/im.exec(head)?.[1] ?? '';
  return h
    .split(':')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}
