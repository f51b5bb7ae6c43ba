import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
beforeEach(async () => {
  fx = await createSendingFixture();
  await fx.seed([{ email: 'jan@example.nl', firstName: 'Jan', consent: doubleOptInConsent('bakkerij') }]);
});
afterEach(async () => {
  await fx.close();
});

describe('a mailing previewed and tested before it is sent', () => {
  it('shows the message as a chosen contact receives it: merge fields filled, the real footer and headers', async () => {
    const mailing = await fx.caller.mailings.create(MAILING);
    const shown = await fx.caller.mailings.preview({ id: mailing.id, email: 'JAN@example.nl' });
    expect(shown.subject).toBe('Kerstbrood voor Jan');
    expect(shown.html).toContain('Beste Jan, ons kerstbrood');
    // The footer every message carries: who sends, the KvK number, how to unsubscribe.
    expect(shown.html).toContain('Bakkerij de Vries B.V.');
    expect(shown.html).toContain('12345678');
    expect(shown.text).toMatch(/afmelden|unsubscribe/i);
    expect(shown.listUnsubscribe).toContain('mailto:');
    expect(shown.recipient).toBe('jan@example.nl');

    const example = await fx.caller.mailings.preview({ id: mailing.id });
    expect(example.subject).toBe('Kerstbrood voor Anna');
    expect(example.recipient).toBeNull();
    await expect(
      fx.caller.mailings.preview({ id: mailing.id, email: 'niemand@example.nl' }),
    ).rejects.toMatchObject({
      cause: { code: 'CONTACT_NOT_FOUND' },
    });
  });

  it('sends one test copy to the business itself, and never to a contact', async () => {
    const mailing = await fx.caller.mailings.create(MAILING);
    const sent = await fx.caller.mailings.testSend({ id: mailing.id, to: 'Info@Bakkerij.nl' });
    await fx.server.waitFor(1);
    const [message] = fx.server.receivedBy('info@bakkerij.nl');
    expect(message?.parsed.subject).toBe('[TEST] Kerstbrood voor u');
    expect(message?.parsed.text).toContain('Bakkerij de Vries B.V.');
    expect(sent.messageId).toBe(message?.parsed.messageId);

    await expect(fx.caller.mailings.testSend({ id: mailing.id, to: 'jan@example.nl' })).rejects.toMatchObject(
      {
        cause: {
          code: 'MAILING_TEST_ADDRESS_NOT_OWN',
          text: { nl: expect.stringContaining('nooit naar een contact') },
        },
      },
    );
    expect(fx.server.messages).toHaveLength(1);
    // A test is no delivery: the mailing is still a draft with nobody queued.
    const status = await fx.caller.mailings.status({ id: mailing.id });
    expect(status.mailing.status).toBe('DRAFT');
  });
});
