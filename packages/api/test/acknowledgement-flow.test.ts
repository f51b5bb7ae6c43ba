import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSmtpTestServer, type SmtpTestServer } from '@consent-mailer/mailer/testing';
import { phone as phoneRecord, thirdParty as thirdPartyRecord } from '@consent-mailer/policy/testing';
import { createList, openStore, type ConsentEvidence, type Store } from '@consent-mailer/store';
import { consentOf, doubleOptInConsent, seedList } from '@consent-mailer/store/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyEvidenceBundleText } from '../src/acknowledgement/bundle-verifier.js';
import { createApiContext, type ApiContext } from '../src/context.js';
import { appRouter } from '../src/root.js';
import { createMemorySecretStore } from '../src/secrets/secret-store.js';
import { createCallerFactory } from '../src/trpc.js';

const ENTITY = 'bakkerij';
const LIST = 'news';
const NOW = new Date('2026-11-28T10:00:00.000Z');

const OURS = { senderEntityId: ENTITY, scopeLists: 'ALL' } as const;
const phone = consentOf(phoneRecord(OURS));
const doubleOptIn = doubleOptInConsent(ENTITY);
const thirdParty = consentOf(thirdPartyRecord(OURS));

describe('an acknowledgement in a real send', () => {
  let dir: string;
  let store: Store;
  let ctx: ApiContext;
  let smtp: SmtpTestServer;
  let caller: ReturnType<typeof appRouter.createCaller>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cm-ack-flow-'));
    smtp = await startSmtpTestServer();
    store = await openStore({ path: join(dir, 'consent-mailer.sqlite') });
    ctx = createApiContext({ store, secrets: createMemorySecretStore(), dataDir: dir, clock: () => NOW });
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

  async function addContacts(contacts: Record<string, ConsentEvidence>) {
    const seeds = Object.entries(contacts).map(([email, consent]) => ({ email, consent }));
    await seedList(store.db, LIST, seeds, { at: NOW.toISOString() });
  }

  function createMailing(name: string) {
    return caller.mailings.create({
      name,
      senderEntityId: ENTITY,
      listId: LIST,
      smtpProfile: 'main',
      subject: 'Kerstbrood voor {{firstName|u}}',
      html: '<p>Beste klant, ons kerstbrood is er weer.</p>',
      lang: 'nl',
    });
  }

  async function send(mailingId: string) {
    const { jobId } = await caller.mailings.send({ id: mailingId });
    const job = await ctx.jobs.wait(jobId);
    expect(job.state).toBe('succeeded');
  }

  const delivered = () => smtp.messages.flatMap((message) => message.to).sort();

  it('sends to exactly the recipients it covers, and exports a bundle that verifies', async () => {
    await addContacts({
      'piet@example.nl': phone,
      'kees@example.nl': phone,
      'jan@example.nl': doubleOptIn,
      'spam@example.nl': thirdParty,
    });
    const mailing = await createMailing('December');

    const preview = await caller.acknowledgements.prepare({
      mailingId: mailing.id,
      name: 'Anna de Vries',
      role: 'directeur',
      lang: 'nl',
    });
    expect(preview.recipients).toEqual({ count: 2, byMethod: { PHONE: 2 }, byReason: { P1: 2 } });
    // The signer reads the subject with its merge field named, not as code.
    expect(preview.text).toContain('"Kerstbrood voor [voornaam]"');
    expect(preview.text).not.toContain('{{');
    const signed = await caller.acknowledgements.sign({
      mailingId: mailing.id,
      name: 'Anna de Vries',
      role: 'directeur',
      lang: 'nl',
      confirmedStatementIds: preview.statements.map((statement) => statement.id as never),
      expectedRecipientSetHash: preview.recipientSetHash,
    });

    await send(mailing.id);
    // The two phone contacts go under the signature, the proven one anyway, the bought address never.
    expect(delivered()).toEqual(['jan@example.nl', 'kees@example.nl', 'piet@example.nl']);
    const deliveries = await store.db
      .selectFrom('delivery')
      .select(['email', 'acknowledgement_id'])
      .where('mailing_id', '=', mailing.id)
      .orderBy('email')
      .execute();
    expect(deliveries).toEqual([
      { email: 'jan@example.nl', acknowledgement_id: null },
      { email: 'kees@example.nl', acknowledgement_id: signed.id },
      { email: 'piet@example.nl', acknowledgement_id: signed.id },
    ]);

    const detail = await caller.acknowledgements.show({ id: signed.id });
    expect(detail.outcome).toMatchObject({ covered: 2, delivered: 2 });
    // The signed document names the mailing as the text did; the mailings list names it so in each language.
    expect(detail.mailing.subject).toBe('Kerstbrood voor [voornaam]');
    const listed = (await caller.mailings.list()).find((item) => item.id === mailing.id);
    expect(listed?.subjectInWords).toEqual({
      nl: 'Kerstbrood voor [voornaam]',
      en: 'Kerstbrood voor [first name]',
    });

    const files = await caller.acknowledgements.export({ id: signed.id, dir: join(dir, 'out') });
    const text = readFileSync(files.json, 'utf8');
    const result = verifyEvidenceBundleText(text);
    expect(result.problems).toEqual([]);
    expect(result.summary?.events).toBeGreaterThan(1); // the signing event and what the send recorded after it
    writeFileSync(files.json, text.replace('"Anna de Vries"', '"Anna de Vriez"'));
    const tampered = verifyEvidenceBundleText(readFileSync(files.json, 'utf8'));
    expect(tampered.valid).toBe(false);
    expect(tampered.problems.map((problem) => problem.field)).toContain('acknowledgement.signer.name');
  }, 60_000);

  it('holds a recipient back whose evidence changed after signing, though the address is the same', async () => {
    await addContacts({ 'piet@example.nl': phone, 'jan@example.nl': doubleOptIn });
    const mailing = await createMailing('December');
    const preview = await caller.acknowledgements.prepare({
      mailingId: mailing.id,
      name: 'Anna de Vries',
      role: 'directeur',
      lang: 'en',
    });
    await caller.acknowledgements.sign({
      mailingId: mailing.id,
      name: 'Anna de Vries',
      role: 'directeur',
      lang: 'en',
      confirmedStatementIds: preview.statements.map((statement) => statement.id as never),
    });
    // piet signed up on the web form too: now a single opt-in (S1) instead of a phone consent (P1).
    await addContacts({
      'piet@example.nl': {
        method: 'WEB_SOI',
        senderEntityId: ENTITY,
        scopeLists: 'ALL',
        signupAt: '2026-10-05T09:00:00Z',
        source: 'https://bakkerij.example/form',
        consentTextVersionId: 'form-1',
      },
    });
    const again = await caller.acknowledgements.prepare({
      mailingId: mailing.id,
      name: 'Anna de Vries',
      role: 'directeur',
      lang: 'en',
    });
    expect(again.recipientSetHash).toBe(preview.recipientSetHash);
    expect(again.recipients.byMethod).toEqual({ WEB_SOI: 1 });
    await send(mailing.id);
    expect(delivered()).toEqual(['jan@example.nl']);
  }, 60_000);

  it('holds the risky recipients back when the set changed after signing, and sends the rest', async () => {
    await addContacts({ 'piet@example.nl': phone, 'jan@example.nl': doubleOptIn });
    const mailing = await createMailing('December');
    const preview = await caller.acknowledgements.prepare({
      mailingId: mailing.id,
      name: 'Anna de Vries',
      role: 'directeur',
      lang: 'en',
    });
    await caller.acknowledgements.sign({
      mailingId: mailing.id,
      name: 'Anna de Vries',
      role: 'directeur',
      lang: 'en',
      confirmedStatementIds: preview.statements.map((statement) => statement.id as never),
    });
    await addContacts({ 'nieuw@example.nl': phone });

    const coverage = await caller.acknowledgements.coverage({
      mailingId: mailing.id,
      recipientSetHash: (
        await caller.acknowledgements.prepare({ mailingId: mailing.id, name: 'A', role: 'B', lang: 'en' })
      ).recipientSetHash,
    });
    expect(coverage.status).toBe('MISMATCH');
    await send(mailing.id);
    expect(delivered()).toEqual(['jan@example.nl']);
  }, 60_000);
});
