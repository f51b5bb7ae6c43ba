import {
  createSenderEntity,
  deleteSenderEntity,
  listSenderEntities,
  updateSenderEntity,
  type SenderEntityRow,
} from '@consent-mailer/store';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { line } from '../input-fields.js';
import { publicProcedure } from '../trpc.js';

/**
 * "bakkerij.nl" as an owner types it becomes "https://bakkerij.nl" instead of a refusal (issue 14); a value
 * that names a scheme is left for the URL check, so "http://…" on the unsubscribe page is still refused.
 */
function withScheme<T extends z.ZodType>(url: T) {
  return z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    return trimmed === '' || /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  }, url);
}

/** Input of `entities.add`: the legal identity every message must show (docs/policy-rules.md section 5). */
export const EntityAddInput = z.object({
  id: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes')
    .optional(),
  legalName: line(200),
  tradeName: line(200).optional(),
  postalAddress: line(300),
  contactEmail: z.email().max(254),
  kvkNumber: z
    .string()
    .trim()
    .regex(/^\d{8}$/, 'a KvK number has 8 digits'),
  vatNumber: z
    .string()
    .trim()
    .regex(/^[A-Z]{2}[0-9A-Z]{2,13}$/, 'a VAT number such as NL001234567B01')
    .optional(),
  website: withScheme(z.url({ protocol: /^https?$/ }).max(300)).optional(),
  /** The business's own unsubscribe page (https): enables RFC 8058 one-click unsubscribe. */
  unsubscribeUrl: withScheme(z.url({ protocol: /^https$/ }).max(500)).optional(),
});

/** What a sender entity looks like to clients. */
export interface SenderEntityView {
  id: string;
  legalName: string;
  tradeName: string | null;
  postalAddress: string | null;
  contactEmail: string | null;
  kvkNumber: string | null;
  vatNumber: string | null;
  website: string | null;
  unsubscribeUrl: string | null;
  createdAt: string;
}

/** Input of `entities.update`: the fields of `entities.add` to change; null clears an optional one. */
export const EntityUpdateInput = z.object({
  id: z.string().min(1).max(64),
  legalName: EntityAddInput.shape.legalName.optional(),
  tradeName: EntityAddInput.shape.tradeName.unwrap().nullable().optional(),
  postalAddress: EntityAddInput.shape.postalAddress.optional(),
  contactEmail: EntityAddInput.shape.contactEmail.optional(),
  kvkNumber: EntityAddInput.shape.kvkNumber.optional(),
  vatNumber: EntityAddInput.shape.vatNumber.unwrap().nullable().optional(),
  website: EntityAddInput.shape.website.unwrap().nullable().optional(),
  unsubscribeUrl: EntityAddInput.shape.unsubscribeUrl.unwrap().nullable().optional(),
});

function view(row: SenderEntityRow): SenderEntityView {
  return {
    id: row.id,
    legalName: row.legal_name,
    tradeName: row.trade_name,
    postalAddress: row.postal_address,
    contactEmail: row.contact_email,
    kvkNumber: row.kvk_number,
    vatNumber: row.vat_number,
    website: row.website,
    unsubscribeUrl: row.unsubscribe_url,
    createdAt: row.created_at,
  };
}

/** The id from the trade or legal name: "Bakkerij de Vries B.V." -> "bakkerij-de-vries-b-v". */
function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 64) || 'entity'
  );
}

export const entitiesRouter = {
  /** Adds a sender entity (legal name, address, KvK …). */
  add: publicProcedure.input(EntityAddInput).mutation(async ({ ctx, input }) => {
    const row = await createSenderEntity(
      ctx.store.db,
      {
        ...input,
        id: input.id ?? slug(input.tradeName ?? input.legalName),
      },
      ctx.clock().toISOString(),
    );
    return view(row);
  }),
  /** All sender entities. */
  list: publicProcedure.query(async ({ ctx }) => (await listSenderEntities(ctx.store.db)).map(view)),
  /** Changes a sender entity's details (not its id: consents refer to it); null clears an optional field. */
  update: publicProcedure.input(EntityUpdateInput).mutation(async ({ ctx, input }) => {
    const { id, ...changes } = input;
    return view(await updateSenderEntity(ctx.store.db, id, changes, ctx.clock().toISOString()));
  }),
  /** Deletes a sender entity nothing refers to yet (a typo); one with consents or mailings stays. */
  delete: publicProcedure
    .input(z.object({ id: z.string().min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      await deleteSenderEntity(ctx.store.db, input.id, ctx.clock().toISOString());
      return { deleted: input.id };
    }),
} satisfies TRPCRouterRecord;
