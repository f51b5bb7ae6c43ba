import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appRouter,
  createApiContext,
  createCallerFactory,
  createMemorySecretStore,
} from '@consent-mailer/api';
import { markAcknowledgementLapsed, openStore, type ConsentEvidence } from '@consent-mailer/store';
import { doubleOptInConsent, seedList } from '@consent-mailer/store/testing';
import { DATABASE_FILE } from '../../src/shared/app-database.js';

/** Where and to what text the seeded double opt-ins signed up. */
export const SIGNUP = {
  signupAt: '2026-06-01T10:00:00Z',
  source: 'https://bakkerijdevries.nl/nieuwsbrief',
  consentTextVersionId: 'formulier-1',
};

/** The sender entity every seeded e2e data folder has. */
export const BAKERY = {
  id: 'bakkerij',
  legalName: 'Bakkerij de Vries B.V.',
  tradeName: 'Bakkerij de Vries',
  postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
  contactEmail: 'info@bakkerijdevries.nl',
  kvkNumber: '12345678',
};

/** The contacts the mailing e2e tests mail, one per outcome the assessment shows. */
export const SEEDED_CONTACTS = {
  proven: ['jan@example.nl', 'piet@example.nl'],
  phone: 'telefoon@example.nl',
  bought: 'gekocht@example.nl',
};

/**
 * A data folder with a real database in it, prepared through the real api and store: the sender entity
 * "Bakkerij de Vries", an SMTP profile pointing at the test SMTP server, a list "Nieuwsbrief" and four
 * contacts: two proven double opt-ins, one phone consent (needs the acknowledgement) and one bought address
 * (blocked), plus `moreProven` further double opt-ins. The browser host then opens this folder as the user's.
 *
 * @example
 * const dataDir = await seedMailingData({ smtpPort: smtp.port });
 * const app = await startE2eApp({ language: 'nl', dataDir });
 */
export async function seedMailingData(options: { smtpPort: number; moreProven?: number }): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'consent-mailer-e2e-mailing-'));
  const store = await openStore({ path: join(dataDir, DATABASE_FILE) });
  try {
    const caller = createCallerFactory(appRouter)(
      createApiContext({ store, dataDir, secrets: createMemorySecretStore() }),
    );
    await caller.entities.add(BAKERY);
    await caller.smtp.add({
      name: 'hoofd',
      senderEntityId: 'bakkerij',
      host: '127.0.0.1',
      port: options.smtpPort,
      security: 'NONE',
      fromName: 'Bakkerij de Vries',
      fromAddress: 'nieuws@bakkerijdevries.nl',
      spfDeclared: true,
      dmarcDeclared: true,
    });
    // The bakery's mail server has sent its newsletter for years: no warm-up of a new sending domain.
    await caller.smtp.setSendingHistory({ profile: 'hoofd', history: 'ESTABLISHED' });
    const base = { senderEntityId: 'bakkerij', scopeLists: 'ALL' as const };
    const proven = [
      ...SEEDED_CONTACTS.proven,
      ...Array.from({ length: options.moreProven ?? 0 }, (_, index) => `klant${index}@example.nl`),
    ];
    const contacts: { email: string; consent: ConsentEvidence }[] = [
      ...proven.map((email) => ({
        email,
        consent: doubleOptInConsent('bakkerij', { ...SIGNUP, confirmTokenId: `token-${email}` }),
      })),
      {
        email: SEEDED_CONTACTS.phone,
        consent: {
          ...base,
          method: 'PHONE' as const,
          signupAt: '2026-05-01T10:00:00Z',
          phoneAgent: 'Els',
          consentTextVersionId: 'belscript-1',
        },
      },
      { email: SEEDED_CONTACTS.bought, consent: { ...base, method: 'THIRD_PARTY' as const } },
    ];
    const firstName = (email: string) => {
      const local = email.split('@')[0] ?? '';
      return local.charAt(0).toUpperCase() + local.slice(1);
    };
    await seedList(
      store.db,
      'nieuwsbrief',
      contacts.map((contact) => ({ ...contact, firstName: firstName(contact.email) })),
      { at: new Date().toISOString(), list: { name: 'Nieuwsbrief', senderEntityId: 'bakkerij' } },
    );
  } finally {
    await store.close();
  }
  return dataDir;
}

/**
 * Records a lapse (M13, an abuse notice) on the newest acknowledgement in the data folder's database, through
 * a second connection beside the running browser host, as the send's coverage check would.
 *
 * @example
 * const code = await lapseNewestAcknowledgement(dataDir);
 */
export async function lapseNewestAcknowledgement(dataDir: string): Promise<string> {
  const store = await openStore({ path: join(dataDir, DATABASE_FILE), check: false });
  try {
    const caller = createCallerFactory(appRouter)(
      createApiContext({ store, dataDir, secrets: createMemorySecretStore() }),
    );
    const newest = (await caller.acknowledgements.list({})).at(-1);
    if (newest === undefined) throw new Error('No acknowledgement to lapse: sign one first.');
    const at = new Date().toISOString();
    await markAcknowledgementLapsed(store.db, newest.id, {
      at,
      reason: `M13 abuse notice (abuse@provider.example) received ${at}`,
    });
    return newest.verificationCode;
  } finally {
    await store.close();
  }
}

type Caller = ReturnType<typeof appRouter.createCaller>;

/**
 * Runs `work` with the real api on the data folder's database, as the app will open it, then closes the
 * store: how an e2e test prepares what the screen under test needs.
 *
 * @example
 * await withDataDirCaller(dataDir, (caller) => caller.suppressions.unsubscribe({ email, channel: 'PHONE' }));
 */
export async function withDataDirCaller<T>(
  dataDir: string,
  work: (caller: Caller, store: Awaited<ReturnType<typeof openStore>>) => Promise<T>,
  secrets = createMemorySecretStore(),
): Promise<T> {
  const store = await openStore({ path: join(dataDir, DATABASE_FILE) });
  try {
    return await work(createCallerFactory(appRouter)(createApiContext({ store, dataDir, secrets })), store);
  } finally {
    await store.close();
  }
}
