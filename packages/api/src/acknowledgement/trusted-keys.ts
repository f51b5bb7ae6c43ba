import { parsePublicKeyPem, publicKeyFingerprint } from './signing-key.js';

const FINGERPRINT = /^(?:sha256:)?([0-9a-f]{64})$/;

/**
 * A key fingerprint as the user typed or read it out (`sha256:` prefix optional, any case, spaces or
 * colons between groups allowed) in the canonical `sha256:<64 hex>` form; undefined when it is not one.
 *
 * @example
 * normalizeFingerprint('SHA256:3F1C …'); // 'sha256:3f1c…'
 */
export function normalizeFingerprint(text: string): string | undefined {
  const compact = text
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '')
    .replace(/[\s:]/g, '');
  const match = FINGERPRINT.exec(compact);
  return match?.[1] === undefined ? undefined : `sha256:${match[1]}`;
}

/**
 * The fingerprints in a trusted-keys file: one fingerprint per line and/or Ed25519 public keys as PEM
 * blocks; blank lines and lines starting with `#` are ignored. Lines that are neither are returned in
 * `invalid` so the caller can say which line is wrong instead of silently trusting less.
 *
 * @example
 * parseTrustedKeys('# Bakkerij Jansen, read out by phone 2026-12-01\nsha256:3f1c…\n');
 * // { fingerprints: ['sha256:3f1c…'], invalid: [] }
 */
export function parseTrustedKeys(text: string): { fingerprints: string[]; invalid: string[] } {
  const fingerprints = new Set<string>();
  const invalid: string[] = [];
  const pem = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g;
  for (const block of text.match(pem) ?? []) {
    const key = parsePublicKeyPem(block);
    if (key) fingerprints.add(publicKeyFingerprint(key));
    else invalid.push(block.split('\n')[0] ?? block);
  }
  for (const raw of text.replace(pem, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fingerprint = normalizeFingerprint(line);
    if (fingerprint === undefined) invalid.push(line);
    else fingerprints.add(fingerprint);
  }
  return { fingerprints: [...fingerprints], invalid };
}
