import type { TRPCRouterRecord } from '@trpc/server';

export const settingsRouter = {} satisfies TRPCRouterRecord;
