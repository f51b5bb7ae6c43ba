import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { normalizeEmailAddress } from '@consent-mailer/policy';
import { addressHash } from '../address-hash.js';
import { CONSENT_COLUMNS, mergeConsent, type ConsentColumns } from '../consent-evidence.js';
import type { ConsentRow } from '../consent.table.js';
import type { Database } from '../database.js';
import { appendEvent } from '../event-log.js';
import { runStatements } from './migration-sql.js';

/** Old-hash -> new-hash pairs per `address.rehashed` event: small events, few of them. */
const PAIRS_PER_EVENT = 500;

interface StoredContact {
  id: number;
  email: string;
  address_hash: string;
  first_name: string | null;
  last_name: string | null;
  organisation: string | null;
  recipient_kind: string;
  address_kind: string;
}

/** What the migration changed, as the summary event records it. */
interface MergeCounts {
  contactsRehashed: number;
  contactsMerged: number;
  consentsMerged: number;
  consentsMoved: number;
  suppressionsRehashed: number;
  /** Suppressions left on their old hash because the same reason already exists on the new one. */
  suppressionsKeptOnOldHash: number;
  deliveriesRehashed: number;
}

/**
 * One address identity (issue 12): until now only the domain was lower-cased, so `JAN@x.nl` and `jan@x.nl`
 * were two contacts and an unsubscribe of one left the other mailable. This migration adds
 * `contact.email_spelling` (the address as given, used for sending) and moves every stored address to the
 * new identity (`normalizeEmailAddress`: the whole address lower-cased):
 *
 * - case variants of one address are merged into the oldest contact: consents for the same sender entity
 *   with `mergeConsent` (the stronger evidence wins, every unsubscribe/objection/complaint/bounce date
 *   stays, WITHDRAWN stays WITHDRAWN), other consents, list memberships, deliveries, bounces and
 *   complaints re-pointed; one `contact.merged` event per merge;
 * - the address hash of every changed contact and outbox row is recomputed, and suppressions, bounces,
 *   complaints and erasable event payloads follow it (`address.rehashed` events list the old -> new pairs,
 *   so the chain accounts for every moved suppression);
 * - a suppression whose contact row no longer exists (erased, or suppressed by hash only) keeps its old
 *   hash: nothing says which address it was. Lookups by address check that legacy hash too
 *   (`lookupHashes`), so it keeps blocking the spelling it was made for;
 * - acknowledgement recipients keep their hashes: they are covered by a signature. A mailing whose
 *   TRANSFER_RISK recipients had capitals needs a new acknowledgement (the gate refuses, it never
 *   over-covers).
 *
 * A fresh database has no rows, so nothing is written to the event log there.
 */
export const mergeAddressIdentities: Migration = {
  async up(db: Kysely<unknown>) {
    await runStatements(db, ['ALTER TABLE contact ADD COLUMN email_spelling TEXT']);
    // Migrations get no clock; the time of the run is what the events must say.
    await mergeStoredAddresses(db, new Date().toISOString());
  },
};

async function tableExists(db: Kysely<Database>, name: string): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = ${name}`.execute(db);
  return (rows[0]?.n ?? 0) > 0;
}

function identityOf(email: string): string | null {
  try {
    return normalizeEmailAddress(email);
  } catch {
    // A row the old normalisation accepted but the new one does not cannot exist (the new one only adds
    // lower-casing); if one does, it is left exactly as it is rather than guessed at.
    return null;
  }
}

async function mergeStoredAddresses(db: Kysely<Database>, at: string): Promise<void> {
  const counts: MergeCounts = {
    contactsRehashed: 0,
    contactsMerged: 0,
    consentsMerged: 0,
    consentsMoved: 0,
    suppressionsRehashed: 0,
    suppressionsKeptOnOldHash: 0,
    deliveriesRehashed: 0,
  };
  const { rows: contacts } = await sql<StoredContact>`
    SELECT id, email, address_hash, first_name, last_name, organisation, recipient_kind, address_kind
    FROM contact ORDER BY id`.execute(db);
  const groups = new Map<string, StoredContact[]>();
  for (const contact of contacts) {
    const identity = identityOf(contact.email);
    if (identity === null) continue;
    groups.set(identity, [...(groups.get(identity) ?? []), contact]);
  }
  /** Every old hash that now means another one. */
  const moved = new Map<string, string>();

  for (const [identity, members] of groups) {
    const first = members[0];
    if (first === undefined) continue;
    const newHash = addressHash(identity);
    if (members.length === 1 && first.email === identity) continue;
    const survivor = first;
    const losers = members.slice(1);
    for (const member of members)
      if (member.address_hash !== newHash) moved.set(member.address_hash, newHash);
    if (losers.length > 0) await mergeInto(db, survivor, losers, { identity, newHash, at, counts });
    // The losers are gone, so the identity and its hash are free for the survivor.
    const spelling = [survivor, ...losers].map((member) => member.email).find((email) => email !== identity);
    await db
      .updateTable('contact')
      .set({ email: identity, address_hash: newHash, email_spelling: spelling ?? null })
      .where('id', '=', survivor.id)
      .execute();
    counts.contactsRehashed += 1;
  }

  // Outbox rows keep the address they were sent to: rehash each from its own address.
  const { rows: deliveries } = await sql<{ id: number; email: string; address_hash: string }>`
    SELECT id, email, address_hash FROM delivery WHERE email IS NOT NULL`.execute(db);
  for (const delivery of deliveries) {
    const identity = identityOf(delivery.email);
    if (identity === null) continue;
    const newHash = addressHash(identity);
    if (newHash === delivery.address_hash) continue;
    if (!moved.has(delivery.address_hash)) moved.set(delivery.address_hash, newHash);
    // OR IGNORE: two variants queued for one mailing; the second keeps its old hash (history, not lost).
    const result =
      await sql`UPDATE OR IGNORE delivery SET address_hash = ${newHash} WHERE id = ${delivery.id}`.execute(
        db,
      );
    counts.deliveriesRehashed += Number(result.numAffectedRows ?? 0n);
  }

  const pairs = [...moved];
  for (const [oldHash, newHash] of pairs) {
    const result = await sql`UPDATE OR IGNORE suppression SET address_hash = ${newHash}
      WHERE address_hash = ${oldHash}`.execute(db);
    counts.suppressionsRehashed += Number(result.numAffectedRows ?? 0n);
    await db
      .updateTable('bounce')
      .set({ address_hash: newHash })
      .where('address_hash', '=', oldHash)
      .execute();
    await db
      .updateTable('complaint')
      .set({ address_hash: newHash })
      .where('address_hash', '=', oldHash)
      .execute();
    await db
      .updateTable('event_personal')
      .set({ subject_hash: newHash })
      .where('subject_hash', '=', oldHash)
      .execute();
  }
  if (pairs.length > 0) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM suppression
      WHERE address_hash IN (SELECT value FROM json_each(${JSON.stringify(pairs.map(([oldHash]) => oldHash))}))`.execute(
      db,
    );
    counts.suppressionsKeptOnOldHash = rows[0]?.n ?? 0;
  }

  for (let start = 0; start < pairs.length; start += PAIRS_PER_EVENT) {
    await appendEvent(db, {
      type: 'address.rehashed',
      entity: 'contact',
      at,
      data: { reason: 'ADDRESS_IDENTITY', pairs: pairs.slice(start, start + PAIRS_PER_EVENT) },
    });
  }
  if (pairs.length > 0 || counts.contactsRehashed > 0) {
    await appendEvent(db, {
      type: 'address_identity.migrated',
      entity: 'contact',
      at,
      data: { ...counts },
    });
  }
}

async function mergeInto(
  db: Kysely<Database>,
  survivor: StoredContact,
  losers: readonly StoredContact[],
  context: { identity: string; newHash: string; at: string; counts: MergeCounts },
): Promise<void> {
  const { at, counts } = context;
  const loserIds = losers.map((loser) => loser.id);
  const consentIds: { merged: number[]; moved: number[] } = { merged: [], moved: [] };
  const hasMembership = await tableExists(db, 'list_membership');
  for (const loser of losers) {
    const survivorConsents = await db
      .selectFrom('consent')
      .selectAll()
      .where('contact_id', '=', survivor.id)
      .execute();
    const bySender = new Map(survivorConsents.map((consent) => [consent.sender_entity_id, consent]));
    const loserConsents = await db
      .selectFrom('consent')
      .selectAll()
      .where('contact_id', '=', loser.id)
      .execute();
    for (const consent of loserConsents) {
      const kept = bySender.get(consent.sender_entity_id);
      if (kept === undefined) {
        await db
          .updateTable('consent')
          .set({ contact_id: survivor.id })
          .where('id', '=', consent.id)
          .execute();
        consentIds.moved.push(consent.id);
        counts.consentsMoved += 1;
        continue;
      }
      const { columns } = mergeConsent(consentColumns(kept), consentColumns(consent));
      // A withdrawal on either variant withdraws the merged consent: opt-outs are never lost.
      const status = kept.status === 'WITHDRAWN' || consent.status === 'WITHDRAWN' ? 'WITHDRAWN' : 'ACTIVE';
      await db
        .updateTable('consent')
        .set({ ...columns, status, updated_at: at })
        .where('id', '=', kept.id)
        .execute();
      consentIds.merged.push(consent.id);
      counts.consentsMerged += 1;
    }
    if (hasMembership) {
      await sql`INSERT OR IGNORE INTO list_membership (list_id, contact_id, added_at, source)
        SELECT list_id, ${survivor.id}, added_at, source FROM list_membership WHERE contact_id = ${loser.id}`.execute(
        db,
      );
    }
    for (const table of ['delivery', 'bounce', 'complaint'] as const) {
      await db
        .updateTable(table)
        .set({ contact_id: survivor.id })
        .where('contact_id', '=', loser.id)
        .execute();
    }
    // Names fill gaps; the kinds the rules depend on are only filled in, never flipped.
    await db
      .updateTable('contact')
      .set({
        first_name: survivor.first_name ?? loser.first_name,
        last_name: survivor.last_name ?? loser.last_name,
        organisation: survivor.organisation ?? loser.organisation,
        recipient_kind: (survivor.recipient_kind === 'UNKNOWN'
          ? loser.recipient_kind
          : survivor.recipient_kind) as StoredContactKinds['recipient_kind'],
        address_kind: (survivor.address_kind === 'UNKNOWN'
          ? loser.address_kind
          : survivor.address_kind) as StoredContactKinds['address_kind'],
        // The merged evidence was never assessed: the contact list shows it as unassessed until it is.
        last_classification: null,
        updated_at: at,
      })
      .where('id', '=', survivor.id)
      .execute();
    // Its merged consents and memberships go with it (ON DELETE CASCADE); the moved ones are the survivor's now.
    await db.deleteFrom('contact').where('id', '=', loser.id).execute();
    counts.contactsMerged += 1;
  }
  await appendEvent(db, {
    type: 'contact.merged',
    entity: 'contact',
    entityId: survivor.id,
    at,
    data: {
      reason: 'ADDRESS_IDENTITY',
      addressHash: context.newHash,
      mergedContactIds: loserIds,
      replacedHashes: [survivor, ...losers].map((member) => member.address_hash),
      mergedConsentIds: consentIds.merged,
      movedConsentIds: consentIds.moved,
    },
  });
}

type StoredContactKinds = Pick<Database['contact'], 'recipient_kind' | 'address_kind'>;

function consentColumns(row: ConsentRow): ConsentColumns {
  const columns: Record<string, unknown> = {};
  for (const column of CONSENT_COLUMNS) columns[column] = row[column];
  return columns as unknown as ConsentColumns;
}
