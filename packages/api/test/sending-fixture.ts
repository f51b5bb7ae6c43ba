import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConsentMethod } from '@consent-mailer/policy';
import type { DNSResolver } from '@consent-mailer/mailer';
import {
  startSmtpTestServer,
  type SmtpTestServer,
  type SmtpTestServerOptions,
} from '@consent-mailer/mailer/testing';
import { addToList, createList, openStore, upsertContact, type Store } from '@consent-mailer/store';
import {
  appRouter,
  createApiContext,
  createCallerFactory,
  createMemorySecretStore,
  createSendingServices,
  type ApiContext,
} from '../src/index.js';

export const NOW = new Date('2026-11-28T10:00:00Z');

/** A proven web double opt-in (rule D1): everything the rules want. */
export function doubleOptIn(senderEntityId: string) {
  return {
    method: 'WEB_DOI' as ConsentMethod,
    senderEntityId,
    scopeLists: 'ALL' as const,
    signupAt: '2026-06-01T10:00:00Z',
    signupIp: '192.0.2.10',
    signupUserAgent: 'Mozilla/5.0',
    source: 'https://bakkerij.nl/nieuwsbrief',
    consentTextVersionId: 'ctv-1',
    confirmMailSentAt: '2026-06-01T10:00:05Z',
    confirmTokenId: 'tok-1',
    confirmedAt: '2026-06-01T10:05:00Z',
    confirmIp: '192.0.2.10',
    confirmUserAgent: 'Mozilla/5.0',
  };
}

export interface SendingFixture {
  dir: string;
  store: Store;
  ctx: ApiContext;
  caller: ReturnType<typeof appRouter.createCaller>;
  server: SmtpTestServer;
  listId: string;
  close(): Promise<void>;
  /** Adds contacts with the given consent to the list. */
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
  const list = await createList(store.db, { id: 'nieuwsbrief', name: 'Nieuwsbrief', at: NOW.toISOString() });
  return {
    dir,
    store,
    ctx,
    caller,
    server,
    listId: list.id,
    async seed(contacts) {
      const ids: number[] = [];
      for (const c of contacts) {
        const result = await upsertContact(
          store.db,
          {
            email: c.email,
            firstName: c.firstName ?? null,
            recipientKind: 'CONSUMER',
            ...(c.consent ? { consent: c.consent as never } : {}),
          },
          { at: NOW.toISOString() },
        );
        ids.push(result.contactId);
      }
      await addToList(store.db, list.id, ids, { at: NOW.toISOString() });
    },
    async close() {
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
