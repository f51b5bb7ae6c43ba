import { CLASSIFICATIONS, CONSENT_METHODS, UserError, erasureReceiptText } from '@consent-mailer/policy';
import {
  addressIdentity,
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

export const contactsRouter = {
  /** How many contacts each class holds after their latest assessment, plus those never assessed (the dashboard chart). */
  countByClass: publicProcedure.query(async ({ ctx }) => countContactsByClass(ctx.store.db)),

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

  /** One contact with its consents, the records the rules judge, suppressions, lists and event history. */
  get: publicProcedure
    .input(EmailInput)
    .query(async ({ ctx, input }): Promise<ContactDetail & { history: ContactHistoryEntry[] }> => {
      const detail = await getContactByEmail(ctx.store.db, input.email);
      if (detail === null) throw notFound(input.email);
      return { ...detail, history: await getContactHistory(ctx.store.db, detail) };
    }),

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
