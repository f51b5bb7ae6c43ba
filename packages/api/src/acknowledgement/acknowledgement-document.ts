import { CONSENT_METHODS, CONTACT_REASON_CODES, LANGS } from '@consent-mailer/policy';
import { z } from 'zod';

/** The format tag of a signed acknowledgement document; bump it when the shape changes meaning. */
export const ACKNOWLEDGEMENT_FORMAT = 'consent-mailer/acknowledgement@1';

/** Largest drawn signature accepted (bytes of the PNG itself): a signature pad image, not a photo. */
export const MAX_SIGNATURE_IMAGE_BYTES = 256 * 1024;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest (64 lower-case hex characters)');
const IsoInstant = z.iso.datetime({ offset: true });

/** A drawn signature as the UI's signature pad delivers it: `data:image/png;base64,…`. */
export const SignatureImageDataUrl = z
  .string()
  .regex(/^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/, 'a PNG data URL (data:image/png;base64,…)')
  .refine(
    (url) => Buffer.byteLength(url.slice(url.indexOf(',') + 1), 'base64') <= MAX_SIGNATURE_IMAGE_BYTES,
    {
      message: `at most ${MAX_SIGNATURE_IMAGE_BYTES / 1024} KiB of PNG`,
    },
  )
  .refine(
    (url) =>
      Buffer.from(url.slice(url.indexOf(',') + 1), 'base64')
        .subarray(0, 8)
        .equals(PNG_MAGIC),
    {
      message: 'the data is not a PNG image',
    },
  );

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One statement of docs/policy-rules.md section 6, as shown to and confirmed by the signer. */
export const SignedStatement = z.strictObject({
  id: z.string().min(1),
  text: z.string().min(1),
  confirmed: z.literal(true),
});
export type SignedStatement = z.infer<typeof SignedStatement>;

/**
 * Exactly what is signed: the canonical JSON (RFC 8785) of this object is the Ed25519 message. Everything
 * section 6 of docs/policy-rules.md asks for is inside, so the document proves itself without the database.
 */
export const AcknowledgementDocument = z.strictObject({
  format: z.literal(ACKNOWLEDGEMENT_FORMAT),
  id: z.string().min(1),
  signedAt: IsoInstant,
  signer: z.strictObject({ name: z.string().min(1), role: z.string().min(1) }),
  entity: z.strictObject({
    id: z.string().min(1),
    legalName: z.string().min(1),
    kvkNumber: z.string().min(1),
  }),
  mailing: z.strictObject({ id: z.string().min(1), name: z.string(), subject: z.string() }),
  assessmentId: z.string().min(1).nullable(),
  policyVersion: z.string().min(1),
  language: z.enum(LANGS),
  text: z.strictObject({ versionId: z.string().min(1), sha256: Sha256Hex, body: z.string().min(1) }),
  statements: z.array(SignedStatement).min(1),
  /**
   * Mailing-level rule ids that applied when it was signed (M13 makes a mailing need a signature even with
   * no TRANSFER_RISK recipient), so a reader sees what risk was accepted.
   */
  mailingReasons: z.array(z.string().regex(/^M\d+$/)),
  recipients: z.strictObject({
    /** May be 0 when the signature is needed for a mailing-level reason (M13) alone. */
    count: z.number().int().nonnegative(),
    byMethod: z.partialRecord(z.enum(CONSENT_METHODS), z.number().int().positive()),
    byReason: z.partialRecord(z.enum(CONTACT_REASON_CODES), z.number().int().positive()),
    /** The policy's `computeRecipientSetHash` of the covered addresses: what coverage compares. */
    setHash: Sha256Hex,
    /** sha256 of the canonical JSON of the recipient entries (address hash, method, reasons). */
    listHash: Sha256Hex,
  }),
  signatureImage: SignatureImageDataUrl.nullable(),
  signingKey: z.strictObject({
    algorithm: z.literal('Ed25519'),
    fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  }),
});
export type AcknowledgementDocument = z.infer<typeof AcknowledgementDocument>;

/**
 * One covered recipient as it travels in exports: no address, only its sha256, with the method and the
 * reason codes that made it TRANSFER_RISK, so counts can be re-derived and a known address can be checked.
 */
export const CoveredRecipient = z.strictObject({
  addressSha256: Sha256Hex,
  method: z.enum(CONSENT_METHODS),
  reasons: z.array(z.enum(CONTACT_REASON_CODES)),
});
export type CoveredRecipient = z.infer<typeof CoveredRecipient>;
