/**
 * The per-message token that lets a returned message be tied to the delivery it came from (attribution
 * tier 1). It is the delivery's unsubscribe token: unguessable, already in List-Unsubscribe, so carrying it
 * in one more header reveals nothing new.
 *
 * Two carriers: the `X-Consent-Mailer-Delivery` header, which most bounces and complaint reports quote
 * back with the returned headers, and, where the business's server allows any local part, a VERP
 * envelope sender `bounces+<hex>@domain`. Hex rather than the base64url token itself because some MTAs
 * lower-case local parts, and base64url is case-sensitive.
 */

/** The header the composer adds to every message. */
export const DELIVERY_HEADER = 'X-Consent-Mailer-Delivery';

const TOKEN = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * The VERP envelope sender for one delivery.
 *
 * @example
 * verpAddress('bounces@bakkerij.nl', 'q8Yd2abcdefghijklmnopq'); // 'bounces+71c6…@bakkerij.nl'
 */
export function verpAddress(bounceAddress: string, token: string): string {
  const at = bounceAddress.lastIndexOf('@');
  if (at <= 0 || !TOKEN.test(token)) throw new Error('verpAddress needs an address and a token');
  const local = bounceAddress.slice(0, at).split('+')[0] ?? '';
  return `${local}+${Buffer.from(token, 'utf8').toString('hex')}@${bounceAddress.slice(at + 1)}`;
}

/**
 * The token in a VERP address (the To / Delivered-To of a bounce), if it is one of ours.
 *
 * @example
 * tokenFromVerpAddress(verpAddress('bounces@bakkerij.nl', 'q8Yd2abcdefgh')); // 'q8Yd2abcdefgh'
 */
export function tokenFromVerpAddress(address: string): string | undefined {
  const match = /\+([0-9a-f]{16,128})@/i.exec(address);
  if (!match?.[1] || match[1].length % 2 !== 0) return undefined;
  const token = Buffer.from(match[1].toLowerCase(), 'hex').toString('utf8');
  return TOKEN.test(token) ? token : undefined;
}

/**
 * The token in a header value of ours (`X-Consent-Mailer-Delivery: <token>`).
 *
 * @example
 * tokenFromDeliveryHeader(' q8Yd2abcdefgh '); // 'q8Yd2abcdefgh'
 */
export function tokenFromDeliveryHeader(value: string): string | undefined {
  const token = value.trim().replace(/^<|>$/g, '');
  return TOKEN.test(token) ? token : undefined;
}
