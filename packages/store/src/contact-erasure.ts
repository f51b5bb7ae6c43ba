import { addressIdentity } from './address-identity.js';
import { appendEvent, type Executor } from './event-log.js';
import { eraseOptinEvents } from './optin-erasure.js';
import { inTransaction } from './transaction.js';

/** What an erasure removed. */
export interface ErasureResult {
  /** False when no contact had that address (the suppression entry is still made). */
  erased: boolean;
  addressHash: string;
  contactId: number | null;
  /** Personal event payloads removed from the log (the chained records stay and still verify). */
  eventPayloadsRemoved: number;
}

/**
 * Erases a person (GDPR art. 17): the contact, its consents and list memberships, the personal payloads
 * of its events, the address in the outbox and in bounce and complaint details all go; what stays is a
 * suppression entry (sha256 of the normalised address, reason ERASED, date, source), so the address is
 * never mailed again, and an `contact.erased` event. The event chain still verifies, because it holds only
 * hashes of the removed payloads. One transaction. The file keeps no copy: the store runs with
 * `secure_delete`; call `checkpointStore` afterwards to clear the write-ahead log too.
 *
 * @example
 * await eraseContact(db, { email: 'jan@example.nl', source: 'CLI', at: now.toISOString() });
 */
export async function eraseContact(
  db: Executor,
  input: { email: string; source: string; at: string },
): Promise<ErasureResult> {
  const identity = addressIdentity(input.email);
  // Every case variant is the same person: rows still on the pre-identity hash of this spelling go too.
  const hashes = identity.legacyHash === null ? [identity.hash] : [identity.hash, identity.legacyHash];
  return eraseHashes(db, hashes, input);
}

/**
 * Erases a person known only by the hash of their address, as `eraseContact` does: what a restore does
 * for every erasure made after the backup was taken, so an older backup never brings a person back.
 *
 * @example
 * await eraseAddressHash(db, { addressHash, source: 'RESTORE', at });
 */
export async function eraseAddressHash(
  db: Executor,
  input: { addressHash: string; source: string; at: string },
): Promise<ErasureResult> {
  return eraseHashes(db, [input.addressHash], input);
}

/** The hashes of the addresses a contact had before a domain correction (`contact.address_corrected`). */
async function earlierAddressHashes(db: Executor, contactId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('event')
    .select('data')
    .where('type', '=', 'contact.address_corrected')
    .where('entity', '=', 'contact')
    .where('entity_id', '=', String(contactId))
    .execute();
  return rows.map((row) => (JSON.parse(row.data) as { fromHash: string }).fromHash);
}

async function eraseHashes(
  db: Executor,
  hashes: readonly string[],
  input: { source: string; at: string },
): Promise<ErasureResult> {
  const hash = hashes[0];
  if (hash === undefined) throw new Error('eraseHashes needs a hash');
  return inTransaction(db, async (trx) => {
    const contact = await trx
      .selectFrom('contact')
      .select('id')
      .where('address_hash', '=', hash)
      .executeTakeFirst();
    // A contact whose mistyped domain was corrected is the same person under the old address: its
    // deliveries, bounces and payloads go too, and the old address is never mailed either.
    const earlier = contact === undefined ? [] : await earlierAddressHashes(trx, contact.id);
    hashes = [...new Set([...hashes, ...earlier])];
    const removed = await trx
      .deleteFrom('event_personal')
      .where('subject_hash', 'in', hashes)
      .executeTakeFirst();
    // SMTP replies and DSN texts quote the address; they go with it.
    await trx
      .updateTable('delivery')
      .set({ email: null, smtp_reply: null, last_error: null, updated_at: input.at })
      .where('address_hash', 'in', hashes)
      .execute();
    await trx.updateTable('bounce').set({ diagnostic: null }).where('address_hash', 'in', hashes).execute();
    await trx.updateTable('complaint').set({ detail: null }).where('address_hash', 'in', hashes).execute();
    // What the opt-in service reported (address, IPs, browsers, the confirmation mail) goes too.
    await eraseOptinEvents(trx, hashes, contact?.id ?? null);
    if (contact !== undefined) {
      await trx.updateTable('complaint').set({ detail: null }).where('contact_id', '=', contact.id).execute();
      // list_membership and consent go with the contact (ON DELETE CASCADE); outbox rows keep their hash.
      await trx.deleteFrom('contact').where('id', '=', contact.id).execute();
    }
    for (const previous of earlier) {
      await trx
        .insertInto('suppression')
        .values({
          address_hash: previous,
          reason: 'ERASED',
          source: input.source,
          note: null,
          created_at: input.at,
        })
        .onConflict((conflict) => conflict.columns(['address_hash', 'reason']).doNothing())
        .execute();
    }
    const suppression = await trx
      .insertInto('suppression')
      .values({
        address_hash: hash,
        reason: 'ERASED',
        source: input.source,
        note: null,
        created_at: input.at,
      })
      .onConflict((conflict) => conflict.columns(['address_hash', 'reason']).doNothing())
      .returning('id')
      .executeTakeFirst();
    await appendEvent(trx, {
      type: 'contact.erased',
      entity: 'contact',
      entityId: contact?.id ?? null,
      at: input.at,
      data: {
        addressHash: hash,
        source: input.source,
        suppressionId: suppression?.id ?? null,
        eventPayloadsRemoved: Number(removed.numDeletedRows),
        ...(earlier.length > 0 ? { earlierAddressHashes: earlier } : {}),
      },
    });
    return {
      erased: contact !== undefined,
      addressHash: hash,
      contactId: contact?.id ?? null,
      eventPayloadsRemoved: Number(removed.numDeletedRows),
    };
  });
}
