import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSmtpTestServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import { createList, openStore, type Store } from '@consent-mailer/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiContext, type ApiContext } from '../src/context.js';
import { appRouter } from '../src/root.js';
import { createMemorySecretStore } from '../src/secrets/secret-store.js';
import { createCallerFactory } from '../src/trpc.js';
import { CASES } from './import-profile-cases.js';

/**
 * The strongest claim, end to end: every tool fixture imported as IMPORTED_UNKNOWN under a signed attestation
 * into one list, an acknowledgement signed for the mailing, the mailing sent through a real SMTP server. The
 * rows the tools mark as opted out or not (finished) consenting are never delivered; the others go out under
 * the acknowledgement (they are TRANSFER_RISK), so the test would notice if everything were simply blocked.
 */
const FIXTURES = fileURLToPath(new URL('../../importer/test/fixtures/profiles/', import.meta.url));
const ENTITY = 'bakkerij';
const LIST = 'nieuwsbrief';
const NOW = new Date('2026-11-28T10:00:00.000Z');

describe('tool exports in a real send under a signed acknowledgement', () => {
  let dir: string;
  let store: Store;
  let ctx: ApiContext;
  let smtp: SmtpTestServer;
  let caller: ReturnType<typeof appRouter.createCaller>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cm-profiles-send-'));
    smtp = await startSmtpTestServer();
    store = await openStore({ path: join(dir, 'consent-mailer.sqlite') });
    ctx = createApiContext({ store, secrets: createMemorySecretStore(), dataDir: dir, clock: () => NOW });
    // As the owner would, through the native open dialog: the api reads only granted files outside its folder.
    for (const name of readdirSync(FIXTURES)) ctx.files.grant(join(FIXTURES, name));
    caller = createCallerFactory(appRouter)(ctx);
    await caller.entities.add({
      id: ENTITY,
      legalName: 'Bakkerij Jansen B.V.',
      postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
      contactEmail: 'info@bakkerij.example',
      kvkNumber: '12345678',
    });
    await caller.smtp.add({
      name: 'main',
      senderEntityId: ENTITY,
      host: '127.0.0.1',
      port: smtp.port,
      security: 'NONE',
      fromName: 'Bakkerij Jansen',
      fromAddress: 'nieuws@bakkerij.example',
      spfDeclared: true,
      dmarcDeclared: true,
    });
    await createList(store.db, {
      id: LIST,
      name: 'Nieuwsbrief',
      senderEntityId: ENTITY,
      at: NOW.toISOString(),
    });
  });
  afterEach(async () => {
    await store.close();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never delivers an opt-out or unconsented row of any tool, and delivers the rest under the signature', async () => {
    for (const testCase of CASES) {
      const started = await caller.imports.run({
        file: { path: join(FIXTURES, testCase.file) },
        senderEntityId: ENTITY,
        listId: LIST,
        method: 'IMPORTED_UNKNOWN',
        attestation: {
          signerName: 'Bea Bakker',
          signedAt: '2026-11-28T09:00:00.000Z',
          claimedBasis: 'Klanten en aanmeldingen uit de oude systemen, verklaard door de eigenaar.',
        },
      });
      const job = await ctx.jobs.wait(started.jobId);
      expect(job.state, testCase.file).toBe('succeeded');
    }
    const mailing = await caller.mailings.create({
      name: 'December',
      senderEntityId: ENTITY,
      listId: LIST,
      smtpProfile: 'main',
      subject: 'Kerstbrood',
      html: '<p>Beste klant, ons kerstbrood is er weer.</p>',
      lang: 'nl',
    });
    const prepared = await caller.acknowledgements.prepare({
      mailingId: mailing.id,
      name: 'Anna de Vries',
      role: 'directeur',
      lang: 'nl',
    });
    await caller.acknowledgements.sign({
      mailingId: mailing.id,
      name: 'Anna de Vries',
      role: 'directeur',
      lang: 'nl',
      confirmedStatementIds: prepared.statements.map((statement) => statement.id as never),
      expectedRecipientSetHash: prepared.recipientSetHash,
    });
    const { jobId } = await caller.mailings.send({ id: mailing.id });
    expect((await ctx.jobs.wait(jobId)).state).toBe('succeeded');

    const delivered = new Set(smtp.messages.flatMap((message) => message.to));
    const never = CASES.flatMap((testCase) => [...testCase.suppressed, ...testCase.blocked]);
    expect(never.length).toBeGreaterThanOrEqual(36);
    for (const email of never) expect(delivered.has(email), email).toBe(false);
    const kept = CASES.flatMap((testCase) => Object.keys(testCase.kept)).filter(
      (email) => !never.includes(email),
    );
    for (const email of kept) expect(delivered.has(email), email).toBe(true);
    // Everything imported under the attestation is at best TRANSFER_RISK: all that went out was covered.
    expect(delivered.size).toBe(prepared.recipients.count);
  }, 120_000);
});
