// Seeding a store for tests above it: a list of contacts with consent evidence, written through the store's
// own functions (with their events), so a test sees what an import would have left.
import type { ContactRecord, RecipientKind } from '@consent-mailer/policy';
import { doi } from '@consent-mailer/policy/testing';
import type { ConsentEvidence } from '../consent-evidence.js';
import type { Executor } from '../event-log.js';
import { addToList, createList } from '../list.repository.js';
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
