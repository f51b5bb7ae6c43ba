import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeRecipientSetHash, isUserError } from '@consent-mailer/policy';
import { findAcknowledgementRecipients, verifyChain } from '@consent-mailer/store';
import {
  signAcknowledgement,
  prepareAcknowledgement,
} from '../src/acknowledgement/acknowledgement-signing.js';
import { SIGNING_KEY_SECRET } from '../src/acknowledgement/signing-key.js';
import {
  ALL_STATEMENTS,
  assess,
  createAcknowledgementFixture,
  doubleOptInContact,
  phoneContact,
  webSoiContact,
  type AcknowledgementFixture,
} from './acknowledgement-fixture.js';

const signer = { name: 'Anna de Vries', role: 'directeur' };

describe('signing an acknowledgement', () => {
  let fixture: AcknowledgementFixture;
  beforeEach(async () => {
    fixture = await createAcknowledgementFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  const contacts = () => [
    phoneContact('piet@example.nl'),
    webSoiContact('Sara@Example.NL'),
    doubleOptInContact('jan@example.nl'),
  ];

  it('shows the Dutch text with the signer, the counts per method and the recipient-set hash', async () => {
    const assessment = assess(contacts(), fixture.now.value);
    const preview = await prepareAcknowledgement(fixture.ctx, {
      mailingId: fixture.mailingId,
      assessment,
      signer,
      lang: 'nl',
    });
    expect(preview.text).toContain('VERKLARING RISICO-OVERDRACHT');
    expect(preview.text).toContain('Anna de Vries (directeur)');
    expect(preview.text).toContain('KvK-nummer 12345678');
    expect(preview.recipients).toEqual({
      count: 2,
      byMethod: { PHONE: 1, WEB_SOI: 1 },
      byReason: { P1: 1, S1: 1 },
    });
    expect(preview.recipientSetHash).toBe(computeRecipientSetHash(['piet@example.nl', 'Sara@example.nl']));
    expect(preview.statements.map((statement) => statement.id)).toEqual(ALL_STATEMENTS);
  });

  it('records signer, text, counts and covered recipients, and appends a signed event to a valid chain', async () => {
    const assessment = assess(contacts(), fixture.now.value);
    const signed = await signAcknowledgement(fixture.ctx, {
      mailingId: fixture.mailingId,
      assessment,
      signer,
      lang: 'en',
      confirmedStatementIds: ALL_STATEMENTS,
      expectedRecipientSetHash: assessment.recipientSetHash,
    });
    expect(signed.recipientCount).toBe(2);
    expect(signed.keyCreated).toBe(true);
    expect(signed.verificationCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const row = await fixture.store.db.selectFrom('acknowledgement').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      signer_name: 'Anna de Vries',
      legal_name: 'Bakkerij Jansen B.V.',
      kvk_number: '12345678',
      recipient_count: 2,
    });
    expect(row.signed_at).toBe('2026-11-28T10:00:00.000Z');
    // The private key stays in the secret store: the database holds only the public key.
    const secret = await fixture.secrets.get(SIGNING_KEY_SECRET);
    expect(secret).toBeTruthy();
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row.public_key).toContain('BEGIN PUBLIC KEY');
    const covered = await findAcknowledgementRecipients(fixture.store.db, signed.id);
    expect(covered.map((item) => item.method).sort()).toEqual(['PHONE', 'WEB_SOI']);
    const events = await fixture.store.db
      .selectFrom('event')
      .selectAll()
      .where('type', '=', 'acknowledgement.signed')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.data).not.toContain('Anna');
    expect(await verifyChain(fixture.store.db)).toMatchObject({ ok: true });
  });

  it('refuses to sign when a statement is not confirmed, and writes nothing', async () => {
    const assessment = assess(contacts(), fixture.now.value);
    const attempt = signAcknowledgement(fixture.ctx, {
      mailingId: fixture.mailingId,
      assessment,
      signer,
      lang: 'nl',
      confirmedStatementIds: ALL_STATEMENTS.filter((id) => id !== 'ACM_FINES_CHARGED_TO_SENDER'),
    });
    await expect(attempt).rejects.toSatisfy(
      (error) =>
        isUserError(error) &&
        error.code === 'ACK_STATEMENT_NOT_CONFIRMED' &&
        error.text.en.includes('ACM_FINES_CHARGED_TO_SENDER'),
    );
    expect(await fixture.store.db.selectFrom('acknowledgement').selectAll().execute()).toHaveLength(0);
  });

  it('refuses when the recipients changed since the text was shown', async () => {
    const shown = assess(contacts(), fixture.now.value);
    const current = assess([...contacts(), phoneContact('nieuw@example.nl')], fixture.now.value);
    await expect(
      signAcknowledgement(fixture.ctx, {
        mailingId: fixture.mailingId,
        assessment: current,
        signer,
        lang: 'nl',
        confirmedStatementIds: ALL_STATEMENTS,
        expectedRecipientSetHash: shown.recipientSetHash,
      }),
    ).rejects.toSatisfy((error) => isUserError(error) && error.code === 'ACK_RECIPIENTS_CHANGED');
  });

  it('refuses a mailing without risky recipients, and a sender entity without KvK number', async () => {
    const onlyProven = assess([doubleOptInContact('jan@example.nl')], fixture.now.value);
    await expect(
      signAcknowledgement(fixture.ctx, {
        mailingId: fixture.mailingId,
        assessment: onlyProven,
        signer,
        lang: 'en',
        confirmedStatementIds: ALL_STATEMENTS,
      }),
    ).rejects.toSatisfy((error) => isUserError(error) && error.code === 'POLICY_ACK_NOTHING_TO_COVER');
    const noKvk = await createAcknowledgementFixture({ kvkNumber: null });
    try {
      await expect(
        prepareAcknowledgement(noKvk.ctx, {
          mailingId: noKvk.mailingId,
          assessment: assess(contacts(), noKvk.now.value),
          signer,
          lang: 'en',
        }),
      ).rejects.toSatisfy((error) => isUserError(error) && error.code === 'ACK_KVK_MISSING');
    } finally {
      await noKvk.close();
    }
  });

  it('refuses a second signature while the first still covers the same recipients', async () => {
    const assessment = assess(contacts(), fixture.now.value);
    const request = {
      mailingId: fixture.mailingId,
      assessment,
      signer,
      lang: 'en' as const,
      confirmedStatementIds: ALL_STATEMENTS,
    };
    await signAcknowledgement(fixture.ctx, request);
    await expect(signAcknowledgement(fixture.ctx, request)).rejects.toSatisfy(
      (error) => isUserError(error) && error.code === 'ACK_ALREADY_SIGNED',
    );
  });

  it('never makes a silent new key when the one that signed earlier acknowledgements is lost', async () => {
    const assessment = assess(contacts(), fixture.now.value);
    const request = {
      mailingId: fixture.mailingId,
      assessment,
      signer,
      lang: 'nl' as const,
      confirmedStatementIds: ALL_STATEMENTS,
    };
    await signAcknowledgement(fixture.ctx, request);
    // What a restart of a host with forgetful secrets looked like: the database remembers, the key is gone.
    await fixture.secrets.delete(SIGNING_KEY_SECRET);
    await expect(signAcknowledgement(fixture.ctx, request)).rejects.toSatisfy(
      (error) =>
        isUserError(error) && error.code === 'SIGNING_KEY_LOST' && error.text.nl.includes('wachtwoordzin'),
    );
    expect(await fixture.secrets.get(SIGNING_KEY_SECRET)).toBeUndefined();
    const rows = await fixture.store.db.selectFrom('acknowledgement').select('id').execute();
    expect(rows).toHaveLength(1);
  });
});
