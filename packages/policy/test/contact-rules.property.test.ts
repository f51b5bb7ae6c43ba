import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessMailing,
  classificationRank,
  createMailingAssessor,
  classifyContact,
  isMailable,
  type ContactRecord,
  type MailingContext,
} from '../src/index.js';
import { contactArbitrary, isoDate, mailingArbitrary, mostlyCleanContact } from './contact-arbitrary.js';
import { NOW, goodFacts } from '../src/testing/index.js';

const MARKETING = mailingArbitrary.filter((mailing) => mailing.content !== 'TRANSACTIONAL');
const options = { now: NOW };

/**
 * Additions that can only make a contact worse, and losing evidence. (Losing `orderPaid: false` or an opt-out
 * answer of NO is losing a negative fact, not evidence, so those two are not in the list.)
 */
const NEGATIVE_SIGNALS: [string, (contact: ContactRecord, at: string) => ContactRecord][] = [
  ['unsubscribe', (c, at) => ({ ...c, unsubscribedAt: at })],
  ['objection', (c, at) => ({ ...c, objectedAt: at })],
  ['complaint', (c, at) => ({ ...c, complaintAt: at, complaintSource: 'ARF' })],
  ['hard bounce', (c, at) => ({ ...c, hardBounceAt: at })],
  [
    'soft bounces',
    (c) => ({
      ...c,
      softBounces: [
        ...(c.softBounces ?? []),
        { at: '2026-11-01T00:00:00Z', mailingId: 'x1' },
        { at: '2026-11-05T00:00:00Z', mailingId: 'x2' },
        { at: '2026-11-20T00:00:00Z', mailingId: 'x3' },
      ],
    }),
  ],
  ['an unpaid order', (c) => ({ ...c, orderPaid: false })],
  ['a free-only relationship', (c) => ({ ...c, customerRelationship: 'FREE_ONLY' })],
  ['no opt-out at collection', (c) => ({ ...c, optOutOfferedAtCollection: 'TERMS_ONLY' })],
  ['another entity', (c) => ({ ...c, senderEntityId: 'someone-else' })],
  ['a narrower scope', (c) => ({ ...c, scopeLists: [] })],
  ...(
    [
      'signupAt',
      'signupIp',
      'signupUserAgent',
      'source',
      'consentTextVersionId',
      'confirmTokenId',
      'confirmedAt',
      'confirmIp',
      'confirmUserAgent',
      'phoneAgent',
      'paperScanRef',
      'orderRef',
      'lastPurchaseAt',
      'orderAt',
      'collectionTextVersionId',
      'publishedUrl',
      'publishedCapturedAt',
      'publishedPurpose',
      'attestationId',
      'lastEngagedAt',
      'reconfirmedAt',
      'lastDeliveredAt',
      'trackingConsentAt',
    ] as const
  ).map((field): [string, (contact: ContactRecord) => ContactRecord] => [
    `losing ${field}`,
    (c) => {
      const { [field]: _dropped, ...rest } = c;
      return rest;
    },
  ]),
];

describe('properties of classifyContact', () => {
  it('a withdrawn, objected, complained or hard-bounced contact is never mailable by marketing', () => {
    fc.assert(
      fc.property(
        contactArbitrary,
        MARKETING,
        isoDate,
        fc.constantFrom('unsubscribedAt', 'objectedAt', 'complaintAt', 'hardBounceAt'),
        (contact, mailing, at, field) => {
          const verdict = classifyContact({ ...contact, [field]: at }, mailing, options);
          expect(verdict.classification).toBe('BLOCKED');
          expect(isMailable(verdict.classification)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a hard-bounced contact is never mailed, not even transactional mail', () => {
    fc.assert(
      fc.property(contactArbitrary, mailingArbitrary, isoDate, (contact, mailing, at) => {
        expect(classifyContact({ ...contact, hardBounceAt: at }, mailing, options).classification).toBe(
          'BLOCKED',
        );
      }),
    );
  });

  it("every recipient's verdict in an assessment carries its own reasons (recipients alike share one list)", () => {
    fc.assert(
      fc.property(
        // Pairs of a contact and a variant (another evidence gap or date) so that reasons differ only in their
        // parameters: an assessment that shared lists by code alone would give one contact the other's.
        fc.array(fc.tuple(mostlyCleanContact, fc.constantFrom('signupUserAgent', 'confirmIp', 'signupAt')), {
          minLength: 1,
          maxLength: 15,
        }),
        MARKETING,
        (items, mailing) => {
          const contacts = items.flatMap(([contact, dropped]) => [
            contact,
            { ...contact, [dropped]: undefined },
          ]);
          const assessment = assessMailing(
            {
              mailing,
              facts: goodFacts(),
              recipients: contacts.map((contact) => ({ contact, firstMarketingMailing: false })),
            },
            options,
          );
          for (const verdict of [
            ...assessment.included,
            ...assessment.excluded,
            ...assessment.needsAcknowledgement,
          ]) {
            const own = classifyContact(contacts[verdict.index] as ContactRecord, mailing, options);
            expect(verdict.reasons).toEqual(own.reasons);
            expect(verdict.classification).toBe(own.classification);
          }
        },
      ),
    );
  });

  it('an assessment fed in chunks is the assessment of the whole list, with or without acknowledgement', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(contactArbitrary, fc.boolean()), { minLength: 0, maxLength: 30 }),
        MARKETING,
        fc.integer({ min: 1, max: 7 }),
        (items, mailing, chunk) => {
          const recipients = items.map(([contact, firstMarketingMailing]) => ({
            contact,
            firstMarketingMailing,
          }));
          const whole = assessMailing({ mailing, facts: goodFacts(), recipients }, options);
          const assessor = createMailingAssessor({ mailing, facts: goodFacts() }, options);
          for (let start = 0; start < recipients.length; start += chunk)
            assessor.add(recipients.slice(start, start + chunk));
          expect(assessor.finish()).toEqual(whole);
          const acknowledgement = { recipientSetHash: whole.recipientSetHash };
          expect(assessor.finish(acknowledgement)).toEqual(
            assessMailing({ mailing, facts: goodFacts(), recipients, acknowledgement }, options),
          );
        },
      ),
    );
  });

  it('the facts may come at finish (a streaming host learns the per-provider volume last); none at all is refused', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(contactArbitrary, fc.boolean()), { minLength: 0, maxLength: 20 }),
        MARKETING,
        (items, mailing) => {
          const recipients = items.map(([contact, firstMarketingMailing]) => ({
            contact,
            firstMarketingMailing,
          }));
          const late = createMailingAssessor({ mailing }, options);
          late.add(recipients);
          expect(late.finish(undefined, goodFacts())).toEqual(
            assessMailing({ mailing, facts: goodFacts(), recipients }, options),
          );
          expect(() => late.finish()).toThrow(expect.objectContaining({ code: 'POLICY_INVALID_INPUT' }));
        },
      ),
    );
  });

  it('assessMailing never includes a withdrawn, complained or hard-bounced contact, with or without acknowledgement', () => {
    fc.assert(
      fc.property(
        fc.array(contactArbitrary, { minLength: 1, maxLength: 20 }),
        MARKETING,
        fc.boolean(),
        (contacts, mailing, acknowledge) => {
          const recipients = contacts.map((contact) => ({ contact, firstMarketingMailing: false }));
          const first = assessMailing({ mailing, facts: goodFacts(), recipients }, options);
          const assessment = acknowledge
            ? assessMailing(
                {
                  mailing,
                  facts: goodFacts(),
                  recipients,
                  acknowledgement: { recipientSetHash: first.recipientSetHash },
                },
                options,
              )
            : first;
          for (const recipient of assessment.included) {
            const contact = contacts[recipient.index];
            expect(
              contact?.unsubscribedAt ?? contact?.objectedAt ?? contact?.complaintAt ?? contact?.hardBounceAt,
            ).toBeUndefined();
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each(NEGATIVE_SIGNALS)('adding a negative signal (%s) never improves the verdict', (_name, worsen) => {
    fc.assert(
      fc.property(
        fc.oneof(contactArbitrary, mostlyCleanContact),
        mailingArbitrary,
        isoDate,
        (contact, mailing, at) => {
          const before = classifyContact(contact, mailing, options);
          const after = classifyContact(worsen(contact, at), mailing, options);
          expect(classificationRank(after.classification)).toBeGreaterThanOrEqual(
            classificationRank(before.classification),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a free tier of a paid service is never mailable without a signature, free only never at all (C11, C5)', () => {
    fc.assert(
      fc.property(mostlyCleanContact, MARKETING, (contact, mailing) => {
        const freeTier = classifyContact(
          { ...contact, method: 'CUSTOMER', customerRelationship: 'FREE_TIER_OF_PAID_SERVICE' },
          mailing,
          options,
        );
        expect(isMailable(freeTier.classification)).toBe(false);
        expect(freeTier.reasons.map((reason) => reason.code)).toContain('C11');
        const freeOnly = classifyContact(
          { ...contact, method: 'CUSTOMER', customerRelationship: 'FREE_ONLY' },
          mailing,
          options,
        );
        expect(freeOnly.classification).toBe('BLOCKED');
        expect(freeOnly.reasons.map((reason) => reason.code)).toContain('C5');
      }),
      { numRuns: 300 },
    );
  });

  it('turning tracking on blocks every contact without tracking consent and changes nothing for the others (K1)', () => {
    fc.assert(
      fc.property(
        fc.oneof(contactArbitrary, mostlyCleanContact),
        mailingArbitrary,
        fc.constantFrom(
          { openPixel: true, clickRedirect: false },
          { openPixel: false, clickRedirect: true },
          { openPixel: true, clickRedirect: true },
        ),
        (contact, mailing, tracking) => {
          const untracked = classifyContact(contact, { ...mailing, tracking: undefined }, options);
          const tracked = classifyContact(contact, { ...mailing, tracking }, options);
          if (contact.trackingConsentAt === undefined) {
            expect(tracked.classification).toBe('BLOCKED');
            expect(tracked.reasons.map((reason) => reason.code)).toEqual([
              'K1',
              ...untracked.reasons.map((reason) => reason.code),
            ]);
          } else {
            expect(tracked).toEqual(untracked);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('verdicts do not depend on the key order of contact or mailing', () => {
    const shuffled = <T extends object>(value: T, order: number[]): T => {
      const entries = Object.entries(value);
      const keyed = entries.map((entry, i) => ({ entry, key: order[i % order.length] ?? 0 }));
      keyed.sort((a, b) => a.key - b.key);
      return Object.fromEntries(keyed.map((item) => item.entry)) as T;
    };
    fc.assert(
      fc.property(
        contactArbitrary,
        mailingArbitrary,
        fc.array(fc.integer(), { minLength: 1, maxLength: 50 }),
        (contact, mailing, order) => {
          const expected = classifyContact(contact, mailing, options);
          const actual = classifyContact(
            shuffled(contact, order),
            shuffled<MailingContext>(mailing, [...order].reverse()),
            options,
          );
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the classification is the worst of the reasons, and there is always at least one reason', () => {
    fc.assert(
      fc.property(contactArbitrary, mailingArbitrary, (contact, mailing) => {
        const verdict = classifyContact(contact, mailing, options);
        expect(verdict.reasons.length).toBeGreaterThan(0);
        const worst = Math.max(...verdict.reasons.map((reason) => classificationRank(reason.classification)));
        expect(classificationRank(verdict.classification)).toBe(worst);
      }),
      { numRuns: 500 },
    );
  });
});
