// The inputs of the contacts router (zod) and how an added or corrected contact's words become the store's
// evidence: apart from the procedures, so router/contacts.ts stays one concept and under 400 lines.
import { FileEvidence } from '@consent-mailer/importer';
import {
  CLASSIFICATIONS,
  CONSENT_METHODS,
  CustomerRelationship,
  OptOutAtCollection,
  RECIPIENT_KINDS,
  UserError,
} from '@consent-mailer/policy';
import type { ConsentEvidence, EvidenceCorrection } from '@consent-mailer/store';
import { z } from 'zod';

/** Input of `contacts.list`: filters and the keyset cursor. */
export const ContactListInput = z.object({
  classification: z.enum([...CLASSIFICATIONS, 'UNASSESSED']).optional(),
  method: z.enum(CONSENT_METHODS).optional(),
  listId: z.string().min(1).max(200).optional(),
  search: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(1000).default(50),
  after: z.number().int().nonnegative().nullable().optional(),
});

export const EmailInput = z.object({ email: z.string().trim().min(3).max(254) });

/**
 * How the person gave their consent, in the owner's words. A web sign-up is not offered: it arrives
 * through the opt-in service with its own proof. The fields are exactly those the policy asks for
 * (docs/policy-rules.md P1/Q1): without them the consent counts as unknown and is blocked.
 * - PHONE: the date of the call, who called (the staff member) and the script read out.
 * - PAPER: the date on the form, the reference of its scan, and the form's text version.
 * - COUNTER: at the counter or in person: the date, the staff member, and the signed form (scan
 *   reference and text version); recorded as a paper consent with source "COUNTER".
 * - CUSTOMER: an existing customer (the soft opt-in, C1–C11): the evidence the import wizard asks for,
 *   per person: the order and its date, paid or not, the opt-out offered when the address was taken.
 */
export const ADD_CONTACT_WAYS = ['PHONE', 'PAPER', 'COUNTER', 'CUSTOMER'] as const;
export type AddContactWay = (typeof ADD_CONTACT_WAYS)[number];

/** A date as entered, without a time: stored at noon UTC so it reads as the same day in every time zone. */
const DateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-11-28');
const Text = z.string().trim().min(1).max(200);

/**
 * An existing customer's evidence: the import's file-wide customer fields (the same zod schema, so the
 * form and the wizard ask and validate the same), plus what an import reads per row: the order number and
 * the date of the (last) order, date only.
 */
export const CustomerInput = FileEvidence.pick({
  orderPaid: true,
  customerRelationship: true,
  optOutOfferedAtCollection: true,
  collectionTextVersionId: true,
  purchaseCategories: true,
}).extend({ orderRef: Text.optional(), orderDate: DateOnly.optional() });

/** Input of `contacts.add`: the person, the way they consented with its evidence, the lists. */
export const AddContactInput = z.object({
  email: z.string().trim().min(3).max(254),
  firstName: z.string().trim().max(200).nullable().optional(),
  lastName: z.string().trim().max(200).nullable().optional(),
  organisation: z.string().trim().max(200).nullable().optional(),
  recipientKind: z.enum(RECIPIENT_KINDS).default('CONSUMER'),
  senderEntityId: z.string().min(1),
  /** The lists the person asked for; empty: all marketing of the sender. */
  listIds: z.array(z.string().min(1)).max(100).default([]),
  way: z.enum(ADD_CONTACT_WAYS),
  /** The date of the call, the form or the visit (an existing customer's order date is in `customer`). */
  date: DateOnly.optional(),
  staffMember: Text.optional(),
  /** The phone script or the form text (a consent text version id); an existing customer has none. */
  consentTextVersionId: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  scanRef: Text.optional(),
  recordingRef: Text.optional(),
  /** The evidence of an existing customer (way CUSTOMER only). */
  customer: CustomerInput.optional(),
});
export type AddContactInput = z.input<typeof AddContactInput>;

function missingField(field: { en: string; nl: string }, way: AddContactWay): UserError {
  const wayText = {
    PHONE: { en: 'a consent by phone', nl: 'een telefonische toestemming' },
    PAPER: { en: 'a consent on a paper form', nl: 'een toestemming op een papieren formulier' },
    COUNTER: { en: 'a consent at the counter', nl: 'een toestemming aan de balie' },
    CUSTOMER: { en: 'an existing customer', nl: 'een bestaande klant' },
  }[way];
  return new UserError('CONTACT_EVIDENCE_MISSING', {
    en: `Fill in ${field.en}: without it ${wayText.en} cannot be proven and the contact would be blocked.`,
    nl: `Vul ${field.nl} in: zonder dat is ${wayText.nl} niet te bewijzen en wordt het contact geblokkeerd.`,
  });
}

export function textNotFound(): UserError {
  return new UserError('CONSENT_TEXT_NOT_FOUND', {
    en: 'The chosen script or form text is not stored. Add it under Settings > Consent texts first, then choose it here.',
    nl: 'Het gekozen belscript of de formuliertekst is niet opgeslagen. Voeg die eerst toe onder Instellingen > Toestemmingsteksten en kies hem dan hier.',
  });
}

const DATE = { en: 'the date', nl: 'de datum' };
const STAFF = { en: 'the staff member', nl: 'de medewerker' };
const TEXT = { en: 'the script or the text of the form', nl: 'het belscript of de tekst van het formulier' };
const SCAN = { en: 'the reference of the scanned form', nl: 'de verwijzing naar de scan van het formulier' };

/** The consent evidence (policy names) of an added contact. */
export function evidenceOf(input: z.output<typeof AddContactInput>): ConsentEvidence {
  const { way } = input;
  if (way === 'CUSTOMER') return customerEvidenceOf(input);
  if (input.date === undefined) throw missingField(DATE, way);
  if (input.consentTextVersionId === undefined) throw missingField(TEXT, way);
  if ((way === 'PHONE' || way === 'COUNTER') && input.staffMember === undefined)
    throw missingField(STAFF, way);
  if ((way === 'PAPER' || way === 'COUNTER') && input.scanRef === undefined) throw missingField(SCAN, way);
  return {
    method: way === 'PHONE' ? ('PHONE' as const) : ('PAPER' as const),
    senderEntityId: input.senderEntityId,
    scopeLists: input.listIds.length === 0 ? ('ALL' as const) : input.listIds,
    signupAt: `${input.date}T12:00:00.000Z`,
    source: way,
    consentTextVersionId: input.consentTextVersionId,
    ...(input.staffMember === undefined ? {} : { phoneAgent: input.staffMember }),
    ...(way !== 'PHONE' && input.scanRef !== undefined ? { paperScanRef: input.scanRef } : {}),
    ...(way === 'PHONE' && input.recordingRef !== undefined ? { phoneRecordingRef: input.recordingRef } : {}),
  };
}

/**
 * The consent evidence of an existing customer, stored as an import stores a customer row (method
 * CUSTOMER, the order and the file-wide answers); what is missing is left out, and the policy then
 * classifies the contact lower (C4, C7), never this form.
 */
function customerEvidenceOf(input: z.output<typeof AddContactInput>): ConsentEvidence {
  const { orderDate, ...customer } = input.customer ?? {};
  return {
    method: 'CUSTOMER' as const,
    senderEntityId: input.senderEntityId,
    scopeLists: input.listIds.length === 0 ? ('ALL' as const) : input.listIds,
    source: input.way,
    ...customer,
    ...(orderDate === undefined ? {} : { orderAt: `${orderDate}T12:00:00.000Z` }),
  };
}

/** Input of `contacts.correctDomain`: the address as stored and the same address at the corrected domain. */
export const CorrectDomainInput = z.object({
  email: z.string().trim().min(3).max(254),
  corrected: z.string().trim().min(3).max(254),
});

/** Input of `contacts.correctEvidence`: the fields to correct, each only when given. */
export const CorrectEvidenceInput = z.object({
  email: z.string().trim().min(3).max(254),
  senderEntityId: z.string().min(1),
  date: DateOnly.optional(),
  staffMember: Text.optional(),
  scanRef: Text.optional(),
  recordingRef: Text.nullable().optional(),
  consentTextVersionId: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /**
   * An existing customer's evidence: the order, whether it was paid, the last purchase, the opt-out offered.
   * `null` clears a stored answer (the owner emptied it): the policy then reads it as not known (C4, C7).
   */
  customer: z
    .object({
      orderRef: Text.nullable(),
      orderPaid: z.boolean().nullable(),
      orderDate: DateOnly.nullable(),
      lastPurchaseDate: DateOnly.nullable(),
      productCategories: z.array(Text).min(1).max(50).nullable(),
      optOutOffered: OptOutAtCollection.nullable(),
      /** The text that offered the opt-out when the address was collected (the checkout's wording). */
      optOutTextVersionId: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .nullable(),
      relationship: CustomerRelationship.nullable(),
    })
    .partial()
    .optional(),
});

/** The store's names for the customer evidence the owner corrects, each only when given. */
export function customerChanges(
  customer: NonNullable<z.infer<typeof CorrectEvidenceInput>['customer']>,
): EvidenceCorrection {
  const changes: EvidenceCorrection = {};
  if (customer.orderRef !== undefined) changes.orderRef = customer.orderRef;
  if (customer.orderPaid !== undefined) changes.orderPaid = customer.orderPaid;
  if (customer.orderDate !== undefined) changes.orderAt = dayAt(customer.orderDate);
  if (customer.lastPurchaseDate !== undefined) changes.lastPurchaseAt = dayAt(customer.lastPurchaseDate);
  if (customer.productCategories !== undefined) changes.purchaseCategories = customer.productCategories;
  if (customer.optOutOffered !== undefined) changes.optOutOfferedAtCollection = customer.optOutOffered;
  if (customer.optOutTextVersionId !== undefined)
    changes.collectionTextVersionId = customer.optOutTextVersionId;
  if (customer.relationship !== undefined) changes.customerRelationship = customer.relationship;
  return changes;
}

/** A date-only value as the store keeps it: noon UTC, the same calendar day in every time zone. */
const dayAt = (date: string | null): string | null => (date === null ? null : `${date}T12:00:00.000Z`);
