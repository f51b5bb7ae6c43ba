import type { TRPCRouterRecord } from '@trpc/server';

export const entitiesRouter = {} satisfies TRPCRouterRecord;
