import { verifyChain } from '@consent-mailer/store';
import { afterEach, describe, expect, it } from 'vitest';
import { doubleOptInConsent } from '@consent-mailer/store/testing';
import { createSendingFixture, type SendingFixture } from './sending-fixture.js';

const MAILING = {
  name: 'December',
  senderEntityId: 'bakkerij',
  listId: 'nieuwsbrief',
  smtpProfile: 'main',
  subject: 'Kerstbrood voor {{firstName|u}}',
  html: '<p>Beste {{firstName|klant}}, ons kerstbrood is er weer.</p>',
};

let fx: SendingFixture;
afterEach(async () => fx.close());

async function events(type: string) {
  return fx.store.db.selectFrom('event').selectAll().where('type', '=', type).execute();
}

async function send(id: string) {
  const start = await fx.caller.mailings.send({ id });
  return fx.ctx.jobs.wait(start.jobId);
}

describe('editing and deleting entities, SMTP profiles and mailings', () => {
  it('updates a sender entity with an event in the chain; the next message carries the new address', async () => {
    fx = await createSendingFixture();
    await fx.seed([{ email: 'anna@example.nl', firstName: 'Anna', consent: doubleOptInConsent('bakkerij') }]);
    const row = await fx.caller.entities.update({
      id: 'bakkerij',
      postalAddress: 'Kerkstraat 9, 1234 AB Ergens',
    });
    expect(row.postalAddress).toBe('Kerkstraat 9, 1234 AB Ergens');
    const [event] = await events('sender_entity.updated');
    expect(JSON.parse(event?.data ?? '{}')).toMatchObject({ changed: ['postal_address'] });
    const mailing = await fx.caller.mailings.create(MAILING);
    await send(mailing.id);
    expect(fx.server.receivedBy('anna@example.nl')[0]?.parsed.text).toContain('Kerkstraat 9');
    expect((await verifyChain(fx.store.db)).ok).toBe(true);
  });

  it('deletes an entity nothing refers to, and keeps one that a consent or profile refers to', async () => {
    fx = await createSendingFixture();
    await fx.caller.entities.add({
      id: 'typo',
      legalName: 'Typo B.V.',
      postalAddress: 'x 1',
      contactEmail: 'a@b.nl',
      kvkNumber: '87654321',
    });
    await fx.caller.entities.delete({ id: 'typo' });
    expect((await fx.caller.entities.list()).map((e) => e.id)).toEqual(['bakkerij']);
    expect(await events('sender_entity.deleted')).toHaveLength(1);
    await fx.seed([{ email: 'anna@example.nl', consent: doubleOptInConsent('bakkerij') }]);
    await expect(fx.caller.entities.delete({ id: 'bakkerij' })).rejects.toMatchObject({
      cause: { code: 'ENTITY_IN_USE' },
    });
    expect((await fx.caller.entities.list()).map((e) => e.id)).toEqual(['bakkerij']);
  });

  it('updates an SMTP profile (a new password replaces the stored one) and deletes one no mailing uses', async () => {
    fx = await createSendingFixture({
      server: { auth: { user: 'nieuws', password: 'juist' } },
      password: 'fout',
    });
    await fx.seed([{ email: 'anna@example.nl', consent: doubleOptInConsent('bakkerij') }]);
    await expect(fx.caller.smtp.test({ profile: 'main' })).rejects.toMatchObject({
      cause: { code: 'SMTP_AUTH_FAILED' },
    });
    await fx.caller.smtp.update({ profile: 'main', password: 'juist', perHour: 500 });
    expect(await fx.ctx.secrets.get('smtp:main')).toBe('juist');
    expect((await fx.caller.smtp.list())[0]?.limits.perHour).toBe(500);
    const [event] = await events('smtp_profile.updated');
    expect(event?.data).not.toContain('juist');
    const mailing = await fx.caller.mailings.create(MAILING);
    const job = await send(mailing.id);
    expect(job.result).toMatchObject({ stoppedBecause: 'FINISHED', sent: 1 });

    await expect(fx.caller.smtp.delete({ profile: 'main' })).rejects.toMatchObject({
      cause: { code: 'SMTP_PROFILE_IN_USE' },
    });
    await fx.caller.smtp.add({
      name: 'spare',
      host: '127.0.0.1',
      port: 2525,
      security: 'NONE',
      user: 'x',
      password: 'geheim',
      fromAddress: 'x@bakkerij.nl',
    });
    await fx.caller.smtp.delete({ profile: 'spare' });
    expect(await fx.ctx.secrets.get('smtp:spare')).toBeUndefined();
    expect((await fx.caller.smtp.list()).map((p) => p.name)).toEqual(['main']);
    await expect(
      fx.caller.smtp.update({ profile: 'main', host: 'smtp.example.nl', security: 'NONE' }),
    ).rejects.toMatchObject({ cause: { code: 'SMTP_PLAIN_NOT_LOOPBACK' } });
  });

  it('changes only a mailing that was never queued; duplicates any; deletes only a draft', async () => {
    fx = await createSendingFixture();
    await fx.seed([{ email: 'anna@example.nl', firstName: 'Anna', consent: doubleOptInConsent('bakkerij') }]);
    const mailing = await fx.caller.mailings.create(MAILING);
    await fx.caller.mailings.assess({ id: mailing.id, lang: 'en' });
    const changed = await fx.caller.mailings.update({
      id: mailing.id,
      subject: 'Oliebollen voor {{firstName|u}}',
    });
    expect(changed.status).toBe('DRAFT');
    await expect(
      fx.caller.mailings.update({ id: mailing.id, subject: 'a\r\nBcc: x@evil.example' }),
    ).rejects.toThrow();
    await expect(
      fx.caller.mailings.update({ id: mailing.id, html: '{{unknownField}}' }),
    ).rejects.toMatchObject({ cause: { code: expect.any(String) } });
    await send(mailing.id);
    expect(fx.server.receivedBy('anna@example.nl')[0]?.parsed.subject).toBe('Oliebollen voor Anna');

    await expect(fx.caller.mailings.update({ id: mailing.id, name: 'x' })).rejects.toMatchObject({
      cause: { code: 'MAILING_NOT_DRAFT' },
    });
    await expect(fx.caller.mailings.delete({ id: mailing.id })).rejects.toMatchObject({
      cause: { code: 'MAILING_NOT_DRAFT' },
    });
    const copy = await fx.caller.mailings.duplicate({ id: mailing.id });
    expect(copy).toMatchObject({ name: 'December (copy)', status: 'DRAFT', listId: 'nieuwsbrief' });
    await fx.caller.mailings.assess({ id: copy.id, lang: 'en' });
    await fx.caller.mailings.delete({ id: copy.id });
    await expect(fx.caller.mailings.status({ id: copy.id })).rejects.toMatchObject({
      cause: { code: 'MAILING_NOT_FOUND' },
    });
    expect((await fx.caller.mailings.list()).map((m) => m.id)).toEqual([mailing.id]);
    expect(await events('mailing.deleted')).toHaveLength(1);
    expect((await verifyChain(fx.store.db)).ok).toBe(true);
  });
});
