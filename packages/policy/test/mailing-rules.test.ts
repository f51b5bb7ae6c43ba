import { describe, expect, it } from 'vitest';
import {
  assessMailing,
  computeRecipientSetHash,
  POLICY_VERSION,
  type AcknowledgementCoverage,
  type Classification,
  type ContactRecord,
  type MailingContext,
  type MailingFacts,
} from '../src/index.js';
import {
  MAILING,
  NOW,
  codes,
  customer,
  doi,
  goodFacts,
  imported,
  soi,
  thirdParty,
} from '../src/testing/index.js';

function assess(
  facts: MailingFacts,
  contacts: ContactRecord[] = [doi()],
  options: {
    mailing?: MailingContext;
    firstMarketingMailing?: boolean;
    acknowledgement?: AcknowledgementCoverage;
  } = {},
) {
  return assessMailing(
    {
      mailing: options.mailing ?? MAILING,
      facts,
      recipients: contacts.map((contact) => ({
        contact,
        firstMarketingMailing: options.firstMarketingMailing ?? false,
      })),
      ...(options.acknowledgement ? { acknowledgement: options.acknowledgement } : {}),
    },
    { now: NOW },
  );
}

type Row = [name: string, facts: MailingFacts, expected: Classification, expectedCodes: string[]];

describe('mailing rules M1–M14', () => {
  it('a clean mailing to proven contacts is proven and has no reasons', () => {
    const assessment = assess(goodFacts());
    expect(assessment.classification).toBe('ALLOWED_PROVEN');
    expect(assessment.reasons).toEqual([]);
    expect(assessment.policyVersion).toBe(POLICY_VERSION);
  });

  it.each<Row>([
    ['M1: no sender identity', goodFacts({ senderIdentityPresent: false }), 'BLOCKED', ['M1']],
    ['M2: no opt-out link', goodFacts({ optOutLinkPresent: false }), 'BLOCKED', ['M2']],
    [
      'M3: not a first mailing, so the missing statement does not matter',
      goodFacts({ rightToObjectStatementPresent: false }),
      'ALLOWED_PROVEN',
      [],
    ],
    [
      'M5: footer without postal address',
      goodFacts({ footer: { postalAddress: false, contactEmail: true, kvkNumber: true } }),
      'ALLOWED_GREY',
      ['M5'],
    ],
    [
      'M5: footer without contact e-mail',
      goodFacts({ footer: { postalAddress: true, contactEmail: false, kvkNumber: true } }),
      'ALLOWED_GREY',
      ['M5'],
    ],
    [
      'M5: footer without KvK number',
      goodFacts({ footer: { postalAddress: true, contactEmail: true, kvkNumber: false } }),
      'ALLOWED_GREY',
      ['M5'],
    ],
    [
      'M6: no List-Unsubscribe at all',
      goodFacts({ listUnsubscribe: { mailto: false, https: false, oneClick: false } }),
      'BLOCKED',
      ['M6'],
    ],
    [
      'M6: mailto only, 4,999 a day',
      goodFacts({
        listUnsubscribe: { mailto: true, https: false, oneClick: false },
        expectedDailyVolumeToBigProvider: 4999,
      }),
      'ALLOWED_GREY',
      ['M6'],
    ],
    [
      'M6: mailto only, 5,000 a day',
      goodFacts({
        listUnsubscribe: { mailto: true, https: false, oneClick: false },
        expectedDailyVolumeToBigProvider: 5000,
      }),
      'BLOCKED',
      ['M6'],
    ],
    [
      'M6: https without One-Click, 4,999 a day',
      goodFacts({
        listUnsubscribe: { mailto: false, https: true, oneClick: false },
        expectedDailyVolumeToBigProvider: 4999,
      }),
      'ALLOWED_GREY',
      ['M6'],
    ],
    [
      'M6: https without One-Click, 5,000 a day',
      goodFacts({
        listUnsubscribe: { mailto: false, https: true, oneClick: false },
        expectedDailyVolumeToBigProvider: 5000,
      }),
      'BLOCKED',
      ['M6'],
    ],
    [
      'M7: SPF and DKIM both failing',
      goodFacts({ authentication: { spfPass: false, dkimPass: false, dmarcPresent: true, aligned: true } }),
      'BLOCKED',
      ['M7'],
    ],
    [
      'M7: SPF failing but DKIM passing is fine',
      goodFacts({ authentication: { spfPass: false, dkimPass: true, dmarcPresent: true, aligned: true } }),
      'ALLOWED_PROVEN',
      [],
    ],
    [
      'M7: no DMARC, 4,999 a day',
      goodFacts({
        authentication: { spfPass: true, dkimPass: true, dmarcPresent: false, aligned: true },
        expectedDailyVolumeToBigProvider: 4999,
      }),
      'ALLOWED_GREY',
      ['M7'],
    ],
    [
      'M7: no DMARC, 5,000 a day',
      goodFacts({
        authentication: { spfPass: true, dkimPass: true, dmarcPresent: false, aligned: true },
        expectedDailyVolumeToBigProvider: 5000,
      }),
      'BLOCKED',
      ['M7'],
    ],
    [
      'M7: not aligned, 4,999 a day',
      goodFacts({
        authentication: { spfPass: true, dkimPass: true, dmarcPresent: true, aligned: false },
        expectedDailyVolumeToBigProvider: 4999,
      }),
      'ALLOWED_GREY',
      ['M7'],
    ],
    [
      'M7: not aligned, 5,000 a day',
      goodFacts({
        authentication: { spfPass: true, dkimPass: true, dmarcPresent: true, aligned: false },
        expectedDailyVolumeToBigProvider: 5000,
      }),
      'BLOCKED',
      ['M7'],
    ],
    [
      'M10: complaint rate exactly 0.3%',
      goodFacts({ previousMailing: { complaintRate: 0.003, hardBounceRate: 0 } }),
      'BLOCKED',
      ['M10'],
    ],
    [
      'M11: complaint rate just under 0.3%',
      goodFacts({ previousMailing: { complaintRate: 0.00299, hardBounceRate: 0 } }),
      'ALLOWED_GREY',
      ['M11'],
    ],
    [
      'M11: complaint rate exactly 0.1%',
      goodFacts({ previousMailing: { complaintRate: 0.001, hardBounceRate: 0 } }),
      'ALLOWED_GREY',
      ['M11'],
    ],
    [
      'complaint rate just under 0.1% is fine',
      goodFacts({ previousMailing: { complaintRate: 0.00099, hardBounceRate: 0 } }),
      'ALLOWED_PROVEN',
      [],
    ],
    [
      'M12: hard bounces just over 5%',
      goodFacts({ previousMailing: { complaintRate: 0, hardBounceRate: 0.0501 } }),
      'BLOCKED',
      ['M12'],
    ],
    [
      'M12: hard bounces exactly 5% are grey',
      goodFacts({ previousMailing: { complaintRate: 0, hardBounceRate: 0.05 } }),
      'ALLOWED_GREY',
      ['M12'],
    ],
    [
      'M12: hard bounces exactly 2% are grey',
      goodFacts({ previousMailing: { complaintRate: 0, hardBounceRate: 0.02 } }),
      'ALLOWED_GREY',
      ['M12'],
    ],
    [
      'hard bounces just under 2% are fine',
      goodFacts({ previousMailing: { complaintRate: 0, hardBounceRate: 0.0199 } }),
      'ALLOWED_PROVEN',
      [],
    ],
    [
      'M13: an abuse notice exactly 30 days ago',
      goodFacts({ lastAbuseNotice: { at: '2026-10-29T12:00:00Z', source: 'SPAMKLACHT' } }),
      'TRANSFER_RISK',
      ['M13'],
    ],
    [
      'M13: an abuse notice 30 days and 1 s ago no longer counts',
      goodFacts({ lastAbuseNotice: { at: '2026-10-29T11:59:59Z', source: 'HOSTER' } }),
      'ALLOWED_PROVEN',
      [],
    ],
    ['M14: blocklisted', goodFacts({ blocklisted: true }), 'BLOCKED', ['M14']],
    ['M14: not blocklisted', goodFacts({ blocklisted: false }), 'ALLOWED_PROVEN', []],
  ])('%s', (_name, facts, expected, expectedCodes) => {
    const assessment = assess(facts);
    expect(codes(assessment)).toEqual(expectedCodes);
    expect(assessment.classification).toBe(expected);
  });

  it('M3: a first mailing without the right-to-object statement blocks', () => {
    const assessment = assess(
      goodFacts({ rightToObjectStatementPresent: false }),
      [doi(), doi({ email: 'b@example.nl' })],
      { firstMarketingMailing: true },
    );
    expect(codes(assessment)).toEqual(['M3']);
    expect(assessment.reasons[0]?.params.count).toBe(2);
    expect(assessment.classification).toBe('BLOCKED');
  });

  it('M3: blocked first-time recipients do not count (they get nothing)', () => {
    const assessment = assess(goodFacts({ rightToObjectStatementPresent: false }), [thirdParty()], {
      firstMarketingMailing: true,
    });
    expect(codes(assessment)).toEqual([]);
  });

  it('M1, M2, M3, M5, M6 do not apply to transactional mail; M7 does', () => {
    const facts = goodFacts({
      senderIdentityPresent: false,
      optOutLinkPresent: false,
      rightToObjectStatementPresent: false,
      footer: { postalAddress: false, contactEmail: false, kvkNumber: false },
      listUnsubscribe: { mailto: false, https: false, oneClick: false },
      authentication: { spfPass: false, dkimPass: false, dmarcPresent: false, aligned: false },
    });
    const assessment = assess(facts, [doi()], {
      mailing: { ...MAILING, content: 'TRANSACTIONAL' },
      firstMarketingMailing: true,
    });
    expect(codes(assessment)).toEqual(['M7']);
  });

  it('thresholds are configurable', () => {
    const assessment = assessMailing(
      {
        mailing: MAILING,
        facts: goodFacts({ previousMailing: { complaintRate: 0.002, hardBounceRate: 0 } }),
        recipients: [],
      },
      { now: NOW, config: { complaintRateBlocked: 0.002 } },
    );
    expect(codes(assessment)).toEqual(['M10']);
  });

  it('invalid facts are refused with the field named', () => {
    const facts = { ...goodFacts(), footer: { postalAddress: 'yes' } } as unknown as MailingFacts;
    expect(() => assess(facts)).toThrow(/facts\.footer\.postalAddress/);
  });
});

describe('recipient partition and M15', () => {
  const contacts = [
    doi({ email: 'proven@example.nl' }),
    customer({ email: 'grey@example.nl', lastPurchaseAt: '2024-01-01T00:00:00Z' }),
    soi({ email: 'Risk1@Example.NL' }),
    imported({ email: 'risk2@example.nl', attestationId: 'att-1' }),
    thirdParty({ email: 'blocked@example.nl' }),
    doi({ email: 'unsub@example.nl', unsubscribedAt: '2026-09-01T00:00:00Z' }),
  ];
  const riskHash = computeRecipientSetHash(['Risk1@example.nl', 'risk2@example.nl']);

  it('without an acknowledgement, TRANSFER_RISK recipients are held back and the rest proceeds (M15)', () => {
    const assessment = assess(goodFacts(), contacts);
    expect(assessment.included.map((r) => r.email)).toEqual(['proven@example.nl', 'grey@example.nl']);
    expect(assessment.needsAcknowledgement.map((r) => r.email)).toEqual([
      'Risk1@Example.NL',
      'risk2@example.nl',
    ]);
    expect(assessment.excluded.map((r) => r.email)).toEqual(['blocked@example.nl', 'unsub@example.nl']);
    expect(assessment.excluded[1]?.reasons.map((r) => r.code)).toEqual(['G1', 'D1']);
    expect(codes(assessment)).toEqual(['M15']);
    expect(assessment.reasons[0]?.params).toEqual({ count: 2, acknowledgementStatus: 'MISSING' });
    expect(assessment.classification).toBe('ALLOWED_GREY');
    expect(assessment.acknowledgementStatus).toBe('MISSING');
    expect(assessment.recipientSetHash).toBe(riskHash);
  });

  it('counts per class, per method and per reason', () => {
    const { counts, transferRisk } = assess(goodFacts(), contacts);
    expect(counts).toMatchObject({ total: 6, included: 2, excluded: 2, needsAcknowledgement: 2 });
    expect(counts.byClassification).toEqual({
      ALLOWED_PROVEN: 1,
      ALLOWED_GREY: 1,
      TRANSFER_RISK: 2,
      BLOCKED: 2,
    });
    expect(counts.byMethod).toMatchObject({
      WEB_DOI: 2,
      CUSTOMER: 1,
      WEB_SOI: 1,
      IMPORTED_UNKNOWN: 1,
      THIRD_PARTY: 1,
      PHONE: 0,
    });
    expect(counts.byReason).toEqual({ D1: 2, C2: 1, S1: 1, U2: 1, T1: 1, G1: 1 });
    expect(transferRisk).toMatchObject({ total: 2, byReason: { S1: 1, U2: 1 } });
    expect(transferRisk.byMethod).toMatchObject({ WEB_SOI: 1, IMPORTED_UNKNOWN: 1 });
  });

  it('a matching acknowledgement includes them and the mailing becomes TRANSFER_RISK', () => {
    const assessment = assess(goodFacts(), contacts, { acknowledgement: { recipientSetHash: riskHash } });
    expect(assessment.acknowledgementStatus).toBe('VALID');
    expect(assessment.included.map((r) => r.email)).toEqual([
      'proven@example.nl',
      'grey@example.nl',
      'Risk1@Example.NL',
      'risk2@example.nl',
    ]);
    expect(assessment.needsAcknowledgement).toEqual([]);
    expect(assessment.excluded).toHaveLength(2);
    expect(codes(assessment)).toEqual([]);
    expect(assessment.classification).toBe('TRANSFER_RISK');
  });

  it('an acknowledgement for another recipient set does not cover them', () => {
    const other = computeRecipientSetHash(['risk2@example.nl']);
    const assessment = assess(goodFacts(), contacts, { acknowledgement: { recipientSetHash: other } });
    expect(assessment.acknowledgementStatus).toBe('MISMATCH');
    expect(assessment.needsAcknowledgement).toHaveLength(2);
    expect(assessment.reasons[0]?.params.acknowledgementStatus).toBe('MISMATCH');
  });

  it('an acknowledgement lapses on a blocklisting (M14) or a high complaint rate (M10)', () => {
    for (const facts of [
      goodFacts({ blocklisted: true }),
      goodFacts({ previousMailing: { complaintRate: 0.01, hardBounceRate: 0 } }),
    ]) {
      const assessment = assess(facts, contacts, { acknowledgement: { recipientSetHash: riskHash } });
      expect(assessment.acknowledgementStatus).toBe('LAPSED');
      expect(assessment.needsAcknowledgement).toHaveLength(2);
      expect(assessment.classification).toBe('BLOCKED');
    }
  });

  it('an abuse notice after signing makes it lapse; one known at signing does not (M13)', () => {
    const facts = goodFacts({ lastAbuseNotice: { at: '2026-11-20T12:00:00Z', source: 'DATACENTER' } });
    const before = assess(facts, contacts, {
      acknowledgement: { recipientSetHash: riskHash, signedAt: '2026-11-19T12:00:00Z' },
    });
    expect(before.acknowledgementStatus).toBe('LAPSED');
    const after = assess(facts, contacts, {
      acknowledgement: { recipientSetHash: riskHash, signedAt: '2026-11-21T12:00:00Z' },
    });
    expect(after.acknowledgementStatus).toBe('VALID');
    expect(after.included).toHaveLength(4);
  });

  it('M13 needs an acknowledgement even without TRANSFER_RISK recipients', () => {
    const facts = goodFacts({ lastAbuseNotice: { at: '2026-11-20T12:00:00Z', source: 'ACM' } });
    const assessment = assess(facts, [doi()]);
    expect(assessment.acknowledgementStatus).toBe('MISSING');
    expect(assessment.classification).toBe('TRANSFER_RISK');
  });

  it('the recipient-set hash ignores order and duplicates', () => {
    const reversed = assess(goodFacts(), [...contacts].reverse());
    expect(reversed.recipientSetHash).toBe(riskHash);
  });

  it('no TRANSFER_RISK recipients: no acknowledgement needed, the hash is that of the empty set', () => {
    const assessment = assess(goodFacts(), [doi()]);
    expect(assessment.acknowledgementStatus).toBe('NOT_NEEDED');
    expect(assessment.recipientSetHash).toBe(computeRecipientSetHash([]));
  });
});
