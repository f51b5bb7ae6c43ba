// Correcting a mistyped domain of a contact's address (gmial.com -> gmail.com), as an event of its own.
import { UserError } from '@consent-mailer/policy';
import { addressIdentity, lookupHashes } from './address-identity.js';
import { appendEvent, type Executor } from './event-log.js';
import { suppressedError } from './contact-merge.js';
import { inTransaction } from './transaction.js';

/** What a domain correction changed. */
export interface AddressCorrection {
  contactId: number;
  from: string;
  to: string;
  /** Consents whose hard bounce (of the mistyped address) was cleared, so the corrected one is tried. */
  bouncesCleared: number;
}

/**
 * Changes a contact's address to the same local part at another domain: the owner accepting the importer's
 * suggestion for a typo (hotmail.con -> hotmail.com). Only the domain may change, so the consent stays
 * with the person who gave it; any other change is a new contact with its own consent.
 *
 * Refused when the person objected (an unsubscribe or complaint on a consent, or the old or the new address
 * on the suppression list for any reason but a hard bounce): an opt-out is never escaped by a correction.
 * A hard bounce of the mistyped address is that address's, not the person's: it is cleared on the
 * consents (the suppression of the mistyped address stays), with the previous values in the event.
 *
 * @throws {UserError} CONTACT_NOT_FOUND, CONTACT_CORRECTION_NOT_DOMAIN, CONTACT_CORRECTION_SAME,
 *   CONTACT_ADDRESS_TAKEN, STORE_ADDRESS_SUPPRESSED
 * @example
 * await correctContactDomain(db, { email: 'jan@gmial.com', corrected: 'jan@gmail.com' }, { at });
 */
export async function correctContactDomain(
  db: Executor,
  input: { email: string; corrected: string },
  options: { at: string },
): Promise<AddressCorrection> {
  const before = addressIdentity(input.email);
  const after = addressIdentity(input.corrected);
  const local = (address: string) => address.slice(0, address.lastIndexOf('@'));
  if (before.email === after.email) {
    throw new UserError('CONTACT_CORRECTION_SAME', {
      en: `${after.spelling} is the address the contact already has: nothing to correct.`,
      nl: `${after.spelling} is het adres dat het contact al heeft: er is niets te corrigeren.`,
    });
  }
  if (local(before.email) !== local(after.email)) {
    throw new UserError('CONTACT_CORRECTION_NOT_DOMAIN', {
      en: `Only the part after the @ can be corrected (${before.spelling} -> ${after.spelling} changes the part before it). Another address is another person: add it as a new contact with its own consent.`,
      nl: `Alleen het deel na de @ kan gecorrigeerd worden (${before.spelling} -> ${after.spelling} verandert het deel ervoor). Een ander adres is een ander persoon: voeg het toe als nieuw contact met een eigen toestemming.`,
    });
  }
  return inTransaction(db, async (trx) => {
    const contact = await trx
      .selectFrom('contact')
      .select(['id', 'email', 'email_spelling'])
      .where('email', '=', before.email)
      .executeTakeFirst();
    if (contact === undefined) {
      throw new UserError('CONTACT_NOT_FOUND', {
        en: `There is no contact ${before.spelling}. Check the address (it may have been corrected already).`,
        nl: `Er is geen contact ${before.spelling}. Controleer het adres (misschien is het al gecorrigeerd).`,
      });
    }
    const taken = await trx
      .selectFrom('contact')
      .select('id')
      .where('email', '=', after.email)
      .executeTakeFirst();
    if (taken !== undefined) {
      throw new UserError('CONTACT_ADDRESS_TAKEN', {
        en: `${after.spelling} is already a contact of its own. Keep ${before.spelling} as it is, or erase it if it was the same person typed wrong.`,
        nl: `${after.spelling} is al een eigen contact. Laat ${before.spelling} zoals het is, of wis het als het dezelfde persoon was, verkeerd getypt.`,
      });
    }
    // What mail went to, and what the person gave: the stored spelling, not how the caller typed it.
    const from = contact.email_spelling ?? contact.email;
    const hashes = [...lookupHashes(from), ...lookupHashes(after.spelling)];
    const objections = await trx
      .selectFrom('suppression')
      .select('address_hash')
      .where('address_hash', 'in', hashes)
      .where('reason', '!=', 'HARD_BOUNCE')
      .execute();
    const objected = objections[0]?.address_hash;
    if (objected !== undefined)
      throw suppressedError(lookupHashes(from).includes(objected) ? from : after.spelling);
    const consents = await trx
      .selectFrom('consent')
      .select(['id', 'unsubscribed_at', 'complaint_at', 'hard_bounce_at', 'hard_bounce_status'])
      .where('contact_id', '=', contact.id)
      .execute();
    if (consents.some((consent) => consent.unsubscribed_at !== null || consent.complaint_at !== null))
      throw suppressedError(from);

    await trx
      .updateTable('contact')
      .set({
        email: after.email,
        email_spelling: after.spelling === after.email ? null : after.spelling,
        address_hash: after.hash,
        updated_at: options.at,
      })
      .where('id', '=', contact.id)
      .execute();
    const bounced = consents.filter((consent) => consent.hard_bounce_at !== null);
    if (bounced.length > 0) {
      await trx
        .updateTable('consent')
        .set({ hard_bounce_at: null, hard_bounce_status: null, soft_bounces: null, updated_at: options.at })
        .where(
          'id',
          'in',
          bounced.map((consent) => consent.id),
        )
        .execute();
    }
    await appendEvent(trx, {
      type: 'contact.address_corrected',
      entity: 'contact',
      entityId: contact.id,
      at: options.at,
      data: {
        part: 'domain',
        fromHash: before.hash,
        toHash: after.hash,
        bouncesCleared: bounced.map((consent) => ({
          consentId: consent.id,
          hardBounceAt: consent.hard_bounce_at,
          hardBounceStatus: consent.hard_bounce_status,
        })),
      },
      personal: { from, to: after.spelling },
      subjectHash: after.hash,
    });
    return {
      contactId: contact.id,
      from,
      to: after.spelling,
      bouncesCleared: bounced.length,
    };
  });
}
