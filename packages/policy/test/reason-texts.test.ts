import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  erasureReceiptText,
  CLASSIFICATIONS,
  CONSENT_METHODS,
  CONTACT_REASON_CODES,
  MAILING_REASON_CODES,
  REASON_TEXTS,
  assessMailing,
  classifyContact,
  describeClassification,
  describeMethod,
  describeVerdict,
  explainReason,
  reasonTitle,
  type Reason,
} from '../src/index.js';
import { contactArbitrary, mailingArbitrary } from './contact-arbitrary.js';
import { MAILING, NOW, customer, doi, goodFacts, soi } from '../src/testing/index.js';

const ALL_CODES = [...CONTACT_REASON_CODES, ...MAILING_REASON_CODES];
// Signs of a parameter that was not filled in.
const UNFILLED = /\?|undefined|NaN|\[object|\{|\}/;

describe('reason texts', () => {
  it.each(ALL_CODES)('%s has a Dutch and an English text and title', (code) => {
    expect(REASON_TEXTS[code]).toBeDefined();
    const reason: Reason = { code, classification: 'BLOCKED', params: {} };
    const nl = explainReason(reason, 'nl');
    const en = explainReason(reason, 'en');
    expect(nl.length).toBeGreaterThan(20);
    expect(en.length).toBeGreaterThan(20);
    expect(nl).not.toBe(en);
    expect(reasonTitle(code, 'nl')).not.toBe('');
    expect(reasonTitle(code, 'en')).not.toBe('');
  });

  it('every reason of every generated verdict is filled in completely, in both languages', () => {
    fc.assert(
      fc.property(contactArbitrary, mailingArbitrary, (contact, mailing) => {
        for (const reason of classifyContact(contact, mailing, { now: NOW }).reasons) {
          for (const lang of ['nl', 'en'] as const) expect(explainReason(reason, lang)).not.toMatch(UNFILLED);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('every mailing reason is filled in completely', () => {
    const facts = goodFacts({
      senderIdentityPresent: false,
      optOutLinkPresent: false,
      rightToObjectStatementPresent: false,
      footer: { postalAddress: false, contactEmail: true, kvkNumber: false },
      listUnsubscribe: { mailto: true, https: false, oneClick: false },
      authentication: { spfPass: true, dkimPass: true, dmarcPresent: false, aligned: false },
      previousMailing: { complaintRate: 0.002, hardBounceRate: 0.03 },
      lastAbuseNotice: { at: '2026-11-20T12:00:00Z', source: 'SPAMKLACHT' },
      blocklisted: true,
    });
    const assessment = assessMailing(
      { mailing: MAILING, facts, recipients: [{ contact: soi(), firstMarketingMailing: true }] },
      { now: NOW },
    );
    expect(assessment.reasons.map((r) => r.code)).toEqual([
      'M1',
      'M2',
      'M3',
      'M5',
      'M6',
      'M7',
      'M11',
      'M12',
      'M13',
      'M14',
      'M15',
    ]);
    for (const reason of assessment.reasons) {
      for (const lang of ['nl', 'en'] as const) expect(explainReason(reason, lang)).not.toMatch(UNFILLED);
    }
  });

  it('formats dates for nl-NL and en-GB, in Dutch time', () => {
    const reason: Reason = {
      code: 'G1',
      classification: 'BLOCKED',
      params: { unsubscribedAt: '2026-02-28T23:30:00Z' },
    };
    // 23:30 UTC is already 1 March in Amsterdam.
    expect(explainReason(reason, 'nl')).toBe(
      'Deze persoon heeft zich op 1 maart 2026 afgemeld. Stuur nooit meer marketingmail.',
    );
    expect(explainReason(reason, 'en')).toBe(
      'This person unsubscribed on 1 March 2026. Never send them marketing mail again.',
    );
  });

  it('shows entity names when given, ids otherwise', () => {
    const verdict = classifyContact(doi({ senderEntityId: 'jansen-bv' }), MAILING, { now: NOW });
    const names = { 'jansen-bv': 'Bakkerij Jansen B.V.', shop: 'Jansen Webshop' };
    expect(explainReason(verdict.reasons[0] as Reason, 'en', { names })).toContain(
      'given to Bakkerij Jansen B.V., but this mailing is sent by Jansen Webshop',
    );
    expect(explainReason(verdict.reasons[0] as Reason, 'nl')).toContain(
      'gegeven aan "jansen-bv", maar deze mailing komt van "shop"',
    );
  });

  it('lists categories and missing evidence in words', () => {
    const c8 = classifyContact(
      customer({ purchaseCategories: ['tea', 'cups'] }),
      { ...MAILING, productCategories: ['coffee'] },
      { now: NOW },
    );
    expect(explainReason(c8.reasons[0] as Reason, 'nl')).toContain(
      'gaat over coffee, en dat lijkt niet op wat deze klant kocht (tea en cups)',
    );
    const d2 = classifyContact(doi({ signupIp: undefined, confirmUserAgent: undefined }), MAILING, {
      now: NOW,
    });
    expect(explainReason(d2.reasons[0] as Reason, 'en')).toContain(
      'IP address at sign-up and browser at confirmation',
    );
  });

  it('formats rates as percentages', () => {
    const reason: Reason = { code: 'M10', classification: 'BLOCKED', params: { rate: 0.0042, limit: 0.003 } };
    expect(explainReason(reason, 'en')).toMatch(/^0\.42% .* \(the limit is 0\.3%\)/);
    expect(explainReason(reason, 'nl')).toMatch(/^0,42% .* \(de grens is 0,3%\)/);
  });

  it.each(CLASSIFICATIONS)(
    'classification %s has a title and summary in both languages',
    (classification) => {
      const nl = describeClassification(classification, 'nl');
      const en = describeClassification(classification, 'en');
      expect(nl.title).not.toBe(en.title);
      expect(nl.summary.length).toBeGreaterThan(10);
      expect(en.summary.length).toBeGreaterThan(10);
    },
  );

  it.each(CONSENT_METHODS)('method %s has a label in both languages', (method) => {
    expect(describeMethod(method, 'nl')).not.toBe(describeMethod(method, 'en'));
  });

  it('describeVerdict gives the classification text and every reason text in order', () => {
    const verdict = classifyContact(soi({ unsubscribedAt: '2026-09-01T00:00:00Z' }), MAILING, { now: NOW });
    const text = describeVerdict(verdict, 'nl');
    expect(text.title).toBe('Niet toegestaan');
    expect(text.reasons.map((r) => r.code)).toEqual(['G1', 'S1']);
    expect(text.reasons[1]?.text).toContain('op eigen risico');
  });
});

describe('erasure receipt', () => {
  it('says the kept suppression entry is pseudonymous data kept to honour the objection, with its legal basis', () => {
    const receipt = erasureReceiptText({ addressHash: 'ab'.repeat(32) });
    for (const text of [receipt.en, receipt.nl]) {
      expect(text).toContain('ab'.repeat(32));
      expect(text).toContain('17(3)');
      expect(text).toContain('21(3)');
    }
    expect(receipt.en).toContain('pseudonymous personal data, kept only to honour the objection');
    expect(receipt.nl).toContain(
      'gepseudonimiseerd persoonsgegeven, alleen bewaard om het bezwaar te respecteren',
    );
  });
});
