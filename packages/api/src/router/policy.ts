import type { TRPCRouterRecord } from '@trpc/server';

export const policyRouter = {} satisfies TRPCRouterRecord;
