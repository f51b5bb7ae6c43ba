import { createHash } from 'node:crypto';

// Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper is not misread.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The short code printed on an acknowledgement's PDF: 60 bits of the sha256 of the signature, in Crockford
 * base32, grouped as XXXX-XXXX-XXXX. A person compares it with the JSON bundle or looks it up in the app;
 * it identifies a signature, it does not replace checking it.
 *
 * @example
 * verificationCode(bundle.signature.value); // '7KQ2-M9XD-3FPA'
 */
export function verificationCode(signatureBase64: string): string {
  const digest = createHash('sha256').update(Buffer.from(signatureBase64, 'base64')).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 8)) bits = (bits << 8n) | BigInt(byte);
  bits >>= 4n; // keep the top 60 bits: 12 characters of 5 bits
  let code = '';
  for (let index = 11; index >= 0; index -= 1) {
    code += ALPHABET[Number((bits >> BigInt(index * 5)) & 31n)] ?? '';
  }
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;
}
