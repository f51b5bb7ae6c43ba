import { z } from 'zod';
import { AcknowledgementDocument, CoveredRecipient } from './acknowledgement-document.js';
import { computeEventHash, eventContent, type EventRow } from '@consent-mailer/store';
import { canonicalJson } from './canonical-json.js';

/** The format tag of a JSON evidence bundle. */
export const EVIDENCE_BUNDLE_FORMAT = 'consent-mailer/evidence-bundle@1';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest (64 lower-case hex characters)');

/** A JSON value as the event log stores it. */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const JsonValue: z.ZodType<Json> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValue),
    z.record(z.string(), JsonValue),
  ]),
);

/**
 * One row of the hash-chained event log, as exported: the fields its hash covers (see the store's
 * `computeEventHash`), with `data` as JSON instead of JSON text.
 */
export const EventExcerpt = z.strictObject({
  seq: z.number().int().positive(),
  at: z.string().min(1),
  type: z.string().min(1),
  entity: z.string().min(1),
  entityId: z.string().nullable(),
  data: z.record(z.string(), JsonValue),
  personalHash: Sha256Hex.nullable(),
  prevHash: Sha256Hex,
  hash: Sha256Hex,
});
export type EventExcerpt = z.infer<typeof EventExcerpt>;

/** The excerpt of a stored event, validated: what acknowledgement bundles and proof bundles export. */
export function toEventExcerpt(event: EventRow): EventExcerpt {
  return EventExcerpt.parse({ ...eventContent(event), hash: event.hash });
}

/** The hash an excerpt must carry, recomputed as the store computes it for the row it came from. */
export function excerptHash(event: EventExcerpt): string {
  return computeEventHash({
    seq: event.seq,
    at: event.at,
    type: event.type,
    entity: event.entity,
    entity_id: event.entityId,
    data: canonicalJson(event.data),
    personal_hash: event.personalHash,
    prev_hash: event.prevHash,
  });
}

/**
 * The machine-readable proof of one acknowledgement: everything needed to check it with no database and
 * no trust in the app — the signed document, its Ed25519 signature and public key, the covered recipients
 * (address hashes with method and reasons), per-field digests (to name a changed field), and the excerpt of
 * the event chain that recorded it and what happened under it.
 */
export const EvidenceBundle = z.strictObject({
  format: z.literal(EVIDENCE_BUNDLE_FORMAT),
  acknowledgement: AcknowledgementDocument,
  signature: z.strictObject({
    algorithm: z.literal('Ed25519'),
    /** base64 of the 64-byte signature over the canonical JSON (RFC 8785) of `acknowledgement`. */
    value: z.string().min(1),
  }),
  /** SPKI PEM of the installation's public key. */
  publicKey: z.string().min(1),
  /** The short code printed on the PDF (see `verificationCode`). */
  verificationCode: z.string().regex(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
  fieldDigests: z.record(z.string(), Sha256Hex),
  recipients: z.array(CoveredRecipient),
  eventChain: z.array(EventExcerpt),
});
export type EvidenceBundle = z.infer<typeof EvidenceBundle>;

/**
 * The exact bytes of an exported bundle: the canonical JSON (RFC 8785: sorted keys, shortest numbers)
 * laid out with two-space indentation and a final newline. Because the layout is fixed, a verifier can
 * demand it byte for byte, so even a changed space is noticed.
 *
 * @example
 * await writeFile('ack.json', serializeEvidenceBundle(bundle));
 */
export function serializeEvidenceBundle(bundle: EvidenceBundle): string {
  return layoutCanonicalJson(bundle);
}

/**
 * Canonical JSON, indented: JSON.parse keeps the sorted key order of the canonical text and JSON.stringify
 * writes numbers and strings exactly as RFC 8785 does. (An integer-like key such as "0" would move to the
 * front; the export and the verifier both use this function, so the layout is still fixed.)
 *
 * @example
 * layoutCanonicalJson({ b: 1, a: 2 }); // '{\n  "a": 2,\n  "b": 1\n}\n'
 */
export function layoutCanonicalJson(value: unknown): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(value)), null, 2)}\n`;
}
