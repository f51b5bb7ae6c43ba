import { describe, expect, it } from 'vitest';
import {
  classifyContact,
  createContactClassifier,
  describeVerdict,
  parseContactRecord,
  parseMailingContext,
  reasonTitle,
  type Classification,
  type ContactRecord,
  type MailingContext,
  type PolicyConfigInput,
} from '../src/index.js';
import {
  MAILING,
  NOW,
  b2b,
  codes,
  customer,
  doi,
  imported,
  paper,
  phone,
  soi,
  thirdParty,
} from '../src/testing/index.js';

type Row = [name: string, contact: ContactRecord, expected: Classification, expectedCodes: string[]];

function judge(contact: ContactRecord, mailing: MailingContext = MAILING, config?: PolicyConfigInput) {
  return classifyContact(contact, mailing, config === undefined ? { now: NOW } : { now: NOW, config });
}

function check([, contact, expected, expectedCodes]: Row, mailing: MailingContext = MAILING): void {
  const verdict = judge(contact, mailing);
  expect(codes(verdict)).toEqual(expectedCodes);
  expect(verdict.classification).toBe(expected);
}

const TRANSACTIONAL: MailingContext = { ...MAILING, content: 'TRANSACTIONAL' };

describe('G rules (every mailing)', () => {
  it.each<Row>([
    [
      'a transactional mail to a third-party address needs no marketing consent',
      thirdParty(),
      'ALLOWED_PROVEN',
      ['G0'],
    ],
    [
      'a transactional mail ignores an unsubscribe (G1 does not apply)',
      thirdParty({ unsubscribedAt: '2026-01-01T00:00:00Z' }),
      'ALLOWED_PROVEN',
      ['G0'],
    ],
    [
      'a transactional mail ignores a complaint (G2 does not apply)',
      doi({ complaintAt: '2026-01-01T00:00:00Z' }),
      'ALLOWED_PROVEN',
      ['G0'],
    ],
    [
      'a transactional mail is still stopped by a hard bounce (G3)',
      doi({ hardBounceAt: '2026-01-01T00:00:00Z' }),
      'BLOCKED',
      ['G0', 'G3'],
    ],
    [
      'a transactional mail is still stopped by soft bounces (G4)',
      doi({
        softBounces: [
          { at: '2026-10-01T00:00:00Z', mailingId: 'a' },
          { at: '2026-10-04T00:00:00Z', mailingId: 'b' },
          { at: '2026-10-08T00:00:00Z', mailingId: 'c' },
        ],
      }),
      'BLOCKED',
      ['G0', 'G4'],
    ],
  ])('G0: %s', (...row) => check(row, TRANSACTIONAL));

  it('G0: MIXED content is treated as marketing', () => {
    expect(codes(judge(thirdParty(), { ...MAILING, content: 'MIXED' }))).toEqual(['T1']);
  });

  it.each<Row>([
    ['unsubscribed', doi({ unsubscribedAt: '2026-09-01T10:00:00Z' }), 'BLOCKED', ['G1', 'D1']],
    ['objected to direct marketing', doi({ objectedAt: '2026-09-01T10:00:00Z' }), 'BLOCKED', ['G1', 'D1']],
  ])('G1: %s blocks', (...row) => check(row));

  it.each(['ARF', 'SPAMKLACHT', 'HOSTER', 'DATACENTER', 'MANUAL'] as const)(
    'G2: a complaint via %s blocks',
    (complaintSource) => {
      const verdict = judge(doi({ complaintAt: '2026-09-01T10:00:00Z', complaintSource }));
      expect(codes(verdict)).toEqual(['G2', 'D1']);
      expect(verdict.classification).toBe('BLOCKED');
      expect(verdict.reasons[0]?.params).toEqual({ complaintAt: '2026-09-01T10:00:00Z', complaintSource });
    },
  );

  it('G3: a hard bounce blocks', () => {
    check([
      '',
      doi({ hardBounceAt: '2026-09-01T10:00:00Z', hardBounceStatus: '5.1.1' }),
      'BLOCKED',
      ['G3', 'D1'],
    ]);
  });

  const bounce = (at: string, mailingId: string) => ({ at, mailingId });
  it.each<[string, Partial<ContactRecord>, boolean]>([
    [
      'the third soft bounce in distinct mailings over exactly 7 days',
      {
        softBounces: [
          bounce('2026-10-01T00:00:00Z', 'a'),
          bounce('2026-10-04T00:00:00Z', 'b'),
          bounce('2026-10-08T00:00:00Z', 'c'),
        ],
      },
      true,
    ],
    [
      'only two soft bounces',
      { softBounces: [bounce('2026-10-01T00:00:00Z', 'a'), bounce('2026-10-20T00:00:00Z', 'b')] },
      false,
    ],
    [
      'three soft bounces spanning 1 s less than 7 days',
      {
        softBounces: [
          bounce('2026-10-01T00:00:01Z', 'a'),
          bounce('2026-10-04T00:00:00Z', 'b'),
          bounce('2026-10-08T00:00:00Z', 'c'),
        ],
      },
      false,
    ],
    [
      'three soft bounces but two in the same mailing',
      {
        softBounces: [
          bounce('2026-10-01T00:00:00Z', 'a'),
          bounce('2026-10-04T00:00:00Z', 'a'),
          bounce('2026-10-08T00:00:00Z', 'c'),
        ],
      },
      false,
    ],
    [
      'three soft bounces with a delivery after the first',
      {
        lastDeliveredAt: '2026-10-02T00:00:00Z',
        softBounces: [
          bounce('2026-10-01T00:00:00Z', 'a'),
          bounce('2026-10-04T00:00:00Z', 'b'),
          bounce('2026-10-08T00:00:00Z', 'c'),
        ],
      },
      false,
    ],
    [
      'three soft bounces, the last delivery before the first',
      {
        lastDeliveredAt: '2026-09-30T00:00:00Z',
        softBounces: [
          bounce('2026-10-01T00:00:00Z', 'a'),
          bounce('2026-10-04T00:00:00Z', 'b'),
          bounce('2026-10-08T00:00:00Z', 'c'),
        ],
      },
      true,
    ],
  ])('G4: %s', (_name, over, blocked) => {
    const verdict = judge(doi(over));
    expect(codes(verdict).includes('G4')).toBe(blocked);
    expect(verdict.classification).toBe(blocked ? 'BLOCKED' : 'ALLOWED_PROVEN');
  });

  it('G4: the threshold is configurable', () => {
    const over = { softBounces: [bounce('2026-10-01T00:00:00Z', 'a'), bounce('2026-10-08T00:00:00Z', 'b')] };
    expect(judge(doi(over), MAILING, { softBounceLimit: 2 }).classification).toBe('BLOCKED');
  });

  it('G5: consent given to another legal entity blocks', () => {
    const verdict = judge(doi({ senderEntityId: 'sister-company' }));
    expect(codes(verdict)).toEqual(['G5', 'D1']);
    expect(verdict.classification).toBe('BLOCKED');
    expect(verdict.reasons[0]?.params).toEqual({
      contactEntityId: 'sister-company',
      mailingEntityId: 'shop',
    });
  });

  it.each<Row>([
    ['a list outside the scope blocks', doi({ scopeLists: ['offers'] }), 'BLOCKED', ['G6', 'D1']],
    ['an empty scope blocks', doi({ scopeLists: [] }), 'BLOCKED', ['G6', 'D1']],
    ['scope ALL covers every list', doi({ scopeLists: 'ALL' }), 'ALLOWED_PROVEN', ['D1']],
  ])('G6: %s', (...row) => check(row));

  it.each<Row>([
    [
      'an unknown recipient kind is reported and judged as a consumer',
      doi({ recipientKind: 'UNKNOWN' }),
      'ALLOWED_PROVEN',
      ['G7', 'D1'],
    ],
    ['not for customers', customer({ recipientKind: 'UNKNOWN' }), 'ALLOWED_PROVEN', ['C1']],
  ])('G7: %s', (...row) => check(row));
});

describe('D rules (web double opt-in)', () => {
  it('D1: a double opt-in with all evidence is proven', () => check(['', doi(), 'ALLOWED_PROVEN', ['D1']]));

  it.each([
    'signupIp',
    'confirmIp',
    'signupUserAgent',
    'confirmUserAgent',
    'signupAt',
    'source',
    'confirmTokenId',
  ] as const)('D2: without %s it is grey', (field) => {
    const verdict = judge(doi({ [field]: undefined }));
    expect(codes(verdict)).toEqual(['D2']);
    expect(verdict.classification).toBe('ALLOWED_GREY');
    expect(verdict.reasons[0]?.params.missing).toEqual([field]);
  });

  it('D2: a confirmation not after the sign-up is grey', () => {
    const verdict = judge(
      doi({ confirmedAt: '2026-06-01T10:00:00Z', confirmMailSentAt: '2026-06-01T09:00:00Z' }),
    );
    expect(codes(verdict)).toEqual(['D2']);
    expect(verdict.reasons[0]?.params.confirmedBeforeSignup).toBe(true);
  });

  it('D3: without the consent text version it is grey', () =>
    check(['', doi({ consentTextVersionId: undefined }), 'ALLOWED_GREY', ['D3']]));

  it.each<[string, string, Classification, string[]]>([
    ['9.999 s', '2026-06-01T10:00:10.999Z', 'ALLOWED_GREY', ['D4']],
    ['exactly 10 s', '2026-06-01T10:00:11Z', 'ALLOWED_PROVEN', ['D1']],
    ['11 s', '2026-06-01T10:00:12Z', 'ALLOWED_PROVEN', ['D1']],
  ])('D4: confirmed %s after the mail was sent', (_name, confirmedAt, expected, expectedCodes) => {
    check(['', doi({ confirmedAt }), expected, expectedCodes]);
  });

  it.each<Row>([
    [
      'without confirmation it is judged as single opt-in',
      doi({ confirmedAt: undefined }),
      'TRANSFER_RISK',
      ['D5', 'S1'],
    ],
    [
      '…and without source further as unknown origin',
      doi({ confirmedAt: undefined, source: undefined }),
      'BLOCKED',
      ['D5', 'S2', 'U1'],
    ],
  ])('D5: %s', (...row) => check(row));
});

describe('S, P, Q rules (single opt-in, phone, paper)', () => {
  it.each<Row>([
    ["S1: a documented single opt-in is at the sender's risk", soi(), 'TRANSFER_RISK', ['S1']],
    ['S2: without signupAt it is of unknown origin', soi({ signupAt: undefined }), 'BLOCKED', ['S2', 'U1']],
    ['S2: without source it is of unknown origin', soi({ source: undefined }), 'BLOCKED', ['S2', 'U1']],
    [
      'S2: without the consent text it is of unknown origin',
      soi({ consentTextVersionId: undefined }),
      'BLOCKED',
      ['S2', 'U1'],
    ],
    [
      'S2: with an import attestation it is U2',
      soi({ source: undefined, attestationId: 'att-1' }),
      'TRANSFER_RISK',
      ['S2', 'U2'],
    ],
    ["P1: a documented phone consent is at the sender's risk", phone(), 'TRANSFER_RISK', ['P1']],
    [
      'P2: without the agent it is of unknown origin',
      phone({ phoneAgent: undefined }),
      'BLOCKED',
      ['P2', 'U1'],
    ],
    [
      'P2: without the script it is of unknown origin',
      phone({ consentTextVersionId: undefined }),
      'BLOCKED',
      ['P2', 'U1'],
    ],
    [
      'P2: without signupAt it is of unknown origin',
      phone({ signupAt: undefined, attestationId: 'att-1' }),
      'TRANSFER_RISK',
      ['P2', 'U2'],
    ],
    ["Q1: a documented paper consent is at the sender's risk", paper(), 'TRANSFER_RISK', ['Q1']],
    [
      'Q2: without the scan it is of unknown origin',
      paper({ paperScanRef: undefined }),
      'BLOCKED',
      ['Q2', 'U1'],
    ],
    ['Q2: without signupAt it is of unknown origin', paper({ signupAt: undefined }), 'BLOCKED', ['Q2', 'U1']],
  ])('%s', (...row) => check(row));

  it.each([soi, phone, paper])('re-permission: a completed confirmation makes %# a double opt-in', (make) => {
    const confirmed = make({
      reconfirmedAt: '2026-07-01T10:05:00Z',
      confirmMailSentAt: '2026-07-01T10:00:00Z',
      confirmTokenId: 'token-9',
      confirmedAt: '2026-07-01T10:05:00Z',
      confirmIp: '198.51.100.7',
      confirmUserAgent: 'Safari',
      signupIp: '198.51.100.7',
      signupUserAgent: 'Safari',
      source: 'https://shop.example.nl/confirm',
    });
    expect(codes(judge(confirmed))).toEqual(['D1']);
  });
});

describe('C rules (existing customers, soft opt-in)', () => {
  it.each<Row>([
    [
      'C1: last purchase exactly 24 months ago is proven',
      customer({ lastPurchaseAt: '2024-11-28T12:00:00Z' }),
      'ALLOWED_PROVEN',
      ['C1'],
    ],
    [
      'C2: 24 months and 1 s is grey',
      customer({ lastPurchaseAt: '2024-11-28T11:59:59Z' }),
      'ALLOWED_GREY',
      ['C2'],
    ],
    [
      'C2: exactly 36 months is grey',
      customer({ lastPurchaseAt: '2023-11-28T12:00:00Z' }),
      'ALLOWED_GREY',
      ['C2'],
    ],
    [
      "C3: 36 months and 1 s is at the sender's risk",
      customer({ lastPurchaseAt: '2023-11-28T11:59:59Z' }),
      'TRANSFER_RISK',
      ['C3'],
    ],
    [
      'C1: orderAt stands in for a missing lastPurchaseAt',
      customer({ lastPurchaseAt: undefined, orderAt: '2026-01-01T00:00:00Z' }),
      'ALLOWED_PROVEN',
      ['C1'],
    ],
    ['C4: without an order reference', customer({ orderRef: undefined }), 'TRANSFER_RISK', ['C4']],
    ['C4: payment not known', customer({ orderPaid: undefined }), 'TRANSFER_RISK', ['C4']],
    [
      'C4: no purchase date at all',
      customer({ lastPurchaseAt: undefined, orderAt: undefined }),
      'TRANSFER_RISK',
      ['C4'],
    ],
    ['C5: an unpaid order (free account, trial) blocks', customer({ orderPaid: false }), 'BLOCKED', ['C5']],
    ['C6: no opt-out at collection blocks', customer({ optOutOfferedAtCollection: 'NO' }), 'BLOCKED', ['C6']],
    [
      'C6: an opt-out only in the terms blocks',
      customer({ optOutOfferedAtCollection: 'TERMS_ONLY' }),
      'BLOCKED',
      ['C6'],
    ],
    [
      'C7: opt-out at collection UNKNOWN',
      customer({ optOutOfferedAtCollection: 'UNKNOWN' }),
      'TRANSFER_RISK',
      ['C7'],
    ],
    [
      'C7: opt-out at collection not recorded',
      customer({ optOutOfferedAtCollection: undefined }),
      'TRANSFER_RISK',
      ['C7'],
    ],
    [
      'C7: opt-out YES without the collection text',
      customer({ collectionTextVersionId: undefined }),
      'TRANSFER_RISK',
      ['C7'],
    ],
    ['C8: tea is not similar to coffee', customer({ purchaseCategories: ['tea'] }), 'BLOCKED', ['C8']],
    ['C8: comparison ignores case', customer({ purchaseCategories: [' Coffee '] }), 'ALLOWED_PROVEN', ['C1']],
    [
      'C9: unknown purchase categories cannot be compared',
      customer({ purchaseCategories: undefined }),
      'ALLOWED_GREY',
      ['C9'],
    ],
    [
      'C9 + C3 together: the worst wins',
      customer({ purchaseCategories: [], lastPurchaseAt: '2020-01-01T00:00:00Z' }),
      'TRANSFER_RISK',
      ['C9', 'C3'],
    ],
  ])('%s', (...row) => check(row));

  it('C8: similar categories from the configuration count', () => {
    const verdict = judge(customer({ purchaseCategories: ['tea'] }), MAILING, {
      similarCategories: [['Coffee', 'tea', 'cups']],
    });
    expect(codes(verdict)).toEqual(['C1']);
  });

  it('C8: every category of the mailing must be similar', () => {
    const verdict = judge(customer(), { ...MAILING, productCategories: ['coffee', 'bicycles'] });
    expect(codes(verdict)).toEqual(['C8']);
    expect(verdict.reasons[0]?.params.categories).toEqual(['bicycles']);
  });

  it('C9: a mailing without product categories is grey', () => {
    check(['', customer(), 'ALLOWED_GREY', ['C9']], { ...MAILING, productCategories: undefined });
  });

  it('C10: a mailing promoting third-party products blocks customers', () => {
    check(['', customer(), 'BLOCKED', ['C10']], { ...MAILING, promotesThirdParty: true });
  });

  it('C10: does not affect double opt-ins', () => {
    check(['', doi(), 'ALLOWED_PROVEN', ['D1']], { ...MAILING, promotesThirdParty: true });
  });

  it('G5 applies to customers: a sale by another entity blocks', () => {
    check(['', customer({ senderEntityId: 'other' }), 'BLOCKED', ['G5', 'C1']]);
  });
});

describe('B, U, T rules', () => {
  it.each<Row>([
    ['B1: a published role address of a legal person is grey', b2b(), 'ALLOWED_GREY', ['B1']],
    [
      "B2: without the purpose it is at the sender's risk",
      b2b({ publishedPurpose: undefined }),
      'TRANSFER_RISK',
      ['B2'],
    ],
    ['B2: without the capture date', b2b({ publishedCapturedAt: undefined }), 'TRANSFER_RISK', ['B2']],
    ['B2: without the URL', b2b({ publishedUrl: undefined }), 'TRANSFER_RISK', ['B2']],
    [
      'B2: an unknown recipient kind cannot use the exception',
      b2b({ recipientKind: 'UNKNOWN' }),
      'TRANSFER_RISK',
      ['B2'],
    ],
    ['B2: an explicitly UNKNOWN address kind', b2b({ addressKind: 'UNKNOWN' }), 'TRANSFER_RISK', ['B2']],
    ['B3: to a consumer blocks', b2b({ recipientKind: 'CONSUMER' }), 'BLOCKED', ['B3']],
    ['B3: to a sole trader blocks', b2b({ recipientKind: 'SOLE_TRADER' }), 'BLOCKED', ['B3']],
    [
      'B3: a personal address (derived) blocks',
      b2b({ email: 'jan.devries@bakkerij.example.nl' }),
      'BLOCKED',
      ['B3'],
    ],
    ['B3: a personal address (recorded) blocks', b2b({ addressKind: 'PERSONAL' }), 'BLOCKED', ['B3']],
    ['U1: unknown origin without attestation blocks', imported(), 'BLOCKED', ['U1']],
    [
      "U2: unknown origin with attestation is at the sender's risk",
      imported({ attestationId: 'att-7' }),
      'TRANSFER_RISK',
      ['U2'],
    ],
    ['T1: third-party addresses block', thirdParty(), 'BLOCKED', ['T1']],
    ['T1: even with an attestation', thirdParty({ attestationId: 'att-7' }), 'BLOCKED', ['T1']],
  ])('%s', (...row) => check(row));
});

describe('A rules (age of the consent)', () => {
  const confirmedOn = (at: string) =>
    doi({ signupAt: at, confirmMailSentAt: at, confirmedAt: at.replace('12:00:00', '12:00:30') });
  it.each<Row>([
    [
      'last confirmation exactly 24 months ago is still proven',
      doi({
        signupAt: '2024-11-28T11:00:00Z',
        confirmMailSentAt: '2024-11-28T11:00:00Z',
        confirmedAt: '2024-11-28T12:00:00Z',
      }),
      'ALLOWED_PROVEN',
      ['D1'],
    ],
    [
      'A1: 24 months and 1 s is grey',
      doi({
        signupAt: '2024-11-28T11:00:00Z',
        confirmMailSentAt: '2024-11-28T11:00:00Z',
        confirmedAt: '2024-11-28T11:59:59Z',
      }),
      'ALLOWED_GREY',
      ['D1', 'A1'],
    ],
    [
      'A1: exactly 36 months is grey',
      doi({
        signupAt: '2023-11-28T11:00:00Z',
        confirmMailSentAt: '2023-11-28T11:00:00Z',
        confirmedAt: '2023-11-28T12:00:00Z',
      }),
      'ALLOWED_GREY',
      ['D1', 'A1'],
    ],
    [
      "A2: 36 months and 1 s is at the sender's risk",
      doi({
        signupAt: '2023-11-28T11:00:00Z',
        confirmMailSentAt: '2023-11-28T11:00:00Z',
        confirmedAt: '2023-11-28T11:59:59Z',
      }),
      'TRANSFER_RISK',
      ['D1', 'A2'],
    ],
    [
      'a recent click renews it',
      { ...confirmedOn('2020-01-01T12:00:00Z'), lastEngagedAt: '2026-10-01T00:00:00Z' },
      'ALLOWED_PROVEN',
      ['D1'],
    ],
    [
      'a re-confirmation renews it',
      { ...confirmedOn('2020-01-01T12:00:00Z'), reconfirmedAt: '2026-10-01T00:00:00Z' },
      'ALLOWED_PROVEN',
      ['D1'],
    ],
    [
      'A2 also applies to single opt-in',
      soi({ signupAt: '2022-01-01T00:00:00Z' }),
      'TRANSFER_RISK',
      ['S1', 'A2'],
    ],
    [
      'A1 is reported for phone consent (the worse P1 wins)',
      phone({ signupAt: '2024-01-01T00:00:00Z' }),
      'TRANSFER_RISK',
      ['P1', 'A1'],
    ],
    [
      'A2 applies to paper consent',
      paper({ signupAt: '2022-01-01T00:00:00Z' }),
      'TRANSFER_RISK',
      ['Q1', 'A2'],
    ],
    [
      'not for customers (C2/C3 judge their age)',
      customer({ signupAt: '2020-01-01T00:00:00Z' }),
      'ALLOWED_PROVEN',
      ['C1'],
    ],
  ])('%s', (...row) => check(row));

  it('the 24 months are configurable', () => {
    const verdict = judge(doi(), MAILING, { greyAfterMonths: 3, transferRiskAfterMonths: 60 });
    expect(codes(verdict)).toEqual(['D1', 'A1']);
  });
});

describe('worst wins, all ids reported', () => {
  it('reports every matching rule and takes the worst', () => {
    const verdict = judge(
      soi({ unsubscribedAt: '2026-09-01T00:00:00Z', scopeLists: ['other'], recipientKind: 'UNKNOWN' }),
    );
    expect(codes(verdict)).toEqual(['G1', 'G6', 'G7', 'S1']);
    expect(verdict.classification).toBe('BLOCKED');
  });

  it('rejects an invalid now with a UserError', () => {
    expect(() => classifyContact(doi(), MAILING, { now: 'yesterday' })).toThrow(
      expect.objectContaining({ code: 'POLICY_INVALID_NOW' }),
    );
  });

  it('a classifier built once gives the same verdicts as classifyContact', () => {
    const classify = createContactClassifier(MAILING, { now: new Date(NOW) });
    for (const contact of [doi(), soi(), customer(), b2b(), imported(), thirdParty()]) {
      expect(classify(contact)).toEqual(judge(contact));
    }
  });
});

describe('purchase dates', () => {
  it('the later of lastPurchaseAt and orderAt counts', () => {
    expect(
      codes(
        classifyContact(
          customer({ lastPurchaseAt: '2020-01-01T00:00:00Z', orderAt: '2026-01-01T00:00:00Z' }),
          MAILING,
          { now: NOW },
        ),
      ),
    ).toEqual(['C1']);
  });
});

describe('C rules after CJEU C-654/23 (Inteligo Media): the customer relationship', () => {
  it.each<Row>([
    [
      'a recorded paid order counts like orderPaid true',
      customer({ orderPaid: undefined, customerRelationship: 'PAID_ORDER' }),
      'ALLOWED_PROVEN',
      ['C1'],
    ],
    [
      'a paid order with orderPaid true is still proven',
      customer({ customerRelationship: 'PAID_ORDER' }),
      'ALLOWED_PROVEN',
      ['C1'],
    ],
    [
      'C11: the free tier of a paid service is at your own risk',
      customer({ orderPaid: false, customerRelationship: 'FREE_TIER_OF_PAID_SERVICE' }),
      'TRANSFER_RISK',
      ['C11'],
    ],
    [
      'C11: also without orderPaid recorded (a free tier is unpaid by definition)',
      customer({ orderPaid: undefined, customerRelationship: 'FREE_TIER_OF_PAID_SERVICE' }),
      'TRANSFER_RISK',
      ['C11'],
    ],
    [
      'C11: the recorded free tier wins over orderPaid true (never better than the relationship)',
      customer({ customerRelationship: 'FREE_TIER_OF_PAID_SERVICE' }),
      'TRANSFER_RISK',
      ['C11'],
    ],
    [
      'C11 still needs the other soft opt-in conditions: no opt-out at collection blocks',
      customer({ customerRelationship: 'FREE_TIER_OF_PAID_SERVICE', optOutOfferedAtCollection: 'NO' }),
      'BLOCKED',
      ['C11', 'C6'],
    ],
    [
      'C11 still needs similar products',
      customer({ customerRelationship: 'FREE_TIER_OF_PAID_SERVICE', purchaseCategories: ['bikes'] }),
      'BLOCKED',
      ['C11', 'C8'],
    ],
    [
      'C5: free only stays blocked',
      customer({ orderPaid: undefined, customerRelationship: 'FREE_ONLY' }),
      'BLOCKED',
      ['C5'],
    ],
    [
      'C5: free only blocks even with orderPaid true (the worse fact wins)',
      customer({ customerRelationship: 'FREE_ONLY' }),
      'BLOCKED',
      ['C5'],
    ],
    [
      'C5: a claimed paid order that was not paid blocks',
      customer({ orderPaid: false, customerRelationship: 'PAID_ORDER' }),
      'BLOCKED',
      ['C5'],
    ],
    [
      'backwards compatible: orderPaid false without a relationship is C5 as before',
      customer({ orderPaid: false }),
      'BLOCKED',
      ['C5'],
    ],
    [
      'backwards compatible: no relationship and no orderPaid is C4 as before',
      customer({ orderPaid: undefined }),
      'TRANSFER_RISK',
      ['C4'],
    ],
    [
      'the relationship only matters for CUSTOMER records',
      doi({ customerRelationship: 'FREE_ONLY' }),
      'ALLOWED_PROVEN',
      ['D1'],
    ],
  ])('%s', (...row) => check(row));

  it('C11 names both the ruling and the ACM reading, in Dutch and in English', () => {
    const verdict = judge(customer({ customerRelationship: 'FREE_TIER_OF_PAID_SERVICE' }));
    const reason = verdict.reasons.find((item) => item.code === 'C11');
    expect(reason?.params).toEqual({ ruling: 'C-654/23' });
    const en = describeVerdict(verdict, 'en').reasons[0]?.text ?? '';
    const nl = describeVerdict(verdict, 'nl').reasons[0]?.text ?? '';
    for (const text of [en, nl]) {
      expect(text).toContain('C-654/23');
      expect(text).toContain('Inteligo Media');
      expect(text).toContain('ACM');
    }
    expect(en).toContain('13 November 2025');
    expect(nl).toContain('13 november 2025');
    expect(reasonTitle('C11', 'nl')).toBe('gratis variant van een betaalde dienst');
  });

  it('C5 for a recorded free-only relationship says nothing was sold', () => {
    const verdict = judge(customer({ customerRelationship: 'FREE_ONLY', orderRef: 'ACC-9' }));
    expect(verdict.reasons[0]?.params).toEqual({ orderRef: 'ACC-9', relationship: 'FREE_ONLY' });
    expect(describeVerdict(verdict, 'en').reasons[0]?.text).toContain('Nothing was sold');
    expect(describeVerdict(verdict, 'nl').reasons[0]?.text).toContain('Er is niets verkocht');
  });

  it('parseContactRecord accepts the relationship and refuses an unknown one', () => {
    expect(
      parseContactRecord(customer({ customerRelationship: 'FREE_TIER_OF_PAID_SERVICE' }))
        .customerRelationship,
    ).toBe('FREE_TIER_OF_PAID_SERVICE');
    expect(() => parseContactRecord({ ...customer(), customerRelationship: 'FREEMIUM' })).toThrow(
      /customerRelationship/,
    );
  });
});

describe('K1: per-recipient tracking needs the contact’s consent (EDPB Guidelines 2/2023)', () => {
  const pixel: MailingContext = { ...MAILING, tracking: { openPixel: true, clickRedirect: false } };
  const clicks: MailingContext = { ...MAILING, tracking: { openPixel: false, clickRedirect: true } };
  const both: MailingContext = { ...MAILING, tracking: { openPixel: true, clickRedirect: true } };
  const off: MailingContext = { ...MAILING, tracking: { openPixel: false, clickRedirect: false } };
  const consented = doi({ trackingConsentAt: '2026-06-01T10:05:00Z' });

  it.each<[string, ContactRecord, MailingContext, Classification, string[]]>([
    ['tracking absent: as before', doi(), MAILING, 'ALLOWED_PROVEN', ['D1']],
    ['tracking explicitly off: as before', doi(), off, 'ALLOWED_PROVEN', ['D1']],
    ['an open pixel without tracking consent blocks', doi(), pixel, 'BLOCKED', ['K1', 'D1']],
    ['a click redirect without tracking consent blocks', doi(), clicks, 'BLOCKED', ['K1', 'D1']],
    ['both without tracking consent block', doi(), both, 'BLOCKED', ['K1', 'D1']],
    ['with recorded tracking consent the pixel is fine', consented, pixel, 'ALLOWED_PROVEN', ['D1']],
    ['with recorded tracking consent both are fine', consented, both, 'ALLOWED_PROVEN', ['D1']],
    [
      'transactional mail is covered too (art. 5(3) is not about marketing)',
      doi(),
      { ...both, content: 'TRANSACTIONAL' },
      'BLOCKED',
      ['K1', 'G0'],
    ],
    [
      'tracking consent does not replace marketing consent',
      thirdParty({ trackingConsentAt: '2026-06-01T10:05:00Z' }),
      both,
      'BLOCKED',
      ['T1'],
    ],
  ])('%s', (_name, contact, mailing, expected, expectedCodes) => {
    const verdict = judge(contact, mailing);
    expect(codes(verdict)).toEqual(expectedCodes);
    expect(verdict.classification).toBe(expected);
  });

  it('says what is measured, why it needs consent and what to do, in Dutch and in English', () => {
    const text = (mailing: MailingContext, lang: 'nl' | 'en') =>
      describeVerdict(judge(doi(), mailing), lang).reasons[0]?.text ?? '';
    expect(text(pixel, 'en')).toContain('opens with a tracking pixel');
    expect(text(clicks, 'en')).toContain('clicks with per-person links');
    expect(text(both, 'en')).toContain('EDPB Guidelines 2/2023');
    expect(text(both, 'en')).toContain('Send it to them without tracking, or leave them out.');
    expect(text(pixel, 'nl')).toContain('trackingpixel');
    expect(text(both, 'nl')).toContain('EDPB-richtsnoeren 2/2023');
    expect(text(both, 'nl')).toContain('Stuur hun de mail zonder meten');
  });

  it('parseMailingContext accepts tracking and parseContactRecord the consent time', () => {
    expect(parseMailingContext(both).tracking).toEqual({ openPixel: true, clickRedirect: true });
    expect(parseContactRecord(consented).trackingConsentAt).toBe('2026-06-01T10:05:00Z');
    expect(() => parseContactRecord({ ...doi(), trackingConsentAt: 'yesterday' })).toThrow(
      /trackingConsentAt/,
    );
  });
});
