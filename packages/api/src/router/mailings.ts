import type { TRPCRouterRecord } from '@trpc/server';

export const mailingsRouter = {} satisfies TRPCRouterRecord;
