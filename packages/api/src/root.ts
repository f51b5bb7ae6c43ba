import { acknowledgementsRouter } from './router/acknowledgements.js';
import { auditRouter } from './router/audit.js';
import { contactsRouter } from './router/contacts.js';
import { entitiesRouter } from './router/entities.js';
import { importsRouter } from './router/imports.js';
import { intakeRouter } from './router/intake.js';
import { mailingsRouter } from './router/mailings.js';
import { optinRouter } from './router/optin.js';
import { policyRouter } from './router/policy.js';
import { proofRouter } from './router/proof.js';
import { settingsRouter } from './router/settings.js';
import { smtpRouter } from './router/smtp.js';
import { suppressionsRouter } from './router/suppressions.js';
import { systemRouter } from './router/system.js';
import { createTRPCRouter } from './trpc.js';

/** Every operation a user can perform, one router per feature. */
export const appRouter = createTRPCRouter({
  system: systemRouter,
  policy: policyRouter,
  contacts: contactsRouter,
  audit: auditRouter,
  imports: importsRouter,
  entities: entitiesRouter,
  smtp: smtpRouter,
  mailings: mailingsRouter,
  suppressions: suppressionsRouter,
  acknowledgements: acknowledgementsRouter,
  settings: settingsRouter,
  intake: intakeRouter,
  proof: proofRouter,
  optin: optinRouter,
});

export type AppRouter = typeof appRouter;
