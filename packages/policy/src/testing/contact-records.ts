// Contact records of each consent method with the evidence its best rule asks for, for tests of the rules
// and of whatever stores or shows a record. Each builder takes overrides for the fields a test varies.
import type { ContactRecord } from '../contact-record.js';

/** The contact every builder starts from: a consumer on list `news` of sender `shop` (the testing kit's `MAILING`). */
const BASE = {
  email: 'jan@example.nl',
  recipientKind: 'CONSUMER',
  senderEntityId: 'shop',
  scopeLists: ['news'],
} as const satisfies Partial<ContactRecord>;

/** A double opt-in with every piece of evidence D1 asks for. */
export function doi(over: Partial<ContactRecord> = {}): ContactRecord {
  return {
    ...BASE,
    scopeLists: ['news'],
    method: 'WEB_DOI',
    signupAt: '2026-06-01T10:00:00Z',
    signupIp: '203.0.113.5',
    signupUserAgent: 'Mozilla/5.0 Firefox/140',
    source: 'https://shop.example.nl/nieuwsbrief',
    consentTextVersionId: 'consent-text-3',
    confirmMailSentAt: '2026-06-01T10:00:01Z',
    confirmTokenId: 'token-1',
    confirmedAt: '2026-06-01T10:05:00Z',
    confirmIp: '203.0.113.5',
    confirmUserAgent: 'Mozilla/5.0 Firefox/140',
    ...over,
  };
}

export function soi(over: Partial<ContactRecord> = {}): ContactRecord {
  return {
    ...BASE,
    scopeLists: ['news'],
    method: 'WEB_SOI',
    signupAt: '2026-06-01T10:00:00Z',
    source: 'https://shop.example.nl/nieuwsbrief',
    consentTextVersionId: 'consent-text-3',
    ...over,
  };
}

export function phone(over: Partial<ContactRecord> = {}): ContactRecord {
  return {
    ...BASE,
    scopeLists: ['news'],
    method: 'PHONE',
    signupAt: '2026-06-01T10:00:00Z',
    phoneAgent: 'Piet',
    consentTextVersionId: 'phone-script-2',
    ...over,
  };
}

export function paper(over: Partial<ContactRecord> = {}): ContactRecord {
  return {
    ...BASE,
    scopeLists: ['news'],
    method: 'PAPER',
    signupAt: '2026-06-01T10:00:00Z',
    paperScanRef: 'scan-0042.pdf',
    consentTextVersionId: 'paper-form-1',
    ...over,
  };
}

/** An existing customer that meets every condition of C1 for the testing kit's `MAILING`. */
export function customer(over: Partial<ContactRecord> = {}): ContactRecord {
  return {
    ...BASE,
    scopeLists: 'ALL',
    method: 'CUSTOMER',
    orderRef: 'ORD-1001',
    orderPaid: true,
    orderAt: '2019-06-01T09:00:00Z',
    lastPurchaseAt: '2026-05-01T09:00:00Z',
    purchaseCategories: ['coffee'],
    optOutOfferedAtCollection: 'YES',
    collectionTextVersionId: 'checkout-text-1',
    ...over,
  };
}

/** A published role address of a legal person with all evidence (B1). */
export function b2b(over: Partial<ContactRecord> = {}): ContactRecord {
  return {
    ...BASE,
    email: 'info@bakkerij.example.nl',
    recipientKind: 'LEGAL_PERSON',
    scopeLists: 'ALL',
    method: 'B2B_PUBLISHED',
    publishedUrl: 'https://bakkerij.example.nl/contact',
    publishedCapturedAt: '2026-04-01T08:00:00Z',
    publishedPurpose: 'offers of baking supplies',
    ...over,
  };
}

export function imported(over: Partial<ContactRecord> = {}): ContactRecord {
  return { ...BASE, scopeLists: 'ALL', method: 'IMPORTED_UNKNOWN', ...over };
}

export function thirdParty(over: Partial<ContactRecord> = {}): ContactRecord {
  return { ...BASE, scopeLists: 'ALL', method: 'THIRD_PARTY', ...over };
}
