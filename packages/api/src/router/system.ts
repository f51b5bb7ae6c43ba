import type { TRPCRouterRecord } from '@trpc/server';

export const systemRouter = {} satisfies TRPCRouterRecord;
