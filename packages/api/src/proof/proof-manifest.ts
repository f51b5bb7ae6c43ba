import { z } from 'zod';

/** The format tag of a per-contact proof bundle (a ZIP). */
export const PROOF_BUNDLE_FORMAT = 'consent-mailer/proof-bundle@1';

/** The two files that sign the rest: listed in no manifest. */
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * `manifest.json`: every other file of the bundle with its sha256 and size, and the installation key that
 * signed it. `manifest.sig` holds the Ed25519 signature (base64) over the exact bytes of this file.
 */
export const ProofManifest = z.strictObject({
  format: z.literal(PROOF_BUNDLE_FORMAT),
  createdAt: z.string().min(1),
  /** sha256 of the normalised address the bundle is about. */
  subject: z.strictObject({ addressSha256: Sha256Hex }),
  /** What the bundle was made for: a request (`CONTACT`) or a complaint dossier. */
  purpose: z.enum(['CONTACT', 'COMPLAINT_DOSSIER']),
  signingKey: z.strictObject({
    algorithm: z.literal('Ed25519'),
    fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/),
    publicKeyPem: z.string().min(1),
  }),
  files: z.array(
    z.strictObject({ path: z.string().min(1), sha256: Sha256Hex, bytes: z.number().int().nonnegative() }),
  ),
});
export type ProofManifest = z.infer<typeof ProofManifest>;

/** `chain/anchor.json`, `chain/events.json` and `chain/rows.json`: the inclusion proof. */
export const CHAIN_ANCHOR_FILE = 'chain/anchor.json';
export const CHAIN_EVENTS_FILE = 'chain/events.json';
export const CHAIN_ROWS_FILE = 'chain/rows.json';
