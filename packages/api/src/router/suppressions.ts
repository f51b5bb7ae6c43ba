import type { TRPCRouterRecord } from '@trpc/server';

export const suppressionsRouter = {} satisfies TRPCRouterRecord;
