import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { optinStatus, pairOptin, pullOptin, unpairOptin } from '../optin/optin-sync.js';
import { notPaired } from '../optin/optin-sync.js';
import {
  RECONFIRM_JOB_KIND,
  reconfirmOverview,
  startReconfirm,
  type ReconfirmRunResult,
} from '../optin/optin-reconfirm.js';
import { UserError } from '@consent-mailer/policy';
import { LangInput } from '../input-fields.js';
import { publicProcedure } from '../trpc.js';

/** Input of `optin.pair`: the service's address, its feed token (kept in the secret store) and the entity. */
export const OptinPairInput = z.object({
  url: z.string().trim().min(8).max(2048),
  token: z.string().min(24).max(512),
  /** The sender entity whose consents the service collects. */
  senderEntityId: z.string().trim().min(1).max(200),
});

/** The opt-in service (issue 15): pair, pull its signed events, status, unpair. */
export const optinRouter = {
  /** Pins the service's key, stores the feed token as a secret and pulls what is waiting. */
  pair: publicProcedure.input(OptinPairInput).mutation(({ ctx, input }) => pairOptin(ctx, input)),
  /** Pulls the feed now: every page verified against the pinned key, duplicates ignored. */
  pull: publicProcedure.mutation(async ({ ctx }) => {
    const result = await pullOptin(ctx);
    if (result === null) throw notPaired();
    return result;
  }),
  /** The pairing, counts of what arrived, and the latest sign-ups, confirmations and unsubscribes. */
  status: publicProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(20) }).default({ limit: 20 }))
    .query(({ ctx, input }) => optinStatus(ctx, input.limit)),
  /**
   * Re-permission: asks the mailing's recipients that `mayRequestReconfirmation` allows (single opt-in,
   * phone, paper, stale double opt-in) to confirm through the paired service. Starts a job.
   */
  reconfirm: publicProcedure
    .input(z.object({ mailingId: z.string().min(1), language: LangInput.default('nl') }))
    .mutation(({ ctx, input }) => startReconfirm(ctx, input)),
  /** The state of a re-permission job: batches done while it runs, the counts when it ended. */
  reconfirmProgress: publicProcedure.input(z.object({ jobId: z.string().min(1) })).query(({ ctx, input }) => {
    const job = ctx.jobs.getOfKind<ReconfirmRunResult>(input.jobId, RECONFIRM_JOB_KIND);
    if (!job) {
      throw new UserError('OPTIN_RECONFIRM_JOB_NOT_FOUND', {
        en: `There is no running or recent confirmation request job ${input.jobId} in this program. Look at the count of confirmations instead.`,
        nl: `Er is geen lopende of recente taak ${input.jobId} met bevestigingsverzoeken in dit programma. Bekijk in plaats daarvan het aantal bevestigingen.`,
      });
    }
    return job;
  }),
  /** Re-permission for a mailing: paired?, who may still be asked, requested, confirmed. */
  reconfirmStatus: publicProcedure
    .input(z.object({ mailingId: z.string().min(1).optional() }).default({}))
    .query(({ ctx, input }) => reconfirmOverview(ctx, input.mailingId)),
  /** Ends the pairing and forgets the token; what was pulled stays. */
  unpair: publicProcedure.mutation(({ ctx }) => unpairOptin(ctx)),
} satisfies TRPCRouterRecord;
