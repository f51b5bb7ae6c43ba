import { afterEach, describe, expect, it } from 'vitest';
import { doubleOptInConsent } from '@consent-mailer/store/testing';
import { createSendingFixture, type SendingFixture } from './sending-fixture.js';

let fx: SendingFixture;
afterEach(async () => fx.close());

describe('mailings.draft', () => {
  it('gives the edit form the stored body and settings, and what an update changed', async () => {
    fx = await createSendingFixture();
    await fx.seed([{ email: 'anna@example.nl', firstName: 'Anna', consent: doubleOptInConsent('bakkerij') }]);
    const mailing = await fx.caller.mailings.create({
      name: 'December',
      senderEntityId: 'bakkerij',
      listId: 'nieuwsbrief',
      smtpProfile: 'main',
      subject: 'Kerstbrood voor {{firstName|u}}',
      html: '<p>Beste {{firstName|klant}}, ons kerstbrood is er weer.</p>',
      productCategories: ['brood'],
      lang: 'en',
    });
    expect(await fx.caller.mailings.draft({ id: mailing.id })).toMatchObject({
      html: '<p>Beste {{firstName|klant}}, ons kerstbrood is er weer.</p>',
      text: '',
      content: 'MARKETING',
      productCategories: ['brood'],
      promotesThirdParty: false,
      lang: 'en',
      smtpProfileId: mailing.smtpProfileId,
    });
    await fx.caller.mailings.update({ id: mailing.id, html: '<p>Oliebollen!</p>', productCategories: null });
    expect(await fx.caller.mailings.draft({ id: mailing.id })).toMatchObject({
      html: '<p>Oliebollen!</p>',
      productCategories: [],
    });
    await expect(fx.caller.mailings.draft({ id: 'no-such-mailing' })).rejects.toMatchObject({
      cause: { code: 'MAILING_NOT_FOUND' },
    });
  });
});
