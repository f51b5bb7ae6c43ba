import { getSmtpProfile } from '@consent-mailer/store';
import { afterEach, describe, expect, it } from 'vitest';
import { domainPacerFor } from '../src/sending/deliverability.js';
import { doubleOptInConsent } from '@consent-mailer/store/testing';
import { createSendingFixture, type SendingFixture } from './sending-fixture.js';

let fx: SendingFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('live SMTP replies that refuse the sender', () => {
  it('records a sender alert for a 5.7.26 reply, suppresses nobody, and counts it apart from bounces', async () => {
    // The real SMTP test server answers one recipient as Gmail does when the sender's DMARC fails.
    fx = await createSendingFixture({
      server: {
        faults: {
          onRcpt: (a) =>
            a === 'gmail-klant@example.nl'
              ? {
                  code: 550,
                  message:
                    "5.7.26 Unauthenticated email from bakkerij.nl is not accepted due to domain's DMARC policy",
                }
              : undefined,
        },
      },
    });
    await fx.seed([
      { email: 'gmail-klant@example.nl', consent: doubleOptInConsent('bakkerij') },
      ...Array.from({ length: 24 }, (_, i) => ({
        email: `k${i}@example.nl`,
        consent: doubleOptInConsent('bakkerij'),
      })),
    ]);
    const mailing = await fx.caller.mailings.create({
      name: 'December',
      senderEntityId: 'bakkerij',
      listId: 'nieuwsbrief',
      smtpProfile: 'main',
      subject: 'Kerstbrood',
      html: '<p>Ons kerstbrood is er weer.</p>',
    });
    const start = await fx.caller.mailings.send({ id: mailing.id });
    await fx.ctx.jobs.wait(start.jobId);

    const alerts = await fx.caller.intake.alerts({ mailingId: mailing.id });
    expect(alerts).toMatchObject([
      {
        source: 'SMTP',
        category: 'AUTHENTICATION',
        status: '5.7.26',
        recipientDomain: 'example.nl',
        mailingId: mailing.id,
      },
    ]);
    expect(alerts[0]?.diagnostic).toContain('DMARC');
    // Not the recipient's fault: the address stays mailable.
    expect(await fx.caller.suppressions.list({})).toEqual([]);
    // The alert is in the event chain like every other change.
    const events = await fx.store.db
      .selectFrom('event')
      .select('type')
      .where('type', '=', 'sender_alert.recorded')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('records no alert for an ordinary hard bounce', async () => {
    fx = await createSendingFixture({
      server: {
        faults: {
          onRcpt: (a) => (a === 'weg@example.nl' ? { code: 550, message: '5.1.1 User unknown' } : undefined),
        },
      },
    });
    await fx.seed([
      { email: 'weg@example.nl', consent: doubleOptInConsent('bakkerij') },
      ...Array.from({ length: 24 }, (_, i) => ({
        email: `k${i}@example.nl`,
        consent: doubleOptInConsent('bakkerij'),
      })),
    ]);
    const mailing = await fx.caller.mailings.create({
      name: 'December',
      senderEntityId: 'bakkerij',
      listId: 'nieuwsbrief',
      smtpProfile: 'main',
      subject: 'Kerstbrood',
      html: '<p>Ons kerstbrood is er weer.</p>',
    });
    const start = await fx.caller.mailings.send({ id: mailing.id });
    await fx.ctx.jobs.wait(start.jobId);
    expect(await fx.caller.intake.alerts({ mailingId: mailing.id })).toEqual([]);
  });
});

describe('per-domain pacing across restarts', () => {
  it('a fresh pacer (as after a restart) counts what the profile already sent to that domain today', async () => {
    fx = await createSendingFixture();
    await fx.seed([
      { email: 'a@ziggo.nl', consent: doubleOptInConsent('bakkerij') },
      { email: 'b@ziggo.nl', consent: doubleOptInConsent('bakkerij') },
      { email: 'c@kpnmail.nl', consent: doubleOptInConsent('bakkerij') },
    ]);
    const mailing = await fx.caller.mailings.create({
      name: 'December',
      senderEntityId: 'bakkerij',
      listId: 'nieuwsbrief',
      smtpProfile: 'main',
      subject: 'Kerstbrood',
      html: '<p>Ons kerstbrood is er weer.</p>',
    });
    const start = await fx.caller.mailings.send({ id: mailing.id });
    await fx.ctx.jobs.wait(start.jobId);
    await fx.caller.smtp.setPacing({ profile: 'main', domain: 'ziggo.nl', perHour: 2 });
    await fx.caller.smtp.setPacing({ profile: 'main', domain: 'kpnmail.nl', perHour: 2 });
    const profile = await getSmtpProfile(fx.store.db, 'main');
    const pacer = await domainPacerFor(fx.ctx, profile);
    const now = fx.ctx.clock().getTime();
    // ziggo.nl had its 2 this hour: the next waits; kpnmail.nl had 1 of 2: the next may go now.
    expect(pacer.delayFor('nieuw@ziggo.nl', now)).toBeGreaterThan(0);
    expect(pacer.delayFor('nieuw@kpnmail.nl', now)).toBe(0);
  });
});
