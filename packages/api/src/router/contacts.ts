import type { TRPCRouterRecord } from '@trpc/server';

export const contactsRouter = {} satisfies TRPCRouterRecord;
