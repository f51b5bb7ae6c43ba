import type { TRPCRouterRecord } from '@trpc/server';

export const smtpRouter = {} satisfies TRPCRouterRecord;
