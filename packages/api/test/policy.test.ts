import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POLICY_VERSION, type ContactRecord, type MailingContext } from '@consent-mailer/policy';
import { openStore, type Store } from '@consent-mailer/store';
import { TRPCError } from '@trpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiContext } from '../src/context.js';
import { appRouter } from '../src/root.js';
import { createMemorySecretStore } from '../src/secrets/secret-store.js';
import { createCallerFactory } from '../src/trpc.js';

const mailing: MailingContext = {
  id: 'm-1',
  senderEntityId: 'shop',
  listId: 'news',
  content: 'MARKETING',
  productCategories: ['coffee'],
};
const soi: ContactRecord = {
  email: 'jan@example.nl',
  recipientKind: 'CONSUMER',
  method: 'WEB_SOI',
  senderEntityId: 'shop',
  scopeLists: ['news'],
  signupAt: '2026-06-01T10:00:00Z',
  source: 'https://shop.example.nl/form',
  consentTextVersionId: 'text-1',
};

let dir: string;
let store: Store;
let caller: ReturnType<typeof appRouter.createCaller>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cm-policy-'));
  store = await openStore({ path: join(dir, 'consent-mailer.sqlite') });
  const ctx = createApiContext({
    store,
    secrets: createMemorySecretStore(),
    dataDir: dir,
    clock: () => new Date('2026-11-28T12:00:00Z'),
  });
  caller = createCallerFactory(appRouter)(ctx);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('policy router', () => {
  it('policy.version gives the rules version and the documented defaults', async () => {
    const version = await caller.policy.version();
    expect(version.policyVersion).toBe(POLICY_VERSION);
    expect(version.defaults).toMatchObject({
      greyAfterMonths: 24,
      transferRiskAfterMonths: 36,
      bulkSenderDailyVolume: 5000,
    });
  });

  it('policy.explain gives the verdict with Dutch texts', async () => {
    const result = await caller.policy.explain({ contact: soi, mailing, lang: 'nl' });
    expect(result).toMatchObject({
      classification: 'TRANSFER_RISK',
      title: 'Alleen op eigen risico',
      now: '2026-11-28T12:00:00.000Z',
      policyVersion: POLICY_VERSION,
    });
    expect(result.reasons.map((r) => r.code)).toEqual(['S1']);
    expect(result.reasons[0]?.text).toContain('Aangemeld op 1 juni 2026 via https://shop.example.nl/form');
  });

  it('policy.explain judges at the given moment instead of the clock', async () => {
    const later = await caller.policy.explain({ contact: soi, mailing, now: '2030-01-01T00:00:00Z' });
    expect(later.reasons.map((r) => r.code)).toEqual(['S1', 'A2']);
    expect(later.reasons[1]?.text).toContain('more than 36 months ago');
  });

  it('policy.explain refuses invalid input, naming the field', async () => {
    const error: unknown = await caller.policy
      .explain({ contact: { ...soi, method: 'CARRIER_PIGEON' } as never, mailing })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('BAD_REQUEST');
    const issues = ((error as TRPCError).cause as unknown as { issues: { path: (string | number)[] }[] })
      .issues;
    expect(issues.map((issue) => issue.path.join('.'))).toEqual(['contact.method']);
  });
});
