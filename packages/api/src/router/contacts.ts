import { UserError, classifyContact, erasureReceiptText, type ContactRecord } from '@consent-mailer/policy';
import {
  addToList,
  addressIdentity,
  correctConsentEvidence,
  correctContactDomain,
  getConsentTextVersion,
  getSenderEntity,
  inTransaction,
  upsertContact,
  checkpointStoreChecked,
  countContactsByClass,
  eraseContact,
  getContactByEmail,
  getContactHistory,
  indexPendingContacts,
  listContacts,
  type ContactDetail,
  type ContactHistoryEntry,
} from '@consent-mailer/store';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import {
  AddContactInput,
  ContactListInput,
  CorrectDomainInput,
  CorrectEvidenceInput,
  EmailInput,
  customerChanges,
  evidenceOf,
  textNotFound,
} from '../contacts/contact-inputs.js';
import { cleanUpAfterErasure, erasureNeedles } from '../files/erasure-files.js';
import { publicProcedure } from '../trpc.js';

function notFound(email: string): UserError {
  return new UserError('CONTACT_NOT_FOUND', {
    en: `There is no contact with the address ${email}. Check the spelling, or search with "contacts list --search".`,
    nl: `Er is geen contact met het adres ${email}. Controleer de spelling, of zoek met "contacts list --search".`,
  });
}

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
      if (typeof id === 'string' && (await getConsentTextVersion(ctx.store.db, id)) === null)
        throw textNotFound();
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
