import { verifyChain, type ChainVerification } from '@consent-mailer/store';
import type { TRPCRouterRecord } from '@trpc/server';
import { publicProcedure } from '../trpc.js';

/** The chain walk plus the event it stopped at, so a user sees what was altered. */
export type AuditVerification = ChainVerification & {
  brokenEvent?: { seq: number; at: string; type: string; entity: string; entityId: string | null } | null;
};

export const auditRouter = {
  /** Walks the whole event log and names the first broken link (changed, replaced or deleted event). */
  verify: publicProcedure.query(async ({ ctx }): Promise<AuditVerification> => {
    const result = await verifyChain(ctx.store.db);
    if (result.ok) return result;
    const row = await ctx.store.db
      .selectFrom('event')
      .select(['seq', 'at', 'type', 'entity', 'entity_id'])
      .where('seq', '=', result.brokenAt)
      .executeTakeFirst();
    return {
      ...result,
      brokenEvent:
        row === undefined
          ? null
          : { seq: row.seq, at: row.at, type: row.type, entity: row.entity, entityId: row.entity_id },
    };
  }),
} satisfies TRPCRouterRecord;
