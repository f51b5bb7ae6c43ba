// Seeding a store for tests above it: a list of contacts with consent evidence, written through the store's
// own functions (with their events), so a test sees what an import would have left.
import type { ContactRecord, MailingContent, RecipientKind } from '@consent-mailer/policy';
import { doi } from '@consent-mailer/policy/testing';
import type { ConsentEvidence } from '../consent-evidence.js';
import type { Executor } from '../event-log.js';
import { addToList, createList } from '../list.repository.js';
import { createMailing } from '../mailing.repository.js';
import type { MailingRow } from '../mailing.table.js';
import { createSmtpProfile, listSmtpProfiles } from '../smtp-profile.repository.js';
import { upsertContact } from '../contact-upsert.js';
import { AT } from './temp-store.js';

/**
 * A confirmed web double opt-in with every piece of evidence rule D1 asks for (the policy kit's `doi`), as
 * the consent of `senderEntityId` for all its lists.
 *
 * @example
 * await upsertContact(store.db, { email: 'jan@example.nl', consent: doubleOptInConsent('bakkerij') }, { at });
 */
export function doubleOptInConsent(
  senderEntityId: string,
  over: Partial<ConsentEvidence> = {},
): ConsentEvidence {
  return consentOf(doi({ senderEntityId, scopeLists: 'ALL', ...over }));
}

/** The consent part of a policy record (the policy kit's builders make whole records). */
export function consentOf(record: ContactRecord): ConsentEvidence {
  const { email: _email, recipientKind: _kind, addressKind: _addressKind, ...consent } = record;
  return consent;
}

/** One contact to seed: no consent leaves only the contact (the rules then have nothing to go on). */
export interface SeedContact {
  email: string;
  firstName?: string | null;
  recipientKind?: RecipientKind;
  consent: ConsentEvidence | null;
}

/**
 * Adds (or merges) each contact with its consent and puts them all on list `listId`, which is created when
 * `list` gives its name. Returns the contact ids in order.
 *
 * @example
 * await seedList(store.db, 'nieuwsbrief', [{ email: 'jan@example.nl', consent: doubleOptInConsent('bakkerij') }],
 *   { list: { name: 'Nieuwsbrief', senderEntityId: 'bakkerij' } });
 */
export async function seedList(
  db: Executor,
  listId: string,
  contacts: readonly SeedContact[],
  options: { at?: string; list?: { name: string; senderEntityId?: string } } = {},
): Promise<number[]> {
  const at = options.at ?? AT;
  if (options.list) await createList(db, { id: listId, ...options.list, at });
  const ids: number[] = [];
  for (const contact of contacts) {
    const result = await upsertContact(
      db,
      {
        email: contact.email,
        firstName: contact.firstName ?? null,
        recipientKind: contact.recipientKind ?? 'CONSUMER',
        ...(contact.consent ? { consent: contact.consent } : {}),
      },
      { at },
    );
    ids.push(result.contactId);
  }
  await addToList(db, listId, ids, { at });
  return ids;
}

/** One mailing to seed: what a test sets; the rest is a plain Dutch marketing mailing. */
export interface SeedMailing {
  id: string;
  senderEntityId: string;
  listId: string;
  subject: string;
  /** Default: `Mailing <subject>`. */
  name?: string;
  content?: MailingContent;
  at?: string;
}

/** The SMTP profile every seeded mailing names (a mailing needs one; no test here sends through it). */
const SEED_SMTP_PROFILE = 'seed-smtp';

/**
 * Adds a draft mailing through `createMailing` (with its `mailing.created` event), on an SMTP profile the
 * kit adds once per store.
 *
 * @example
 * await seedMailing(store.db, { id: 'mailing-1', senderEntityId: 'bakkerij', listId: 'nieuwsbrief', subject: 'Kerstbrood' });
 */
export async function seedMailing(db: Executor, mailing: SeedMailing): Promise<MailingRow> {
  const at = mailing.at ?? AT;
  const profiles = await listSmtpProfiles(db);
  if (!profiles.some((profile) => profile.id === SEED_SMTP_PROFILE)) {
    await createSmtpProfile(
      db,
      {
        id: SEED_SMTP_PROFILE,
        name: SEED_SMTP_PROFILE,
        host: 'localhost',
        port: 2525,
        security: 'NONE',
        fromAddress: 'nieuws@bakkerij.example',
        connections: 1,
      },
      at,
    );
  }
  return createMailing(
    db,
    {
      id: mailing.id,
      name: mailing.name ?? `Mailing ${mailing.subject}`,
      senderEntityId: mailing.senderEntityId,
      listId: mailing.listId,
      smtpProfileId: SEED_SMTP_PROFILE,
      subject: mailing.subject,
      html: '<p>Hallo</p>',
      text: 'Hallo',
      content: mailing.content ?? 'MARKETING',
      lang: 'nl',
    },
    at,
  );
}
