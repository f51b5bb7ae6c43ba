import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ACKNOWLEDGEMENT_STATEMENT_IDS } from '@consent-mailer/policy';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { checkStoredAcknowledgement } from '../acknowledgement/acknowledgement-check.js';
import { SignatureImageDataUrl } from '../acknowledgement/acknowledgement-document.js';
import { renderAcknowledgementPdf } from '../acknowledgement/acknowledgement-pdf.js';
import {
  exportAcknowledgementFiles,
  exportAcknowledgementYear,
} from '../acknowledgement/acknowledgement-files.js';
import {
  getAcknowledgementDetail,
  listAcknowledgementItems,
  yearRange,
} from '../acknowledgement/acknowledgement-review.js';
import { prepareAcknowledgement, signAcknowledgement } from '../acknowledgement/acknowledgement-signing.js';
import { verifyEvidenceBundleText } from '../acknowledgement/bundle-verifier.js';
import { checkAcknowledgementCoverage } from '../acknowledgement/coverage.js';
import { serializeEvidenceBundle } from '../acknowledgement/evidence-bundle.js';
import { buildEvidenceBundle } from '../acknowledgement/evidence-export.js';
import { SIGNING_KEY_SECRET, signingKeyFromSecret } from '../acknowledgement/signing-key.js';
import { normalizeFingerprint } from '../acknowledgement/trusted-keys.js';
import type { ApiContext } from '../context.js';
import { allowedPath } from '../files/file-access.js';
import { runMailingGate } from '../sending/mailing-gate.js';
import { LangInput, line } from '../input-fields.js';
import { publicProcedure } from '../trpc.js';

const Id = z.string().trim().min(1).max(100);
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest');

/** Input of `acknowledgements.prepare`: who will sign, for which mailing, in which language. */
export const AcknowledgementPrepareInput = z.object({
  mailingId: Id,
  name: line(200),
  role: line(200),
  lang: LangInput.default('nl'),
  /** Defaults to the mailing's sender entity. */
  legalName: line(300).optional(),
  kvkNumber: z
    .string()
    .transform((value) => value.replace(/[\s.]/g, ''))
    .pipe(z.string().regex(/^\d{8}$/, 'a KvK number has 8 digits'))
    .optional(),
});

/** Input of `acknowledgements.sign`: the prepare input plus each statement's confirmation. */
export const AcknowledgementSignInput = AcknowledgementPrepareInput.extend({
  confirmedStatementIds: z
    .array(z.enum(ACKNOWLEDGEMENT_STATEMENT_IDS))
    .max(ACKNOWLEDGEMENT_STATEMENT_IDS.length),
  /** The recipient-set hash that was shown; signing is refused if the set changed since. */
  expectedRecipientSetHash: Sha256.optional(),
  /** A drawn signature from the signature pad (PNG data URL, at most 256 KiB). */
  signatureImage: z.string().max(400_000).pipe(SignatureImageDataUrl).optional(),
});

/** Filters of `acknowledgements.list`. `year` (Netherlands calendar year) or `from`/`to`. */
export const AcknowledgementListInput = z
  .object({
    year: z.number().int().min(2000).max(2200).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    senderEntityId: Id.optional(),
    signer: z.string().trim().max(200).optional(),
    mailingId: Id.optional(),
  })
  .default({});

async function assessedRequest(ctx: ApiContext, input: z.infer<typeof AcknowledgementPrepareInput>) {
  // The same gate the send uses, so the signature covers exactly the set the outbox will check.
  const gate = await runMailingGate(ctx, input.mailingId);
  return {
    mailingId: input.mailingId,
    assessment: gate.assessment,
    assessmentId: gate.assessmentId,
    signer: { name: input.name, role: input.role },
    entity: { legalName: input.legalName, kvkNumber: input.kvkNumber },
    lang: input.lang,
  };
}

const toIso = (value: string | undefined) =>
  value === undefined ? undefined : new Date(value).toISOString();

export const acknowledgementsRouter = {
  /** The text, statements, counts and recipient-set hash the signer is about to sign (assesses the mailing now). */
  prepare: publicProcedure.input(AcknowledgementPrepareInput).query(async ({ ctx, input }) => {
    return prepareAcknowledgement(ctx, await assessedRequest(ctx, input));
  }),

  /** Signs the acknowledgement for the mailing's current TRANSFER_RISK recipients. */
  sign: publicProcedure.input(AcknowledgementSignInput).mutation(async ({ ctx, input }) => {
    return signAcknowledgement(ctx, {
      ...(await assessedRequest(ctx, input)),
      confirmedStatementIds: input.confirmedStatementIds,
      expectedRecipientSetHash: input.expectedRecipientSetHash,
      signatureImage: input.signatureImage ?? null,
    });
  }),

  /** Acknowledgements by period, sender entity, signer or mailing, oldest first. */
  list: publicProcedure.input(AcknowledgementListInput).query(async ({ ctx, input }) => {
    const range =
      input.year === undefined ? { from: toIso(input.from), to: toIso(input.to) } : yearRange(input.year);
    return listAcknowledgementItems(ctx.store.db, {
      ...(range.from === undefined ? {} : { from: range.from }),
      ...(range.to === undefined ? {} : { to: range.to }),
      ...(input.senderEntityId === undefined ? {} : { senderEntityId: input.senderEntityId }),
      ...(input.signer === undefined ? {} : { signer: input.signer }),
      ...(input.mailingId === undefined ? {} : { mailingId: input.mailingId }),
    });
  }),

  /** One acknowledgement: signed content, covered recipients with what happened to each, totals. */
  show: publicProcedure.input(z.object({ id: Id })).query(async ({ ctx, input }) => {
    return getAcknowledgementDetail(ctx.store.db, input.id);
  }),

  /** Whether a mailing's current TRANSFER_RISK recipients are covered, and if not, why (missing, changed set, lapsed). */
  coverage: publicProcedure
    .input(z.object({ mailingId: Id, recipientSetHash: Sha256 }))
    .query(async ({ ctx, input }) => {
      return checkAcknowledgementCoverage(ctx, { ...input, now: ctx.clock() });
    }),

  /**
   * The JSON evidence bundle of one acknowledgement as the exact text `export` writes as .json: the verifier
   * demands these bytes, so a browser saves this text rather than laying the object out again.
   */
  bundle: publicProcedure.input(z.object({ id: Id })).query(async ({ ctx, input }) => {
    return { json: serializeEvidenceBundle(await buildEvidenceBundle(ctx.store.db, input.id)) };
  }),

  /**
   * The PDF of one acknowledgement as base64 with the file name `export` would give it, so a browser can
   * offer it as a download instead of writing it into the data folder on the machine running the api.
   */
  pdf: publicProcedure.input(z.object({ id: Id })).query(async ({ ctx, input }) => {
    const bundle = await buildEvidenceBundle(ctx.store.db, input.id);
    const pdf = await renderAcknowledgementPdf(bundle);
    return {
      fileName: `acknowledgement-${bundle.acknowledgement.signedAt.slice(0, 10)}-${bundle.verificationCode}.pdf`,
      base64: pdf.toString('base64'),
      sha256: createHash('sha256').update(pdf).digest('hex'),
    };
  }),

  /** Writes the PDF and JSON of one acknowledgement (default folder: exports/acknowledgements beside the database). */
  export: publicProcedure
    .input(z.object({ id: Id, dir: z.string().min(1).max(4096).optional() }))
    .mutation(async ({ ctx, input }) => {
      return exportAcknowledgementFiles(
        ctx.store.db,
        input.id,
        input.dir === undefined
          ? join(ctx.dataDir, 'exports', 'acknowledgements')
          : allowedPath(ctx, input.dir, 'write'),
      );
    }),

  /** The accountant's year: every acknowledgement of a calendar year as PDF + JSON with an index. */
  exportYear: publicProcedure
    .input(
      z.object({
        year: z.number().int().min(2000).max(2200),
        dir: z.string().min(1).max(4096).optional(),
        senderEntityId: Id.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      return exportAcknowledgementYear(ctx.store.db, {
        year: input.year,
        dir: input.dir === undefined ? join(ctx.dataDir, 'exports') : allowedPath(ctx, input.dir, 'write'),
        senderEntityId: input.senderEntityId,
      });
    }),

  /**
   * Checks an evidence bundle's text without the database (the app's "verify a file"). With
   * `keyFingerprints` (the business's key, obtained from the business itself) the signing key must be one of
   * them; without, the result says `keyPinned: false`: consistent with the key inside the file only.
   */
  verify: publicProcedure
    .input(
      z.object({
        text: z.string().min(1).max(50_000_000),
        keyFingerprints: z
          .array(
            z
              .string()
              .max(200)
              .transform((value, context) => {
                const fingerprint = normalizeFingerprint(value);
                if (fingerprint === undefined) {
                  context.addIssue({
                    code: 'custom',
                    message: 'a key fingerprint: sha256: followed by 64 hexadecimal characters',
                  });
                  return z.NEVER;
                }
                return fingerprint;
              }),
          )
          .max(20)
          .optional(),
      }),
    )
    .query(({ input }) => {
      const pinned = input.keyFingerprints ?? [];
      return verifyEvidenceBundleText(input.text, pinned.length === 0 ? {} : { trustedFingerprints: pinned });
    }),

  /** Checks a stored acknowledgement: its bundle as `verify` would, its columns, the whole event chain, and the key. */
  check: publicProcedure.input(z.object({ id: Id })).query(async ({ ctx, input }) => {
    return checkStoredAcknowledgement(ctx.store.db, ctx.secrets, input.id);
  }),

  /** The installation's public signing key, or null before the first signature. Never the private key. */
  signingKey: publicProcedure.query(async ({ ctx }) => {
    const secret = await ctx.secrets.get(SIGNING_KEY_SECRET);
    if (secret === undefined || secret.trim() === '') return null;
    const key = signingKeyFromSecret(secret);
    return { algorithm: 'Ed25519' as const, fingerprint: key.fingerprint, publicKeyPem: key.publicKeyPem };
  }),
} satisfies TRPCRouterRecord;
