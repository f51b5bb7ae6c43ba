import fc from 'fast-check';
import {
  ADDRESS_KINDS,
  COMPLAINT_SOURCES,
  CONSENT_METHODS,
  CUSTOMER_RELATIONSHIPS,
  MAILING_CONTENTS,
  OPT_OUT_AT_COLLECTION,
  RECIPIENT_KINDS,
  type ContactRecord,
  type MailingContext,
} from '../src/index.js';

/** Dates from 2019 to the test's NOW, so every age rule (24/36 months) is reachable. */
export const isoDate = fc
  .date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2026-11-28T12:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

const id = fc.constantFrom('a', 'b', 'c');

/** Any contact the schema allows, with evidence fields present or absent at random. */
export const contactArbitrary: fc.Arbitrary<ContactRecord> = fc.record(
  {
    email: fc.constantFrom('info@shop.nl', 'jan.devries@shop.nl', 'sales@b.nl', 'piet@example.com'),
    recipientKind: fc.constantFrom(...RECIPIENT_KINDS),
    addressKind: fc.constantFrom(...ADDRESS_KINDS),
    method: fc.constantFrom(...CONSENT_METHODS),
    senderEntityId: fc.constantFrom('shop', 'shop', 'shop', 'other'),
    scopeLists: fc.oneof(fc.constant('ALL' as const), fc.subarray(['news', 'offers'])),
    signupAt: isoDate,
    signupIp: fc.constant('203.0.113.1'),
    signupUserAgent: fc.constant('Firefox'),
    source: fc.constant('https://shop.nl/form'),
    consentTextVersionId: fc.constant('text-1'),
    confirmMailSentAt: isoDate,
    confirmTokenId: fc.constant('tok'),
    confirmedAt: isoDate,
    confirmIp: fc.constant('203.0.113.2'),
    confirmUserAgent: fc.constant('Firefox'),
    phoneAgent: fc.constant('Piet'),
    phoneRecordingRef: fc.constant('rec-1'),
    paperScanRef: fc.constant('scan-1'),
    orderRef: fc.constant('ORD-1'),
    orderPaid: fc.boolean(),
    customerRelationship: fc.constantFrom(...CUSTOMER_RELATIONSHIPS),
    orderAt: isoDate,
    lastPurchaseAt: isoDate,
    purchaseCategories: fc.subarray(['coffee', 'tea', 'cups', 'bikes']),
    optOutOfferedAtCollection: fc.constantFrom(...OPT_OUT_AT_COLLECTION),
    collectionTextVersionId: fc.constant('checkout-1'),
    publishedUrl: fc.constant('https://b.nl/contact'),
    publishedCapturedAt: isoDate,
    publishedPurpose: fc.constant('offers'),
    attestationId: fc.constant('att-1'),
    unsubscribedAt: isoDate,
    objectedAt: isoDate,
    complaintAt: isoDate,
    complaintSource: fc.constantFrom(...COMPLAINT_SOURCES),
    hardBounceAt: isoDate,
    hardBounceStatus: fc.constant('5.1.1'),
    softBounces: fc.array(fc.record({ at: isoDate, mailingId: id }), { maxLength: 4 }),
    lastDeliveredAt: isoDate,
    lastEngagedAt: isoDate,
    reconfirmedAt: isoDate,
    trackingConsentAt: isoDate,
  },
  {
    requiredKeys: ['email', 'recipientKind', 'method', 'senderEntityId', 'scopeLists'],
  },
);

/**
 * Status and evidence rarely appear at random together with a full set of evidence; this biases towards
 * records that are close to mailable, so the properties also test the good paths.
 */
export const mostlyCleanContact: fc.Arbitrary<ContactRecord> = contactArbitrary.map((contact) => {
  const { unsubscribedAt: _u, objectedAt: _o, complaintAt: _c, hardBounceAt: _h, ...rest } = contact;
  return { ...rest, senderEntityId: 'shop', scopeLists: 'ALL' as const };
});

export const mailingArbitrary: fc.Arbitrary<MailingContext> = fc.record(
  {
    id: fc.constant('m-1'),
    senderEntityId: fc.constant('shop'),
    listId: fc.constantFrom('news', 'offers'),
    content: fc.constantFrom(...MAILING_CONTENTS),
    productCategories: fc.subarray(['coffee', 'tea', 'cups', 'bikes']),
    promotesThirdParty: fc.boolean(),
    tracking: fc.record({ openPixel: fc.boolean(), clickRedirect: fc.boolean() }),
  },
  { requiredKeys: ['id', 'senderEntityId', 'listId', 'content'] },
);
