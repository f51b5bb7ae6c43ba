import canonicalize from 'canonicalize';
import { sha256Hex } from './address-hash.js';

/**
 * The RFC 8785 (JCS) canonical form of a JSON value: sorted keys, no whitespace, ES number formatting.
 * Every hash and signature of the product (events, anchors, row seals, acknowledgements, bundles) is taken
 * over these bytes, so any program that can canonicalise JSON (there are JCS libraries for most languages)
 * can check them. The one implementation: the api and the apps import it from here.
 *
 * @throws {TypeError} for a value JSON cannot represent (undefined at the top, NaN, lone surrogates).
 * @example
 * canonicalJson({ b: 1, a: [true, 'x'] }); // '{"a":[true,"x"],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    throw new TypeError(
      `Value cannot be canonicalised as JSON: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  if (text === undefined) throw new TypeError('Value cannot be canonicalised as JSON: it is undefined');
  return text;
}

/**
 * sha256 (hex) of the canonical JSON of a value: the digest used for documents, fields and events.
 *
 * @example
 * canonicalSha256({ b: 1, a: 2 }) === canonicalSha256({ a: 2, b: 1 }); // true
 */
export function canonicalSha256(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
