import { describe, expect, it } from 'vitest';
import { mayRequestReconfirmation, type ContactRecord } from '../src/index.js';
import { NOW, b2b, customer, doi, imported, paper, phone, soi, thirdParty } from '../src/testing/index.js';

describe('re-permission: who may get a confirmation request', () => {
  it.each<[string, ContactRecord, boolean, string]>([
    ['a single opt-in', soi(), true, 'ALLOWED'],
    ['a phone consent', phone(), true, 'ALLOWED'],
    ['a paper consent', paper(), true, 'ALLOWED'],
    [
      'an old double opt-in (to refresh)',
      doi({ confirmedAt: '2021-01-01T00:00:00Z', signupAt: '2021-01-01T00:00:00Z' }),
      true,
      'ALLOWED',
    ],
    ['a phone consent without evidence (U1)', phone({ phoneAgent: undefined }), false, 'BLOCKED'],
    ['an import without attestation (U1)', imported(), false, 'BLOCKED'],
    ['a third-party address (T1)', thirdParty(), false, 'BLOCKED'],
    ['an unsubscribed single opt-in (G1)', soi({ unsubscribedAt: '2026-01-01T00:00:00Z' }), false, 'BLOCKED'],
    ['a hard-bounced single opt-in (G3)', soi({ hardBounceAt: '2026-01-01T00:00:00Z' }), false, 'BLOCKED'],
    ['a customer (did not ask to be mailed)', customer(), false, 'NOT_ASKED_TO_BE_MAILED'],
    [
      'an import with attestation (did not ask)',
      imported({ attestationId: 'att' }),
      false,
      'NOT_ASKED_TO_BE_MAILED',
    ],
    ['a published business address (did not ask)', b2b(), false, 'NOT_ASKED_TO_BE_MAILED'],
  ])('%s', (_name, contact, allowed, why) => {
    const decision = mayRequestReconfirmation(contact, { now: NOW });
    expect(decision.allowed).toBe(allowed);
    expect(decision.why).toBe(why);
  });

  it('names the rule that stops it', () => {
    expect(mayRequestReconfirmation(thirdParty(), { now: NOW }).reasons.map((r) => r.code)).toEqual(['T1']);
  });
});
