import type { TRPCRouterRecord } from '@trpc/server';

export const importsRouter = {} satisfies TRPCRouterRecord;
