import { randomUUID } from 'node:crypto';
import { POLICY_VERSION } from '@consent-mailer/policy';
import { appendEvent, type AcknowledgementRow } from '@consent-mailer/store';
import { afterEach, describe, expect, it } from 'vitest';
import { ACKNOWLEDGEMENT_FORMAT } from '../src/acknowledgement/acknowledgement-document.js';
import { canonicalJson, canonicalSha256 } from '../src/acknowledgement/canonical-json.js';
import { generateSigningKey, signText, SIGNING_KEY_SECRET } from '../src/acknowledgement/signing-key.js';
import { doubleOptInConsent, rawWrite } from '@consent-mailer/store/testing';
import { createSendingFixture, type SendingFixture } from './sending-fixture.js';

// The send gate must trust only acknowledgements that verify against this installation's key, equal their
// signed payload and have their signing event: each attack below writes straight into the database file.

let fx: SendingFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const PROVEN = ['jan@example.nl', 'piet@example.nl'];
const RISKY = ['risk1@example.nl', 'risk2@example.nl', 'risk3@example.nl'];

function phone(senderEntityId: string) {
  return {
    method: 'PHONE',
    senderEntityId,
    scopeLists: 'ALL' as const,
    signupAt: '2026-10-01T09:00:00Z',
    phoneAgent: 'Piet',
    consentTextVersionId: 'script-1',
  };
}

function mailingInput(name: string) {
  return {
    name,
    senderEntityId: 'bakkerij',
    listId: 'nieuwsbrief',
    smtpProfile: 'main',
    subject: 'Kerstbrood',
    html: '<p>Beste klant, ons kerstbrood is er weer.</p>',
  };
}

async function setUp(): Promise<{ f: SendingFixture; x: string; y: string }> {
  const f = await createSendingFixture();
  fx = f;
  await f.ctx.secrets.set(SIGNING_KEY_SECRET, generateSigningKey().secret);
  await f.seed([
    ...PROVEN.map((email) => ({ email, consent: doubleOptInConsent('bakkerij') })),
    ...RISKY.map((email) => ({ email, consent: phone('bakkerij') })),
  ]);
  const x = (await f.caller.mailings.create(mailingInput('November'))).id;
  const y = (await f.caller.mailings.create(mailingInput('December'))).id;
  return { f, x, y };
}

async function sign(f: SendingFixture, mailingId: string): Promise<string> {
  const request = { mailingId, name: 'Anna de Vries', role: 'directeur', lang: 'en' as const };
  const preview = await f.caller.acknowledgements.prepare(request);
  const signed = await f.caller.acknowledgements.sign({
    ...request,
    confirmedStatementIds: preview.statements.map((s) => s.id as never),
    expectedRecipientSetHash: preview.recipientSetHash,
  });
  return signed.id;
}

async function row(f: SendingFixture, id: string): Promise<AcknowledgementRow> {
  return f.store.db.selectFrom('acknowledgement').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Inserts a row as someone with the database file would: straight SQL, no event. */
async function insertRow(f: SendingFixture, values: AcknowledgementRow): Promise<void> {
  await rawWrite(f.store, f.store.db.insertInto('acknowledgement').values(values));
}

async function refusedUntrusted(f: SendingFixture, mailingId: string, field: string): Promise<void> {
  const error = await f.caller.mailings.send({ id: mailingId }).catch((e: unknown) => e);
  expect(error).toMatchObject({ cause: { code: 'MAILING_ACKNOWLEDGEMENT_UNTRUSTED' } });
  const cause = (error as { cause: { text: { en: string; nl: string } } }).cause;
  expect(cause.text.en).toContain('Nothing was sent');
  expect(cause.text.en).toContain(`${field}:`);
  expect(cause.text.en).toContain('audit verify');
  expect(cause.text.nl).toContain('Er is niets verstuurd');
  expect(cause.text.nl).toContain(`${field}:`);
  expect(f.server.messages).toHaveLength(0);
  const deliveries = await f.store.db
    .selectFrom('delivery')
    .select('id')
    .where('mailing_id', '=', mailingId)
    .execute();
  expect(deliveries).toHaveLength(0);
}

async function sentTo(f: SendingFixture, mailingId: string): Promise<string[]> {
  const start = await f.caller.mailings.send({ id: mailingId });
  const job = await f.ctx.jobs.wait(start.jobId);
  expect(job.state).toBe('succeeded');
  return f.server.messages.flatMap((m) => m.to).sort();
}

describe('the send gate trusts only verified acknowledgements', () => {
  it('sends to the TRANSFER_RISK recipients under a genuine signature, signed under the current policy version', async () => {
    const { f, y } = await setUp();
    const signed = await row(f, await sign(f, y));
    expect(POLICY_VERSION).toBe('2026.12.1');
    expect(signed.policy_version).toBe(POLICY_VERSION);
    expect((JSON.parse(signed.payload) as { policyVersion: string }).policyVersion).toBe(POLICY_VERSION);
    expect(await sentTo(f, y)).toEqual([...PROVEN, ...RISKY].sort());
  });

  it('without any acknowledgement holds the TRANSFER_RISK recipients back and mails the rest', async () => {
    const { f, y } = await setUp();
    expect(await sentTo(f, y)).toEqual([...PROVEN].sort());
  });

  it("refuses a row with signature AAAA, no signing event and another mailing's payload", async () => {
    const { f, x, y } = await setUp();
    const genuine = await row(f, await sign(f, x));
    // The attacker takes mailing X's payload (same recipients, so the same set hash) and claims it for Y.
    await insertRow(f, { ...genuine, id: randomUUID(), mailing_id: y, signature: 'AAAA' });
    await refusedUntrusted(f, y, 'signature');
  });

  it('refuses a valid acknowledgement of mailing X copied onto mailing Y', async () => {
    const { f, x, y } = await setUp();
    const genuine = await row(f, await sign(f, x));
    // Same signature, same key, same payload: only the row's id and mailing column are new.
    f.store.sqlite.exec('DROP TRIGGER IF EXISTS acknowledgement_refuse_update');
    f.store.sqlite.prepare('UPDATE acknowledgement SET mailing_id = ? WHERE id = ?').run(y, genuine.id);
    await refusedUntrusted(f, y, 'mailing_id');
  });

  it('refuses a genuine acknowledgement whose signer was edited in the row', async () => {
    const { f, y } = await setUp();
    const id = await sign(f, y);
    f.store.sqlite.exec('DROP TRIGGER IF EXISTS acknowledgement_refuse_update');
    f.store.sqlite.prepare("UPDATE acknowledgement SET signer_name = 'Iemand Anders' WHERE id = ?").run(id);
    await refusedUntrusted(f, y, 'signer_name');
  });

  it("refuses a consistent row signed with a fresh key, even with a forged signing event (not this installation's key)", async () => {
    const { f, y } = await setUp();
    const genuine = await row(f, await sign(f, y));
    const covered = await f.store.db
      .selectFrom('acknowledgement_recipient')
      .selectAll()
      .where('acknowledgement_id', '=', genuine.id)
      .execute();
    // A whole new acknowledgement, every column and the event consistent, signed with the attacker's key.
    const attacker = generateSigningKey().key;
    const document = JSON.parse(genuine.payload) as Record<string, unknown> & { id: string };
    const forged = {
      ...document,
      id: randomUUID(),
      format: ACKNOWLEDGEMENT_FORMAT,
      signingKey: { algorithm: 'Ed25519', fingerprint: attacker.fingerprint },
    };
    const payload = canonicalJson(forged);
    const signature = signText(attacker, payload);
    // Drop the genuine one so only the forged row could cover the mailing.
    f.store.sqlite.exec('DROP TRIGGER IF EXISTS acknowledgement_refuse_delete');
    f.store.sqlite.exec('DROP TRIGGER IF EXISTS acknowledgement_recipient_refuse_delete');
    f.store.sqlite
      .prepare('DELETE FROM acknowledgement_recipient WHERE acknowledgement_id = ?')
      .run(genuine.id);
    f.store.sqlite.prepare('DELETE FROM acknowledgement WHERE id = ?').run(genuine.id);
    await insertRow(f, { ...genuine, id: forged.id, payload, signature, public_key: attacker.publicKeyPem });
    await rawWrite(
      f.store,
      f.store.db
        .insertInto('acknowledgement_recipient')
        .values(covered.map((item) => ({ ...item, acknowledgement_id: forged.id }))),
    );
    await appendEvent(f.store.db, {
      type: 'acknowledgement.signed',
      entity: 'acknowledgement',
      entityId: forged.id,
      data: { mailingId: y, documentSha256: canonicalSha256(forged), signature },
      at: genuine.signed_at,
    });
    await refusedUntrusted(f, y, 'public_key');
  });

  it('refuses a genuine acknowledgement whose signing event was deleted', async () => {
    const { f, y } = await setUp();
    const id = await sign(f, y);
    f.store.sqlite.exec('DROP TRIGGER IF EXISTS event_refuse_delete');
    // Whoever edits the file can switch foreign keys off too (the row seals of event_row point at events).
    f.store.sqlite.pragma('foreign_keys = OFF');
    f.store.sqlite.prepare("DELETE FROM event WHERE entity = 'acknowledgement' AND entity_id = ?").run(id);
    f.store.sqlite.pragma('foreign_keys = ON');
    await refusedUntrusted(f, y, 'event');
  });

  it('refuses a genuine acknowledgement whose signing event records another document', async () => {
    const { f, y } = await setUp();
    const id = await sign(f, y);
    f.store.sqlite.exec('DROP TRIGGER IF EXISTS event_refuse_update');
    f.store.sqlite
      .prepare(
        "UPDATE event SET data = json_set(data, '$.documentSha256', ?) WHERE entity = 'acknowledgement' AND entity_id = ?",
      )
      .run('0'.repeat(64), id);
    await refusedUntrusted(f, y, 'event');
  });

  it('refuses when covered recipients were added to the signed list in the database', async () => {
    const { f, y } = await setUp();
    const id = await sign(f, y);
    await rawWrite(
      f.store,
      f.store.db
        .insertInto('acknowledgement_recipient')
        .values({ acknowledgement_id: id, address_hash: 'f'.repeat(64), method: 'PHONE', reasons: '["P1"]' }),
    );
    await refusedUntrusted(f, y, 'acknowledgement_recipient');
  });

  it('refuses when a lapse the event log records was cleared from the row', async () => {
    const { f, y } = await setUp();
    const id = await sign(f, y);
    await f.caller.suppressions.complaint({
      email: 'klager@elders.nl',
      source: 'HOSTER',
      receivedAt: '2026-11-28T11:00:00Z',
    });
    // The lapse is found and recorded (with its event) when the mailing is assessed.
    await f.caller.mailings.assess({ id: y, lang: 'en' });
    expect((await row(f, id)).lapsed_at).not.toBeNull();
    // Clearing the lapse and the notice behind the app's back must not bring the signature back.
    for (const trigger of ['acknowledgement_refuse_update', 'complaint_refuse_delete'])
      f.store.sqlite.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
    f.store.sqlite
      .prepare('UPDATE acknowledgement SET lapsed_at = NULL, lapse_reason = NULL WHERE id = ?')
      .run(id);
    f.store.sqlite.prepare('DELETE FROM complaint').run();
    await refusedUntrusted(f, y, 'lapsed_at');
  });

  it('refuses when the installation key is not set here (nothing to check the signature against)', async () => {
    const { f, y } = await setUp();
    await sign(f, y);
    await f.ctx.secrets.delete(SIGNING_KEY_SECRET);
    await refusedUntrusted(f, y, 'public_key');
    const error = await f.caller.mailings.send({ id: y }).catch((e: unknown) => e);
    const cause = (error as { cause: { text: { en: string; nl: string } } }).cause;
    expect(cause.text.en).toContain('No signing key of this installation is set here');
    expect(cause.text.nl).toContain('Hier is geen ondertekeningssleutel van deze installatie ingesteld');
  });

  it('lets the owner sign again after a forged row and then sends under the new signature', async () => {
    const { f, x, y } = await setUp();
    const genuine = await row(f, await sign(f, x));
    await insertRow(f, { ...genuine, id: randomUUID(), mailing_id: y, signature: 'AAAA' });
    await refusedUntrusted(f, y, 'signature');
    await sign(f, y);
    expect(await sentTo(f, y)).toEqual([...PROVEN, ...RISKY].sort());
  });
});
