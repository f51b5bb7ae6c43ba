import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DNSResolver } from '@consent-mailer/mailer';
import {
  startSmtpTestServer,
  type SmtpTestServer,
  type SmtpTestServerOptions,
} from '@consent-mailer/mailer/testing';
import { openStore, type Store } from '@consent-mailer/store';
import { seedList, type SeedContact } from '@consent-mailer/store/testing';
import {
  appRouter,
  createApiContext,
  createCallerFactory,
  createMemorySecretStore,
  createSendingServices,
  type ApiContext,
} from '../src/index.js';

export const NOW = new Date('2026-11-28T10:00:00Z');

export interface SendingFixture {
  dir: string;
  store: Store;
  ctx: ApiContext;
  caller: ReturnType<typeof appRouter.createCaller>;
  server: SmtpTestServer;
  listId: string;
  close(): Promise<void>;
  /** Adds contacts with the given consent to the list (`doubleOptInConsent` of @consent-mailer/store/testing). */
  seed(
    contacts: { email: string; firstName?: string; consent: Record<string, unknown> | null }[],
  ): Promise<void>;
}

/**
 * A temp database, a real SMTP server on 127.0.0.1, a sender entity "bakkerij", an SMTP profile "main"
 * (password in a memory secret store) and an empty list "nieuwsbrief".
 */
export async function createSendingFixture(
  options: {
    server?: SmtpTestServerOptions;
    password?: string;
    profile?: Record<string, unknown>;
    entity?: Record<string, unknown>;
    batchSize?: number;
    /** Where SPF / DKIM / DMARC are read (a test DNS server); the system resolver when absent. */
    resolver?: DNSResolver;
  } = {},
): Promise<SendingFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'cm-sending-'));
  const store = await openStore({ path: join(dir, 'db.sqlite') });
  const server = await startSmtpTestServer(options.server ?? {});
  let now = NOW.getTime();
  const ctx = createApiContext({
    store,
    dataDir: dir,
    clock: () => new Date(now++),
    secrets: createMemorySecretStore(),
    sending: createSendingServices({
      timeouts: { connectionTimeoutMs: 2000, greetingTimeoutMs: 2000, socketTimeoutMs: 5000 },
      outbox: { batchSize: options.batchSize ?? 5, retryDelaysMs: [10, 20], maxWaitMs: 5000 },
      ...(options.resolver ? { resolver: options.resolver } : {}),
    }),
  });
  const caller = createCallerFactory(appRouter)(ctx);
  await caller.entities.add({
    id: 'bakkerij',
    legalName: 'Bakkerij de Vries B.V.',
    tradeName: 'Bakkerij de Vries',
    postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
    contactEmail: 'info@bakkerij.nl',
    kvkNumber: '12345678',
    ...options.entity,
  });
  await caller.smtp.add({
    name: 'main',
    host: '127.0.0.1',
    port: server.port,
    security: 'NONE',
    fromAddress: 'nieuws@bakkerij.nl',
    connections: 2,
    spfDeclared: true,
    dmarcDeclared: true,
    ...(options.server?.auth
      ? { user: options.server.auth.user, password: options.password ?? options.server.auth.password }
      : {}),
    ...options.profile,
  });
  const listId = 'nieuwsbrief';
  await seedList(store.db, listId, [], { at: NOW.toISOString(), list: { name: 'Nieuwsbrief' } });
  return {
    dir,
    store,
    ctx,
    caller,
    server,
    listId,
    async seed(contacts) {
      await seedList(
        store.db,
        listId,
        contacts.map((c) => ({ ...c, consent: c.consent as SeedContact['consent'] })),
        { at: NOW.toISOString() },
      );
    },
    async close() {
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
