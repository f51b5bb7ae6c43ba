import type { TRPCRouterRecord } from '@trpc/server';

export const acknowledgementsRouter = {} satisfies TRPCRouterRecord;
