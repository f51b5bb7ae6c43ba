import { appRouter } from '@consent-mailer/api';
import { initTRPC } from '@trpc/server';
import { z } from 'zod';
import type { HostServices } from './host-services.js';

/*
 * The host procedures live in their own tRPC instance because the api keeps its `t` private. They carry
 * no error formatter of their own, so when merged with the api router the api's formatter (with
 * `data.userError`) applies to every procedure.
 */
const hostT = initTRPC.create({ isServer: true });

const filterSchema = z.object({
  name: z.string().max(100),
  extensions: z.array(z.string().regex(/^[a-z0-9*]+$/i)).max(20),
});

/**
 * The `host.*` procedures: host info (with the database startup result) and the native dialogs.
 *
 * @example
 * const router = hostT.router({ host: createHostRouter(services) });
 */
export function createHostRouter(services: HostServices) {
  return hostT.router({
    info: hostT.procedure.query(() => services.info()),
    openFile: hostT.procedure
      .input(z.object({ title: z.string().max(200), filters: z.array(filterSchema).max(10) }))
      .mutation(async ({ input }) => (await services.openFile(input)) ?? null),
    saveFile: hostT.procedure
      .input(
        z.object({
          title: z.string().max(200),
          defaultName: z.string().max(255),
          filters: z.array(filterSchema).max(10),
        }),
      )
      .mutation(async ({ input }) => (await services.saveFile(input)) ?? null),
  });
}

/**
 * The one router the renderer talks to: the whole api plus `host.*`.
 *
 * @example
 * createIPCHandler({ router: createDesktopRouter(services), createContext: async () => apiContext });
 */
export function createDesktopRouter(services: HostServices) {
  return hostT.mergeRouters(appRouter, hostT.router({ host: createHostRouter(services) }));
}

/**
 * What is served when the database could not be opened: only `host.*`, so the renderer can show the
 * startup error screen; every api path answers NOT_FOUND instead of touching a broken store.
 *
 * @example
 * createHTTPHandler({ router: createStartupFailureRouter(services), createContext: () => ({}) });
 */
export function createStartupFailureRouter(services: HostServices) {
  return hostT.router({ host: createHostRouter(services) });
}

export type DesktopRouter = ReturnType<typeof createDesktopRouter>;
