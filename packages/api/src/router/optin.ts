import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { optinStatus, pairOptin, pullOptin, unpairOptin } from '../optin/optin-sync.js';
import { notPaired } from '../optin/optin-sync.js';
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
  /** Ends the pairing and forgets the token; what was pulled stays. */
  unpair: publicProcedure.mutation(({ ctx }) => unpairOptin(ctx)),
} satisfies TRPCRouterRecord;
