import { verifyChain } from '@consent-mailer/store';
import { afterEach, describe, expect, it } from 'vitest';
import { doubleOptInConsent } from '@consent-mailer/store/testing';
import { createSendingFixture, type SendingFixture } from './sending-fixture.js';

let fx: SendingFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const MAILING = {
  name: 'December',
  senderEntityId: 'bakkerij',
  listId: 'nieuwsbrief',
  smtpProfile: 'main',
  subject: 'Kerstbrood',
  html: '<p>Beste klant, ons kerstbrood is er weer.</p>',
};

/** Only proven recipients, but a spamklacht.nl notice ten days ago makes the mailing itself TRANSFER_RISK (M13). */
async function mailingWithAbuseNotice(f: SendingFixture) {
  await f.seed([
    { email: 'jan@example.nl', consent: doubleOptInConsent('bakkerij') },
    { email: 'piet@example.nl', consent: doubleOptInConsent('bakkerij') },
  ]);
  await f.caller.suppressions.complaint({
    email: 'klager@elders.nl',
    source: 'SPAMKLACHT',
    receivedAt: '2026-11-18T09:00:00Z',
  });
  const mailing = await f.caller.mailings.create(MAILING);
  const assessment = await f.caller.mailings.assess({ id: mailing.id, lang: 'en' });
  expect(assessment.classification).toBe('TRANSFER_RISK');
  expect(assessment.counts).toMatchObject({ included: 2, needsAcknowledgement: 0 });
  expect(assessment.reasons.map((r) => r.code)).toContain('M13');
  return mailing;
}

describe('a mailing that is TRANSFER_RISK through a mailing-level rule (M13)', () => {
  it('sends nothing without a signed acknowledgement and says to sign first, in English and Dutch', async () => {
    fx = await createSendingFixture();
    const mailing = await mailingWithAbuseNotice(fx);

    const error = await fx.caller.mailings.send({ id: mailing.id }).catch((e: unknown) => e);
    expect(error).toMatchObject({ cause: { code: 'MAILING_ACKNOWLEDGEMENT_REQUIRED' } });
    const cause = (error as { cause: { message: string; text: { en: string; nl: string } } }).cause;
    expect(cause.text.en).toContain('nothing was sent');
    expect(cause.text.en).toContain('[M13]');
    expect(cause.text.en).toContain(`Sign the risk-transfer acknowledgement for this mailing first`);
    expect(cause.text.en).toContain(`consent-mailer acknowledge ${mailing.id}`);
    expect(cause.text.nl).toContain('er is niets verstuurd');
    expect(cause.text.nl).toContain('Teken eerst de risicoverklaring');

    const status = await fx.caller.mailings.status({ id: mailing.id });
    expect(status.mailing.deliveries.total).toBe(0);
    expect(status.mailing.status).not.toBe('SENDING');
    expect(fx.server.messages).toHaveLength(0);
  });

  it('sends to everyone once the sender signed', async () => {
    fx = await createSendingFixture();
    const mailing = await mailingWithAbuseNotice(fx);

    const preview = await fx.caller.acknowledgements.prepare({
      mailingId: mailing.id,
      name: 'Anna de Vries',
      role: 'directeur',
      lang: 'nl',
    });
    await fx.caller.acknowledgements.sign({
      mailingId: mailing.id,
      name: 'Anna de Vries',
      role: 'directeur',
      lang: 'nl',
      confirmedStatementIds: preview.statements.map((s) => s.id as never),
      expectedRecipientSetHash: preview.recipientSetHash,
    });

    const start = await fx.caller.mailings.send({ id: mailing.id });
    const job = await fx.ctx.jobs.wait(start.jobId);
    expect(job.state).toBe('succeeded');
    expect(start.queued).toBe(2);
    expect(fx.server.messages.flatMap((m) => m.to).sort()).toEqual(['jan@example.nl', 'piet@example.nl']);
    const status = await fx.caller.mailings.status({ id: mailing.id });
    expect(status.mailing).toMatchObject({ status: 'SENT', deliveries: { SENT: 2, total: 2 } });
    // Both replies are on the record, in the hash chain, under the mailing.
    const ids = await fx.store.db
      .selectFrom('delivery')
      .select('id')
      .where('mailing_id', '=', mailing.id)
      .orderBy('id')
      .execute();
    const recorded = await fx.store.db
      .selectFrom('event')
      .select(['data', 'entity_id'])
      .where('type', '=', 'deliveries.recorded')
      .execute();
    expect(recorded.every((e) => e.entity_id === mailing.id)).toBe(true);
    expect(
      recorded.flatMap((e) => (JSON.parse(e.data) as { sent: number[] }).sent).sort((a, b) => a - b),
    ).toEqual(ids.map((r) => r.id));
    expect((await verifyChain(fx.store.db)).ok).toBe(true);
  });

  it('refuses again when a new abuse notice arrives after signing (the signature lapsed)', async () => {
    fx = await createSendingFixture();
    const mailing = await mailingWithAbuseNotice(fx);
    const preview = await fx.caller.acknowledgements.prepare({
      mailingId: mailing.id,
      name: 'Anna de Vries',
      role: 'directeur',
      lang: 'en',
    });
    await fx.caller.acknowledgements.sign({
      mailingId: mailing.id,
      name: 'Anna de Vries',
      role: 'directeur',
      lang: 'en',
      confirmedStatementIds: preview.statements.map((s) => s.id as never),
      expectedRecipientSetHash: preview.recipientSetHash,
    });
    await fx.caller.suppressions.complaint({
      email: 'ander@elders.nl',
      source: 'HOSTER',
      receivedAt: '2026-11-28T11:00:00Z',
    });

    const error = await fx.caller.mailings.send({ id: mailing.id }).catch((e: unknown) => e);
    expect(error).toMatchObject({ cause: { code: 'MAILING_ACKNOWLEDGEMENT_REQUIRED' } });
    expect((error as { cause: { text: { en: string } } }).cause.text.en).toContain('has lapsed');
    expect(fx.server.messages).toHaveLength(0);
  });
});
