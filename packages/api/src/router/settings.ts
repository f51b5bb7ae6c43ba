import {
  addConsentTextVersion,
  createList,
  deleteList,
  getConsentTextVersion,
  listConsentTextVersions,
  listLists,
  updateList,
} from '@consent-mailer/store';
import { UserError } from '@consent-mailer/policy';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { publicProcedure } from '../trpc.js';

const TEXT_KINDS = ['CONSENT', 'COLLECTION', 'PHONE_SCRIPT', 'ACKNOWLEDGEMENT', 'OTHER'] as const;
const ListName = z.string().trim().min(1).max(200);

export const settingsRouter = {
  lists: {
    /** Every list with its member count (archived ones on request). */
    list: publicProcedure
      .input(z.object({ includeArchived: z.boolean().default(false) }).default({ includeArchived: false }))
      .query(async ({ ctx, input }) => listLists(ctx.store.db, input)),
    create: publicProcedure
      .input(
        z.object({
          name: ListName,
          description: z.string().max(2000).nullable().optional(),
          senderEntityId: z.string().min(1).nullable().optional(),
        }),
      )
      .mutation(async ({ ctx, input }) =>
        createList(ctx.store.db, { ...input, at: ctx.clock().toISOString() }),
      ),
    update: publicProcedure
      .input(
        z.object({
          id: z.string().min(1),
          name: ListName.optional(),
          description: z.string().max(2000).nullable().optional(),
          archived: z.boolean().optional(),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        const { id, ...changes } = input;
        return updateList(ctx.store.db, id, { ...changes, at: ctx.clock().toISOString() });
      }),
    /** Deletes an unused list; a list used by a mailing or an import must be archived instead. */
    delete: publicProcedure.input(z.object({ id: z.string().min(1) })).mutation(async ({ ctx, input }) => {
      await deleteList(ctx.store.db, input.id, { at: ctx.clock().toISOString() });
      return { deleted: input.id };
    }),
  },
  consentTexts: {
    /** Stores a text version (immutable, id = sha256 of the text); the same text twice gives the same id. */
    add: publicProcedure
      .input(
        z.object({
          kind: z.enum(TEXT_KINDS),
          language: z.enum(['nl', 'en', 'de', 'fr']),
          label: z.string().trim().min(1).max(200),
          body: z.string().min(1).max(100_000),
        }),
      )
      .mutation(async ({ ctx, input }) =>
        addConsentTextVersion(ctx.store.db, { ...input, at: ctx.clock().toISOString() }),
      ),
    list: publicProcedure
      .input(z.object({ kind: z.enum(TEXT_KINDS).optional() }).default({}))
      .query(async ({ ctx, input }) => listConsentTextVersions(ctx.store.db, input)),
    get: publicProcedure
      .input(z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }))
      .query(async ({ ctx, input }) => {
        const version = await getConsentTextVersion(ctx.store.db, input.id);
        if (version === null) {
          throw new UserError('CONSENT_TEXT_NOT_FOUND', {
            en: `No consent text version has id ${input.id}. List them with "consent-mailer consent-text list".`,
            nl: `Geen versie van een toestemmingstekst heeft id ${input.id}. Bekijk ze met "consent-mailer consent-text list".`,
          });
        }
        return version;
      }),
  },
} satisfies TRPCRouterRecord;
