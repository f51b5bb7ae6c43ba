import { addSuppression, upsertContact } from '@consent-mailer/store';
import type { ZodError } from 'zod';
import { addSenderEntity } from '@consent-mailer/store/testing';
import { describeInputError } from '../src/input-errors.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOW, openApiFixture } from './store-fixture.js';

let fixture: Awaited<ReturnType<typeof openApiFixture>>;
let scriptId: string;
let listId: string;
beforeEach(async () => {
  fixture = await openApiFixture('cm-api-contact-add-');
  await addSenderEntity(fixture.store);
  scriptId = (
    await fixture.caller.settings.consentTexts.add({
      kind: 'PHONE_SCRIPT',
      language: 'nl',
      label: 'Belscript 2026',
      body: 'Mogen wij u onze nieuwsbrief mailen? U kunt zich altijd afmelden.',
    })
  ).id;
  listId = (await fixture.caller.settings.lists.create({ name: 'Nieuwsbrief' })).id;
});
afterEach(async () => {
  await fixture.cleanup();
});

describe('contacts.add', () => {
  it('adds a phone consent that the policy proves as P1, then extends it by a differently cased address', async () => {
    const added = await fixture.caller.contacts.add({
      email: 'jan@example.nl',
      firstName: 'Jan',
      senderEntityId: 'bakkerij',
      listIds: [listId],
      way: 'PHONE',
      date: '2026-11-03',
      staffMember: 'Kees',
      consentTextVersionId: scriptId,
    });
    expect(added).toMatchObject({ created: true, classification: 'TRANSFER_RISK', reasons: ['P1'] });
    const detail = await fixture.caller.contacts.get({ email: 'jan@example.nl' });
    expect(detail.records[0]).toMatchObject({
      method: 'PHONE',
      phoneAgent: 'Kees',
      signupAt: '2026-11-03T12:00:00.000Z',
      consentTextVersionId: scriptId,
      scopeLists: [listId],
    });
    expect(detail.lists).toEqual([listId]);

    const again = await fixture.caller.contacts.add({
      email: 'Jan@Example.NL',
      lastName: 'de Vries',
      senderEntityId: 'bakkerij',
      listIds: [listId],
      way: 'PAPER',
      date: '2026-11-10',
      scanRef: 'scan-0042.pdf',
      consentTextVersionId: scriptId,
    });
    expect(again.created).toBe(false);
    const list = await fixture.caller.contacts.list({ search: 'jan@example.nl' });
    expect(list.items).toHaveLength(1);
    const extended = await fixture.caller.contacts.get({ email: 'jan@example.nl' });
    expect(extended.contact).toMatchObject({ first_name: 'Jan', last_name: 'de Vries' });
    // The same consent gains the scan as a second piece of evidence, never a second contact.
    expect(extended.consents).toHaveLength(1);
    expect(extended.records[0]).toMatchObject({ phoneAgent: 'Kees', paperScanRef: 'scan-0042.pdf' });
    expect(extended.history.map((entry) => entry.type)).toEqual([
      'contact.created',
      'consent.recorded',
      'contact.updated',
      'consent.updated',
    ]);
    expect((await fixture.caller.audit.verify()).ok).toBe(true);
  });

  it('records a counter consent as a signed paper form with the staff member', async () => {
    const added = await fixture.caller.contacts.add({
      email: 'anna@example.nl',
      senderEntityId: 'bakkerij',
      way: 'COUNTER',
      date: '2026-10-01',
      staffMember: 'Petra',
      scanRef: 'balie-17',
      consentTextVersionId: scriptId,
    });
    expect(added).toMatchObject({ classification: 'TRANSFER_RISK', reasons: ['Q1'] });
    const detail = await fixture.caller.contacts.get({ email: 'anna@example.nl' });
    expect(detail.records[0]).toMatchObject({
      method: 'PAPER',
      source: 'COUNTER',
      phoneAgent: 'Petra',
      paperScanRef: 'balie-17',
      scopeLists: 'ALL',
    });
  });

  it('records an existing customer with a paid order as the import does, classed by the policy', async () => {
    const collection = await fixture.caller.settings.consentTexts.add({
      kind: 'COLLECTION',
      language: 'nl',
      label: 'Kassabon 2026',
      body: 'Wij mailen je aanbiedingen van vergelijkbare producten. Geen mail? Zeg het aan de kassa.',
    });
    const added = await fixture.caller.contacts.add({
      email: 'klant@example.nl',
      senderEntityId: 'bakkerij',
      listIds: [listId],
      way: 'CUSTOMER',
      customer: {
        orderRef: 'B-1001',
        orderDate: '2026-10-15',
        customerRelationship: 'PAID_ORDER',
        orderPaid: true,
        optOutOfferedAtCollection: 'YES',
        collectionTextVersionId: collection.id,
        purchaseCategories: ['brood'],
      },
    });
    // A paid order within the window; a newsletter names no product groups, so similarity stays grey (C9).
    expect(added).toMatchObject({ created: true, classification: 'ALLOWED_GREY', reasons: ['C9'] });
    const detail = await fixture.caller.contacts.get({ email: 'klant@example.nl' });
    expect(detail.records[0]).toMatchObject({
      method: 'CUSTOMER',
      source: 'CUSTOMER',
      orderRef: 'B-1001',
      orderAt: '2026-10-15T12:00:00.000Z',
      orderPaid: true,
      customerRelationship: 'PAID_ORDER',
      optOutOfferedAtCollection: 'YES',
      collectionTextVersionId: collection.id,
      purchaseCategories: ['brood'],
    });
    expect(detail.newsletterClasses).toEqual([
      { senderEntityId: 'bakkerij', classification: 'ALLOWED_GREY' },
    ]);
    expect(detail.history.map((entry) => entry.type)).toEqual(['contact.created', 'consent.recorded']);
    expect((await fixture.caller.audit.verify()).ok).toBe(true);

    // Without a paid order the soft opt-in cannot be shown: at the sender's own risk (C4).
    const unpaid = await fixture.caller.contacts.add({
      email: 'bezoeker@example.nl',
      senderEntityId: 'bakkerij',
      way: 'CUSTOMER',
      customer: { optOutOfferedAtCollection: 'YES', collectionTextVersionId: collection.id },
    });
    expect(unpaid.classification).toBe('TRANSFER_RISK');
    expect((await fixture.caller.contacts.get({ email: 'bezoeker@example.nl' })).newsletterClasses).toEqual([
      { senderEntityId: 'bakkerij', classification: 'TRANSFER_RISK' },
    ]);
  });

  it('asks for the date and the script of a phone call', async () => {
    await expect(
      fixture.caller.contacts.add({
        email: 'piet@example.nl',
        senderEntityId: 'bakkerij',
        way: 'PHONE',
        staffMember: 'Kees',
        consentTextVersionId: scriptId,
      }),
    ).rejects.toMatchObject({ cause: { code: 'CONTACT_EVIDENCE_MISSING' } });
    await expect(
      fixture.caller.contacts.add({
        email: 'piet@example.nl',
        senderEntityId: 'bakkerij',
        way: 'PHONE',
        date: '2026-11-03',
        staffMember: 'Kees',
      }),
    ).rejects.toMatchObject({ cause: { code: 'CONTACT_EVIDENCE_MISSING' } });
  });

  it('asks for the staff member of a phone call in both languages', async () => {
    await expect(
      fixture.caller.contacts.add({
        email: 'piet@example.nl',
        senderEntityId: 'bakkerij',
        way: 'PHONE',
        date: '2026-11-03',
        consentTextVersionId: scriptId,
      }),
    ).rejects.toMatchObject({
      cause: {
        code: 'CONTACT_EVIDENCE_MISSING',
        text: {
          en: expect.stringContaining('Fill in the staff member') as string,
          nl: expect.stringContaining('Vul de medewerker in') as string,
        },
      },
    });
    expect((await fixture.caller.contacts.list({ search: 'piet' })).items).toHaveLength(0);
  });

  it('refuses a suppressed address, in any spelling, and keeps the opt-out', async () => {
    await addSuppression(fixture.store.db, {
      email: 'weg@example.nl',
      reason: 'UNSUBSCRIBED',
      source: 'UNSUBSCRIBE_LINK',
      at: NOW.toISOString(),
    });
    await expect(
      fixture.caller.contacts.add({
        email: 'Weg@Example.nl',
        senderEntityId: 'bakkerij',
        way: 'PHONE',
        date: '2026-11-03',
        staffMember: 'Kees',
        consentTextVersionId: scriptId,
      }),
    ).rejects.toMatchObject({
      cause: {
        code: 'STORE_ADDRESS_SUPPRESSED',
        text: { nl: expect.stringContaining('blokkeerlijst') as string },
      },
    });
    expect((await fixture.caller.contacts.list({ search: 'weg@' })).items).toHaveLength(0);
  });

  it('corrects a mistyped caller and date with an event, keeping the method and lists', async () => {
    await fixture.caller.contacts.add({
      email: 'els@example.nl',
      senderEntityId: 'bakkerij',
      listIds: [listId],
      way: 'PHONE',
      date: '2026-11-03',
      staffMember: 'Kess',
      consentTextVersionId: scriptId,
    });
    const fixed = await fixture.caller.contacts.correctEvidence({
      email: 'Els@Example.nl',
      senderEntityId: 'bakkerij',
      staffMember: 'Kees',
      date: '2026-11-04',
    });
    expect(fixed).toMatchObject({ corrected: ['signup_at', 'phone_agent'], classification: 'TRANSFER_RISK' });
    const detail = await fixture.caller.contacts.get({ email: 'els@example.nl' });
    expect(detail.records[0]).toMatchObject({
      method: 'PHONE',
      phoneAgent: 'Kees',
      signupAt: '2026-11-04T12:00:00.000Z',
      scopeLists: [listId],
    });
    expect(detail.history.at(-1)).toMatchObject({ type: 'consent.updated' });
    expect((await fixture.caller.audit.verify()).ok).toBe(true);

    await addSuppression(fixture.store.db, {
      email: 'els@example.nl',
      reason: 'UNSUBSCRIBED',
      source: 'UNSUBSCRIBE_LINK',
      at: NOW.toISOString(),
    });
    await expect(
      fixture.caller.contacts.correctEvidence({
        email: 'els@example.nl',
        senderEntityId: 'bakkerij',
        staffMember: 'X',
      }),
    ).rejects.toMatchObject({ cause: { code: 'STORE_ADDRESS_SUPPRESSED' } });
    await expect(
      fixture.caller.contacts.correctEvidence({
        email: 'niemand@example.nl',
        senderEntityId: 'bakkerij',
        staffMember: 'X',
      }),
    ).rejects.toMatchObject({ cause: { code: 'CONSENT_NOT_CORRECTABLE' } });
  });

  it("corrects an existing customer's order, payment and opt-out, and the class follows", async () => {
    await upsertContact(
      fixture.store.db,
      {
        email: 'klant@example.nl',
        recipientKind: 'CONSUMER',
        consent: {
          method: 'CUSTOMER',
          senderEntityId: 'bakkerij',
          scopeLists: 'ALL',
          orderRef: 'B-1001',
          orderPaid: false,
          lastPurchaseAt: '2026-10-01T12:00:00.000Z',
          optOutOfferedAtCollection: 'UNKNOWN',
        },
      },
      { at: NOW.toISOString() },
    );
    const before = await fixture.caller.contacts.get({ email: 'klant@example.nl' });
    expect(before.records[0]).toMatchObject({ method: 'CUSTOMER', orderPaid: false });
    const checkout = (
      await fixture.caller.settings.consentTexts.add({
        kind: 'COLLECTION',
        language: 'nl',
        label: 'Afrekenpagina 2026',
        body: 'Wij mailen u over vergelijkbare producten. Geen mail? Vink dit vakje aan.',
      })
    ).id;
    const fixed = await fixture.caller.contacts.correctEvidence({
      email: 'klant@example.nl',
      senderEntityId: 'bakkerij',
      customer: {
        orderPaid: true,
        relationship: 'PAID_ORDER',
        orderDate: '2026-11-20',
        optOutOffered: 'YES',
        optOutTextVersionId: checkout,
      },
    });
    expect(fixed.corrected).toEqual([
      'order_paid',
      'order_at',
      'opt_out_offered_at_collection',
      'collection_text_version_id',
      'customer_relationship',
    ]);
    // A paid, recent order with the opt-out offered: grey area (no product categories on a newsletter).
    expect(fixed.classification).toBe('ALLOWED_GREY');
    const after = await fixture.caller.contacts.get({ email: 'klant@example.nl' });
    expect(after.records[0]).toMatchObject({
      method: 'CUSTOMER',
      orderRef: 'B-1001',
      orderPaid: true,
      orderAt: '2026-11-20T12:00:00.000Z',
      optOutOfferedAtCollection: 'YES',
      collectionTextVersionId: checkout,
    });
    expect(after.history.at(-1)).toMatchObject({ type: 'consent.updated' });
    expect((await fixture.caller.audit.verify()).ok).toBe(true);

    // The details of a call belong to a phone consent, not to a customer's.
    await expect(
      fixture.caller.contacts.correctEvidence({
        email: 'klant@example.nl',
        senderEntityId: 'bakkerij',
        staffMember: 'Kees',
      }),
    ).rejects.toMatchObject({ cause: { code: 'CONSENT_FIELD_NOT_FOR_METHOD' } });
    const unchanged = await fixture.caller.contacts.get({ email: 'klant@example.nl' });
    expect(unchanged.records[0]).not.toHaveProperty('phoneAgent');
  });

  it("clears an existing customer's answers the owner empties, and the class falls back as the policy says", async () => {
    const checkout = (
      await fixture.caller.settings.consentTexts.add({
        kind: 'COLLECTION',
        language: 'nl',
        label: 'Afrekenpagina 2026',
        body: 'Wij mailen u over vergelijkbare producten. Geen mail? Vink dit vakje aan.',
      })
    ).id;
    await upsertContact(
      fixture.store.db,
      {
        email: 'klant@example.nl',
        recipientKind: 'CONSUMER',
        consent: {
          method: 'CUSTOMER',
          senderEntityId: 'bakkerij',
          scopeLists: 'ALL',
          orderRef: 'B-1001',
          orderPaid: true,
          customerRelationship: 'PAID_ORDER',
          orderAt: '2026-11-01T12:00:00.000Z',
          purchaseCategories: ['brood'],
          optOutOfferedAtCollection: 'YES',
          collectionTextVersionId: checkout,
        },
      },
      { at: NOW.toISOString() },
    );
    const before = await fixture.caller.contacts.get({ email: 'klant@example.nl' });
    expect(before.newsletterClasses).toEqual([
      { senderEntityId: 'bakkerij', classification: 'ALLOWED_GREY' },
    ]);

    // The opt-out answer and its checkout text emptied: not known, so the contact is at the sender's risk (C7).
    const noOptOut = await fixture.caller.contacts.correctEvidence({
      email: 'klant@example.nl',
      senderEntityId: 'bakkerij',
      customer: { optOutOffered: null, optOutTextVersionId: null, productCategories: null },
    });
    expect(noOptOut.corrected).toEqual([
      'purchase_categories',
      'opt_out_offered_at_collection',
      'collection_text_version_id',
    ]);
    expect(noOptOut.classification).toBe('TRANSFER_RISK');
    expect(noOptOut.reasons).toContain('C7');
    const cleared = await fixture.caller.contacts.get({ email: 'klant@example.nl' });
    expect(cleared.records[0]).toMatchObject({ method: 'CUSTOMER', orderPaid: true, orderRef: 'B-1001' });
    expect(cleared.records[0]).not.toHaveProperty('optOutOfferedAtCollection');
    expect(cleared.records[0]).not.toHaveProperty('collectionTextVersionId');
    expect(cleared.records[0]).not.toHaveProperty('purchaseCategories');
    // The chained event holds the evidence after the correction, with the cleared answers empty.
    expect(cleared.history.at(-1)).toMatchObject({
      type: 'consent.updated',
      personal: {
        evidence: {
          order_paid: 1,
          purchase_categories: null,
          opt_out_offered_at_collection: null,
          collection_text_version_id: null,
        },
      },
    });

    // The relationship emptied takes the payment with it: a purchase not known to be paid (C4).
    const noRelationship = await fixture.caller.contacts.correctEvidence({
      email: 'klant@example.nl',
      senderEntityId: 'bakkerij',
      customer: { relationship: null, orderPaid: null },
    });
    expect(noRelationship.corrected).toEqual(['order_paid', 'customer_relationship']);
    expect(noRelationship.reasons).toContain('C4');
    const unknown = await fixture.caller.contacts.get({ email: 'klant@example.nl' });
    expect(unknown.records[0]).not.toHaveProperty('orderPaid');
    expect(unknown.records[0]).not.toHaveProperty('customerRelationship');
    expect((await fixture.caller.audit.verify()).ok).toBe(true);
  });

  it('names a wrongly written date by its label, in Dutch too', async () => {
    const error: unknown = await fixture.caller.contacts
      .add({
        email: 'piet@example.nl',
        senderEntityId: 'bakkerij',
        way: 'PHONE',
        date: '3-11-2026',
        staffMember: 'Kees',
        consentTextVersionId: scriptId,
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    const text = describeInputError((error as Error).cause as ZodError);
    expect(text.nl).toContain('Datum: een datum zoals 2026-11-28');
    expect(text.en).toContain('Date: a date like 2026-11-28');
  });
});
