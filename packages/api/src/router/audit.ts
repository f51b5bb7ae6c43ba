import { fullIntegrityProblems, verifyChain, type ChainVerification } from '@consent-mailer/store';
import type { TRPCRouterRecord } from '@trpc/server';
import { publicProcedure } from '../trpc.js';

/** The chain walk plus the event it stopped at, so a user sees what was altered. */
export type AuditVerification = ChainVerification & {
  brokenEvent?: { seq: number; at: string; type: string; entity: string; entityId: string | null } | null;
  /** SQLite's full integrity_check (opening the store runs only the quick check): `[]` when sound. */
  integrity: string[];
};

export const auditRouter = {
  /**
   * Walks the whole event log and names the first broken link (changed, replaced or deleted event), and runs
   * the full integrity check of the file.
   */
  verify: publicProcedure.query(async ({ ctx }): Promise<AuditVerification> => {
    const integrity = fullIntegrityProblems(ctx.store);
    const result = await verifyChain(ctx.store.db);
    if (result.ok) return { ...result, integrity };
    const row = await ctx.store.db
      .selectFrom('event')
      .select(['seq', 'at', 'type', 'entity', 'entity_id'])
      .where('seq', '=', result.brokenAt)
      .executeTakeFirst();
    return {
      ...result,
      integrity,
      brokenEvent:
        row === undefined
          ? null
          : { seq: row.seq, at: row.at, type: row.type, entity: row.entity, entityId: row.entity_id },
    };
  }),
} satisfies TRPCRouterRecord;
