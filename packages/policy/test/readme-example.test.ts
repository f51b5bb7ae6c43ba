import {
  assessMailing,
  classifyContact,
  describeVerdict,
  renderAcknowledgement,
  computeRecipientSetHash,
  type ContactRecord,
  type MailingContext,
  type MailingFacts,
} from '../src/index.js';
import { expect, it } from 'vitest';
// The worked example of README.md, with its comments turned into assertions: the README cannot drift.
it('runs the README example', () => {
  const now = '2026-11-28T12:00:00Z';
  const mailing: MailingContext = {
    id: 'kerst-2026',
    senderEntityId: 'bakkerij-jansen',
    listId: 'nieuwsbrief',
    content: 'MARKETING',
    productCategories: ['bread'],
  };

  const anna: ContactRecord = {
    email: 'anna@example.nl',
    recipientKind: 'CONSUMER',
    method: 'WEB_DOI',
    senderEntityId: 'bakkerij-jansen',
    scopeLists: ['nieuwsbrief'],
    signupAt: '2026-03-01T09:00:00Z',
    signupIp: '203.0.113.7',
    signupUserAgent: 'Firefox/140',
    source: 'https://bakkerij-jansen.nl/nieuwsbrief',
    consentTextVersionId: 'nieuwsbrief-tekst-2',
    confirmMailSentAt: '2026-03-01T09:00:02Z',
    confirmTokenId: 'c0ffee',
    confirmedAt: '2026-03-01T09:04:40Z',
    confirmIp: '203.0.113.7',
    confirmUserAgent: 'Firefox/140',
  };

  const bram: ContactRecord = {
    email: 'bram@example.nl',
    recipientKind: 'CONSUMER',
    method: 'CUSTOMER',
    senderEntityId: 'bakkerij-jansen',
    scopeLists: 'ALL',
    orderRef: 'ORD-1017',
    orderPaid: true,
    lastPurchaseAt: '2022-05-14T15:00:00Z',
    purchaseCategories: ['cake'],
    optOutOfferedAtCollection: 'YES',
    collectionTextVersionId: 'checkout-1',
  };

  const cor: ContactRecord = {
    email: 'cor@example.nl',
    recipientKind: 'UNKNOWN',
    method: 'IMPORTED_UNKNOWN',
    senderEntityId: 'bakkerij-jansen',
    scopeLists: 'ALL',
    attestationId: 'import-2024-01',
  };

  expect(classifyContact(anna, mailing, { now }).classification).toEqual('ALLOWED_PROVEN');

  const verdict = classifyContact(bram, mailing, { now, config: { similarCategories: [['bread', 'cake']] } });
  expect(verdict.classification).toEqual('TRANSFER_RISK');
  expect(describeVerdict(verdict, 'nl').reasons[0]?.text).toBe(
    'De laatste aankoop was op 14 mei 2022, meer dan 36 maanden geleden. Dat telt niet meer als huidige klant, dus mailen is op eigen risico.',
  );
  // 'De laatste aankoop was op 14 mei 2022, meer dan 36 maanden geleden. Dat telt niet meer als huidige
  //  klant, dus mailen is op eigen risico.'

  const facts: MailingFacts = {
    senderIdentityPresent: true,
    optOutLinkPresent: true,
    rightToObjectStatementPresent: true,
    footer: { postalAddress: true, contactEmail: true, kvkNumber: true },
    listUnsubscribe: { mailto: true, https: true, oneClick: true },
    authentication: { spfPass: true, dkimPass: true, dmarcPresent: true, aligned: true },
    expectedDailyVolumeToBigProvider: 300,
    previousMailing: { complaintRate: 0.0004, hardBounceRate: 0.008 },
  };
  const recipients = [anna, cor].map((contact) => ({ contact, firstMarketingMailing: false }));
  const assessment = assessMailing({ mailing, facts, recipients }, { now });

  expect(assessment.included.map((r) => r.email)).toEqual(['anna@example.nl']);
  expect(assessment.needsAcknowledgement.map((r) => r.email)).toEqual(['cor@example.nl']);
  expect(assessment.needsAcknowledgement[0]?.reasons.map((r) => r.code)).toEqual(['G7', 'U2']);
  expect(assessment.reasons.map((r) => r.code)).toEqual(['M15']);
  expect(assessment.recipientSetHash).toBe(computeRecipientSetHash(['cor@example.nl']));

  const ack = renderAcknowledgement({
    assessment,
    signer: { name: 'Joke Jansen', role: 'eigenaar' },
    entity: { legalName: 'Bakkerij Jansen B.V.', kvkNumber: '12345678' },
    mailing: { id: mailing.id, subject: 'Kerstbrood' },
    signedAt: now,
    lang: 'nl',
  });
  expect(ack.statements.map((s) => s.id).slice(0, 2)).toEqual([
    'SENDER_AND_CONTROLLER',
    'CONSENT_EVIDENCE_ON_REQUEST',
  ]); // ['SENDER_AND_CONTROLLER', 'CONSENT_EVIDENCE_ON_REQUEST', …]
  expect(ack.sha256).toMatch(/^[0-9a-f]{64}$/);

  const signed = assessMailing(
    {
      mailing,
      facts,
      recipients,
      acknowledgement: { recipientSetHash: assessment.recipientSetHash, signedAt: now },
    },
    { now },
  );
  expect(signed.acknowledgementStatus).toEqual('VALID');
  expect(signed.classification).toEqual('TRANSFER_RISK');
  expect(signed.included.length).toEqual(2);
});

it('without similar categories, cake is not bread (C8), as the README says', () => {
  const verdict = classifyContact(
    {
      email: 'bram@example.nl',
      recipientKind: 'CONSUMER',
      method: 'CUSTOMER',
      senderEntityId: 'bakkerij-jansen',
      scopeLists: 'ALL',
      orderRef: 'ORD-1017',
      orderPaid: true,
      lastPurchaseAt: '2022-05-14T15:00:00Z',
      purchaseCategories: ['cake'],
      optOutOfferedAtCollection: 'YES',
      collectionTextVersionId: 'checkout-1',
    },
    {
      id: 'kerst-2026',
      senderEntityId: 'bakkerij-jansen',
      listId: 'nieuwsbrief',
      content: 'MARKETING',
      productCategories: ['bread'],
    },
    { now: '2026-11-28T12:00:00Z' },
  );
  expect(verdict.classification).toBe('BLOCKED');
  expect(verdict.reasons.map((r) => r.code)).toContain('C8');
});

it('runs the README example of the 2026.12.1 rule updates (C11, K1)', () => {
  const now = '2026-11-28T12:00:00Z';
  const mailing: MailingContext = {
    id: 'kerst-2026',
    senderEntityId: 'bakkerij-jansen',
    listId: 'nieuwsbrief',
    content: 'MARKETING',
    productCategories: ['bread'],
  };
  const bram: ContactRecord = {
    email: 'bram@example.nl',
    recipientKind: 'CONSUMER',
    method: 'CUSTOMER',
    senderEntityId: 'bakkerij-jansen',
    scopeLists: 'ALL',
    orderRef: 'ORD-1017',
    orderPaid: true,
    lastPurchaseAt: '2022-05-14T15:00:00Z',
    purchaseCategories: ['cake'],
    optOutOfferedAtCollection: 'YES',
    collectionTextVersionId: 'checkout-1',
  };
  const anna: ContactRecord = {
    email: 'anna@example.nl',
    recipientKind: 'CONSUMER',
    method: 'WEB_DOI',
    senderEntityId: 'bakkerij-jansen',
    scopeLists: ['nieuwsbrief'],
    signupAt: '2026-03-01T09:00:00Z',
    signupIp: '203.0.113.7',
    signupUserAgent: 'Firefox/140',
    source: 'https://bakkerij-jansen.nl/nieuwsbrief',
    consentTextVersionId: 'nieuwsbrief-tekst-2',
    confirmMailSentAt: '2026-03-01T09:00:02Z',
    confirmTokenId: 'c0ffee',
    confirmedAt: '2026-03-01T09:04:40Z',
    confirmIp: '203.0.113.7',
    confirmUserAgent: 'Firefox/140',
  };
  const freemium = { ...bram, orderPaid: false, customerRelationship: 'FREE_TIER_OF_PAID_SERVICE' } as const;
  expect(
    classifyContact(freemium, mailing, {
      now,
      config: { similarCategories: [['bread', 'cake']] },
    }).reasons.map((r) => r.code),
  ).toEqual(['C11', 'C3']);
  expect(
    classifyContact(anna, { ...mailing, tracking: { openPixel: true, clickRedirect: false } }, { now })
      .classification,
  ).toBe('BLOCKED');
});
