import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { ComplaintSource, UserError } from '@consent-mailer/policy';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { allowedPath } from '../files/file-access.js';
import { buildComplaintDossier } from '../proof/complaint-dossier.js';
import { buildProofBundle } from '../proof/proof-bundle.js';
import { publicProcedure } from '../trpc.js';

const Email = z.string().trim().min(3).max(254);
const OutPath = z.string().min(1).max(4096);
/** A complained message: the .eml's text (upload, paste) or a path the host granted. */
const Eml = z.string().min(1).max(30_000_000);

/** Writes a file beside its place and renames it in, so a crash never leaves half a bundle. */
async function writeWhole(path: string, data: Uint8Array): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, data);
  await rename(partial, path);
}

function described(zip: Uint8Array) {
  return { bytes: zip.byteLength, sha256: createHash('sha256').update(zip).digest('hex') };
}

export const proofRouter = {
  /**
   * The proof bundle (ZIP) of one contact, as base64 with its file name (for a browser download), or
   * written to `out` when given. Read-only: nothing is recorded.
   */
  contactBundle: publicProcedure
    .input(z.object({ email: Email, out: OutPath.optional() }))
    .mutation(async ({ ctx, input }) => {
      const bundle = await buildProofBundle(ctx, input.email);
      const summary = {
        fileName: bundle.fileName,
        addressSha256: bundle.manifest.subject.addressSha256,
        files: bundle.manifest.files.map((file) => file.path),
        events: bundle.evidence.personEvents.length,
        anchor: { seq: bundle.anchor.seq, hash: bundle.anchor.hash },
        keyFingerprint: bundle.manifest.signingKey.fingerprint,
        ...described(bundle.zip),
      };
      if (input.out !== undefined) {
        const path = allowedPath(ctx, input.out, 'write');
        await writeWhole(path, bundle.zip);
        return { ...summary, path, base64: null };
      }
      return { ...summary, path: null, base64: Buffer.from(bundle.zip).toString('base64') };
    }),

  /**
   * The complaint dossier: from a complained message (.eml text, or a granted path), the delivery is
   * found, the complaint recorded with its source (chained; the address suppressed), and the contact's
   * proof bundle with an answer letter returned (base64) or written to `out`.
   */
  complaintDossier: publicProcedure
    .input(
      z
        .object({
          eml: Eml.optional(),
          path: OutPath.optional(),
          source: ComplaintSource,
          reference: z.string().trim().min(1).max(300).optional(),
          out: OutPath.optional(),
        })
        .refine((v) => (v.eml === undefined) !== (v.path === undefined), 'give the message text or a path'),
    )
    .mutation(async ({ ctx, input }) => {
      let eml: Buffer;
      if (input.path !== undefined) {
        const path = allowedPath(ctx, input.path, 'read');
        eml = await readFile(path).catch((cause: unknown) => {
          throw new UserError(
            'DOSSIER_FILE_UNREADABLE',
            {
              en: `The message file ${input.path ?? ''} cannot be read. Check the path, or drop the .eml file again.`,
              nl: `Het berichtbestand ${input.path ?? ''} kan niet worden gelezen. Controleer het pad, of zet het .eml-bestand opnieuw neer.`,
            },
            { cause },
          );
        });
      } else {
        eml = Buffer.from(input.eml ?? '', 'utf8');
      }
      const outPath = input.out === undefined ? undefined : allowedPath(ctx, input.out, 'write');
      const dossier = await buildComplaintDossier(ctx, {
        eml,
        source: input.source,
        ...(input.reference === undefined ? {} : { reference: input.reference }),
      });
      const summary = {
        email: dossier.email,
        tier: dossier.tier,
        mailingId: dossier.mailingId,
        deliveryId: dossier.deliveryId,
        complaintId: dossier.complaintId,
        complaintRate: dossier.complaintRate,
        fileName: dossier.bundle.fileName.replace(/^proof-/, 'complaint-dossier-'),
        keyFingerprint: dossier.bundle.manifest.signingKey.fingerprint,
        ...described(dossier.bundle.zip),
      };
      if (outPath !== undefined) {
        await writeWhole(outPath, dossier.bundle.zip);
        return { ...summary, path: outPath, base64: null };
      }
      return { ...summary, path: null, base64: Buffer.from(dossier.bundle.zip).toString('base64') };
    }),
} satisfies TRPCRouterRecord;
