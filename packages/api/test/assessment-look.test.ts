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
  html: '<p>Ons kerstbrood is er weer.</p>',
};

/** What a look must never change: the ledger, the stored assessments and each contact's recorded class. */
function written(f: SendingFixture) {
  const one = (query: string) => (f.store.sqlite.prepare(query).get() as { n: number }).n;
  return {
    events: one('SELECT count(*) AS n FROM event'),
    assessments: one('SELECT count(*) AS n FROM assessment'),
    classified: one('SELECT count(*) AS n FROM contact WHERE last_classification IS NOT NULL'),
  };
}

describe('looking at a mailing’s assessment', () => {
  it('shows the verdict in both languages and writes nothing; an explicit assess records it', async () => {
    fx = await createSendingFixture();
    await fx.seed([
      { email: 'jan@example.nl', consent: doubleOptInConsent('bakkerij') },
      {
        email: 'gekocht@example.nl',
        consent: { method: 'THIRD_PARTY', senderEntityId: 'bakkerij', scopeLists: 'ALL' },
      },
    ]);
    const mailing = await fx.caller.mailings.create(MAILING);
    const before = written(fx);

    const look = await fx.caller.mailings.assessment({ id: mailing.id });
    expect(look.nl.counts).toMatchObject({ total: 2, included: 1, excluded: 1 });
    expect(look.en.counts).toEqual(look.nl.counts);
    const bought = (lang: 'nl' | 'en') =>
      look[lang].excluded.find((r) => r.email === 'gekocht@example.nl')?.reasons[0]?.text;
    // One run of the rules, both languages: a language switch re-renders instead of assessing again.
    expect(bought('nl')).toBeTruthy();
    expect(bought('en')).toBeTruthy();
    expect(bought('nl')).not.toEqual(bought('en'));
    await fx.caller.mailings.assessment({ id: mailing.id });
    expect(written(fx)).toEqual(before);
    expect((await fx.caller.mailings.status({ id: mailing.id })).mailing.status).toBe('DRAFT');

    const recorded = await fx.caller.mailings.assess({ id: mailing.id, lang: 'en' });
    expect(recorded.counts).toEqual(look.en.counts);
    const after = written(fx);
    expect(after.assessments).toBe(before.assessments + 1);
    expect(after.classified).toBe(2);
    expect(after.events).toBeGreaterThan(before.events);
    expect((await fx.caller.mailings.status({ id: mailing.id })).mailing.status).toBe('ASSESSED');
  });
});

describe('role addresses in an assessment', () => {
  it('names the general addresses that would be mailed, not those the rules hold back', async () => {
    fx = await createSendingFixture();
    await fx.seed([
      { email: 'jan@example.nl', consent: doubleOptInConsent('bakkerij') },
      { email: 'info@example.nl', consent: doubleOptInConsent('bakkerij') },
      { email: 'verkoop@example.nl', consent: doubleOptInConsent('bakkerij') },
      {
        email: 'sales@example.nl',
        consent: { method: 'THIRD_PARTY', senderEntityId: 'bakkerij', scopeLists: 'ALL' },
      },
    ]);
    const mailing = await fx.caller.mailings.create(MAILING);
    const assessed = await fx.caller.mailings.assess({ id: mailing.id, lang: 'nl' });
    // sales@ is a role address too, but bought addresses are never mailed: not worth a warning.
    expect(assessed.roleAddresses).toEqual({ count: 2, sample: ['info@example.nl', 'verkoop@example.nl'] });
  });
});
