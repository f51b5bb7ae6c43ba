import { FileEvidence } from '@consent-mailer/importer';
import {
  CLASSIFICATIONS,
  CONSENT_METHODS,
  CustomerRelationship,
  OptOutAtCollection,
  RECIPIENT_KINDS,
  UserError,
  classifyContact,
  erasureReceiptText,
  type ContactRecord,
} from '@consent-mailer/policy';
import {
  addToList,
  addressIdentity,
  correctConsentEvidence,
  correctContactDomain,
  getConsentTextVersion,
  getSenderEntity,
  inTransaction,
  upsertContact,
  type EvidenceCorrection,
  checkpointStoreChecked,
  countContactsByClass,
  eraseContact,
  getContactByEmail,
  getContactHistory,
  indexPendingContacts,
  listContacts,
  type ConsentEvidence,
  type ContactDetail,
  type ContactHistoryEntry,
} from '@consent-mailer/store';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { cleanUpAfterErasure, erasureNeedles } from '../files/erasure-files.js';
import { publicProcedure } from '../trpc.js';

/** Input of `contacts.list`: filters and the keyset cursor. */
export const ContactListInput = z.object({
  classification: z.enum([...CLASSIFICATIONS, 'UNASSESSED']).optional(),
  method: z.enum(CONSENT_METHODS).optional(),
  listId: z.string().min(1).max(200).optional(),
  search: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(1000).default(50),
  after: z.number().int().nonnegative().nullable().optional(),
});

const EmailInput = z.object({ email: z.string().trim().min(3).max(254) });

function notFound(email: string): UserError {
  return new UserError('CONTACT_NOT_FOUND', {
    en: `There is no contact with the address ${email}. Check the spelling, or search with "contacts list --search".`,
    nl: `Er is geen contact met het adres ${email}. Controleer de spelling, of zoek met "contacts list --search".`,
  });
}

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

function textNotFound(): UserError {
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
function evidenceOf(input: z.output<typeof AddContactInput>): ConsentEvidence {
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
  /** An existing customer's evidence: the order, whether it was paid, the last purchase, the opt-out offered. */
  customer: z
    .object({
      orderRef: Text.nullable(),
      orderPaid: z.boolean(),
      orderDate: DateOnly.nullable(),
      lastPurchaseDate: DateOnly.nullable(),
      productCategories: z.array(Text).min(1).max(50),
      optOutOffered: OptOutAtCollection,
      /** The text that offered the opt-out when the address was collected (the checkout's wording). */
      optOutTextVersionId: z.string().regex(/^[0-9a-f]{64}$/),
      relationship: CustomerRelationship,
    })
    .partial()
    .optional(),
});

/** The store's names for the customer evidence the owner corrects, each only when given. */
function customerChanges(
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

/**
 * The policy's verdict on a consent record for a newsletter of its sender: a marketing mailing to `listId`
 * (else the record's first list) without product categories. The policy decides; nothing is judged here.
 */
function newsletterVerdict(record: ContactRecord, listId: string | undefined, at: string) {
  return classifyContact(
    record,
    {
      id: 'contact-newsletter',
      senderEntityId: record.senderEntityId,
      listId: listId ?? (Array.isArray(record.scopeLists) ? record.scopeLists[0] : undefined) ?? 'any-list',
      content: 'MARKETING',
    },
    { now: at },
  );
}

/** The policy's class of a contact's consent for a marketing mailing of that sender to `listId`. */
async function classifyStored(
  db: Parameters<typeof getContactByEmail>[0],
  email: string,
  senderEntityId: string,
  listId: string | undefined,
  at: string,
) {
  const detail = await getContactByEmail(db, email);
  const record: ContactRecord | undefined = detail?.records.find(
    (candidate) => candidate.senderEntityId === senderEntityId,
  );
  const verdict = record === undefined ? null : newsletterVerdict(record, listId, at);
  return {
    email: detail?.contact.email ?? addressIdentity(email).email,
    classification: verdict?.classification ?? null,
    reasons: verdict?.reasons.map((reason) => reason.code) ?? [],
  };
}

/** The policy's class of one sender's consent for a newsletter (`contacts.get`). */
export interface NewsletterClass {
  senderEntityId: string;
  classification: ReturnType<typeof classifyContact>['classification'];
}

export const contactsRouter = {
  /**
   * Adds one contact (someone who subscribed by phone, on paper or at the counter) or extends the
   * existing one with the same address (case-insensitive): names are updated, the consent is merged
   * without ever being downgraded, and the lists are added. A suppressed address is refused: an opt-out
   * is never undone by adding. Every change is an event in the chain. Returns how the policy classifies
   * the stored consent for a marketing mailing of that sender to the (first) chosen list.
   */
  add: publicProcedure.input(AddContactInput).mutation(async ({ ctx, input }) => {
    const at = ctx.clock().toISOString();
    await getSenderEntity(ctx.store.db, input.senderEntityId);
    const consent = evidenceOf(input);
    // Every text the evidence names must be stored: the script or form text, or the collection text.
    for (const textId of [consent.consentTextVersionId, consent.collectionTextVersionId]) {
      if (textId !== undefined && (await getConsentTextVersion(ctx.store.db, textId)) === null)
        throw textNotFound();
    }
    const result = await inTransaction(ctx.store.db, async (trx) => {
      const upserted = await upsertContact(
        trx,
        {
          email: input.email,
          ...(input.firstName ? { firstName: input.firstName } : {}),
          ...(input.lastName ? { lastName: input.lastName } : {}),
          ...(input.organisation ? { organisation: input.organisation } : {}),
          recipientKind: input.recipientKind,
          consent,
        },
        { at },
      );
      for (const listId of input.listIds)
        await addToList(trx, listId, [upserted.contactId], { at, source: 'APP' });
      return upserted;
    });
    const verdict = await classifyStored(
      ctx.store.db,
      input.email,
      input.senderEntityId,
      input.listIds[0],
      at,
    );
    return { ...verdict, created: result.created };
  }),

  /** How many contacts each class holds after their latest assessment, plus those never assessed (the dashboard chart). */
  countByClass: publicProcedure.query(async ({ ctx }) => countContactsByClass(ctx.store.db)),

  /**
   * Corrects what was typed wrong in a phone or paper consent (the date, who called, the scan or recording
   * reference, the script or form text) or in an existing customer's (the order, whether it was paid, the last
   * purchase, the product categories, the opt-out offered); the method, lists and status dates stay. An event names the
   * corrected fields. Returns the class afterwards, as `add` does.
   */
  correctEvidence: publicProcedure.input(CorrectEvidenceInput).mutation(async ({ ctx, input }) => {
    const at = ctx.clock().toISOString();
    for (const id of [input.consentTextVersionId, input.customer?.optOutTextVersionId])
      if (id !== undefined && (await getConsentTextVersion(ctx.store.db, id)) === null) throw textNotFound();
    const { corrected } = await correctConsentEvidence(
      ctx.store.db,
      {
        email: input.email,
        senderEntityId: input.senderEntityId,
        changes: {
          ...(input.date === undefined ? {} : { signupAt: `${input.date}T12:00:00.000Z` }),
          ...(input.staffMember === undefined ? {} : { phoneAgent: input.staffMember }),
          ...(input.scanRef === undefined ? {} : { paperScanRef: input.scanRef }),
          ...(input.recordingRef === undefined ? {} : { phoneRecordingRef: input.recordingRef }),
          ...(input.consentTextVersionId === undefined
            ? {}
            : { consentTextVersionId: input.consentTextVersionId }),
          ...customerChanges(input.customer ?? {}),
        },
      },
      { at },
    );
    return {
      ...(await classifyStored(ctx.store.db, input.email, input.senderEntityId, undefined, at)),
      corrected,
    };
  }),

  /**
   * The owner accepts a suggested fix of a mistyped domain (jan@gmial.com -> jan@gmail.com): the contact
   * and its consents move to the corrected address with a chained event. Only the domain may change.
   */
  correctDomain: publicProcedure
    .input(CorrectDomainInput)
    .mutation(async ({ ctx, input }) =>
      correctContactDomain(ctx.store.db, input, { at: ctx.clock().toISOString() }),
    ),

  /** A page of contacts (keyset pagination), filtered by stored class, consent method, list and text. */
  list: publicProcedure.input(ContactListInput).query(async ({ ctx, input }) => {
    const { limit, after, ...filter } = input;
    return listContacts(ctx.store.db, filter, { limit, after: after ?? null });
  }),

  /**
   * Brings the search index up to date with the contacts imported or changed since (in transactions of
   * 20,000 rows). Imports leave this to a separate step so they stay fast; the app runs it when idle
   * after an import, the CLI before a search. Until then a search still finds every contact (by a scan).
   */
  indexForSearch: publicProcedure
    .input(z.object({ maxRows: z.number().int().positive().optional() }).default({}))
    .mutation(async ({ ctx, input }) => ({
      indexed: await indexPendingContacts(
        ctx.store.db,
        input.maxRows === undefined ? {} : { maxRows: input.maxRows },
      ),
    })),

  /**
   * One contact with its consents, the records the rules judge, suppressions, lists and event history, and
   * per sender the policy's class of the consent for a newsletter (as `add` reports it), judged now.
   */
  get: publicProcedure
    .input(EmailInput)
    .query(
      async ({
        ctx,
        input,
      }): Promise<
        ContactDetail & { history: ContactHistoryEntry[]; newsletterClasses: NewsletterClass[] }
      > => {
        const detail = await getContactByEmail(ctx.store.db, input.email);
        if (detail === null) throw notFound(input.email);
        const at = ctx.clock().toISOString();
        const newsletterClasses = detail.records.map((record) => ({
          senderEntityId: record.senderEntityId,
          classification: newsletterVerdict(record, undefined, at).classification,
        }));
        return { ...detail, history: await getContactHistory(ctx.store.db, detail), newsletterClasses };
      },
    ),

  /**
   * Erases a person (GDPR art. 17): only a suppression entry with the hash of the address stays. Then
   * nothing readable is left beside it: the write-ahead log is folded back (retried while another program
   * holds it open, and reported when it still could not finish), rejects reports of earlier imports lose
   * the rows that mention the person, leftover uploads with the address are deleted, and the backups in
   * the data folder that still hold the person are listed with their dates.
   */
  erase: publicProcedure
    .input(EmailInput.extend({ source: z.string().min(1).max(50).default('APP') }))
    .mutation(async ({ ctx, input }) => {
      const identity = addressIdentity(input.email);
      // The names identify the person in rejects reports too; read them before they are erased.
      const before = await getContactByEmail(ctx.store.db, input.email);
      const result = await eraseContact(ctx.store.db, {
        email: input.email,
        source: input.source,
        at: ctx.clock().toISOString(),
      });
      const files = await cleanUpAfterErasure(
        ctx.store,
        ctx.dataDir,
        identity,
        erasureNeedles(identity, [before?.contact.last_name, before?.contact.organisation]),
      );
      const walCheckpoint = await checkpointStoreChecked(ctx.store);
      const warnings: { en: string; nl: string }[] = [];
      if (!walCheckpoint.complete) {
        warnings.push({
          en: `Another program has the database open, so the erased data could not yet be cleared from its write-ahead log (${ctx.store.path}-wal; tried ${walCheckpoint.attempts} times). Close other Consent Mailer windows and command lines, then run the erasure again.`,
          nl: `Een ander programma heeft de database open, dus de gewiste gegevens konden nog niet uit het write-ahead-log worden gehaald (${ctx.store.path}-wal; ${walCheckpoint.attempts} keer geprobeerd). Sluit andere Consent Mailer-vensters en opdrachtregels en voer het wissen opnieuw uit.`,
        });
      }
      if (files.backupsHoldingPerson.length > 0) {
        const list = files.backupsHoldingPerson
          .map((backup) => `${backup.path} (${backup.modifiedAt})`)
          .join(', ');
        warnings.push({
          en: `These backups still hold the person: ${list}. Delete them if they are no longer needed; restoring one erases the person again.`,
          nl: `Deze back-ups bevatten de persoon nog: ${list}. Verwijder ze als ze niet meer nodig zijn; bij het terugzetten van een ervan wordt de persoon opnieuw gewist.`,
        });
      }
      // The receipt says what was kept and why (pseudonymous suppression entry, GDPR art. 17(3), 21(3)).
      const receipt = erasureReceiptText({ addressHash: result.addressHash });
      return { ...result, walCheckpoint, ...files, warnings, receipt };
    }),
} satisfies TRPCRouterRecord;
