import { lazy } from '@trpc/server';
import type { AppRouter } from './root.js';
import { createTRPCRouter } from './trpc.js';

/**
 * The app router with every feature router loaded on its first call, for hosts that pay for start-up
 * on every run (the CLI): a bundler splits each router into its own chunk, so `status` never parses the
 * PDF, SMTP or spreadsheet code. Procedures and types are exactly those of `appRouter` (root.ts);
 * `LazyRouterKeys` below fails to compile when a router is added there and not here.
 */
export const lazyAppRouter = createTRPCRouter({
  system: lazy(() => import('./router/system.js').then((m) => createTRPCRouter(m.systemRouter))),
  policy: lazy(() => import('./router/policy.js').then((m) => createTRPCRouter(m.policyRouter))),
  contacts: lazy(() => import('./router/contacts.js').then((m) => createTRPCRouter(m.contactsRouter))),
  audit: lazy(() => import('./router/audit.js').then((m) => createTRPCRouter(m.auditRouter))),
  imports: lazy(() => import('./router/imports.js').then((m) => createTRPCRouter(m.importsRouter))),
  entities: lazy(() => import('./router/entities.js').then((m) => createTRPCRouter(m.entitiesRouter))),
  smtp: lazy(() => import('./router/smtp.js').then((m) => createTRPCRouter(m.smtpRouter))),
  mailings: lazy(() => import('./router/mailings.js').then((m) => createTRPCRouter(m.mailingsRouter))),
  suppressions: lazy(() =>
    import('./router/suppressions.js').then((m) => createTRPCRouter(m.suppressionsRouter)),
  ),
  acknowledgements: lazy(() =>
    import('./router/acknowledgements.js').then((m) => createTRPCRouter(m.acknowledgementsRouter)),
  ),
  settings: lazy(() => import('./router/settings.js').then((m) => createTRPCRouter(m.settingsRouter))),
  intake: lazy(() => import('./router/intake.js').then((m) => createTRPCRouter(m.intakeRouter))),
  proof: lazy(() => import('./router/proof.js').then((m) => createTRPCRouter(m.proofRouter))),
  optin: lazy(() => import('./router/optin.js').then((m) => createTRPCRouter(m.optinRouter))),
});

type RouterKeys<TRouter extends { _def: { record: object } }> = keyof TRouter['_def']['record'];
/** Both routers name the same features: a compile error here means root.ts and this file differ. */
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export type LazyRouterKeys = SameKeys<RouterKeys<AppRouter>, RouterKeys<typeof lazyAppRouter>>;
const routersMatch: LazyRouterKeys = true;
void routersMatch;

export type LazyAppRouter = typeof lazyAppRouter;
