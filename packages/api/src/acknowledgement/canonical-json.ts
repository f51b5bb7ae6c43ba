// The one RFC 8785 implementation lives in the store (events, anchors and row seals hash over it too); the
// acknowledgement modules import it through this file.
export { canonicalJson, canonicalSha256, sha256Hex } from '@consent-mailer/store';
