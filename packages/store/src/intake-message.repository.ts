// The messages the intake read (bounces, complaints, unsubscribes, replies): recorded once each, their
// moves to Processed/Unrecognised, and the owner's review of the replies it was unsure about.
import { UserError } from '@consent-mailer/policy';
import { appendEvent, type Executor } from './event-log.js';
import { advanceIntakeCheckpoint } from './intake-mailbox.repository.js';
import type { IntakeAttribution, IntakeMessageKind, IntakeMessageRow } from './intake.table.js';
import { addSuppression } from './suppression.repository.js';
import { inTransaction } from './transaction.js';

/** A message already read: by its place (folder, UIDVALIDITY, UID) or by its content. */
export async function findIntakeMessage(
  db: Executor,
  key: { mailboxId: string; folder: string; uidValidity: number; uid: number; sourceSha256?: string },
): Promise<IntakeMessageRow | undefined> {
  const byPlace = await db
    .selectFrom('intake_message')
    .selectAll()
    .where('mailbox_id', '=', key.mailboxId)
    .where('folder', '=', key.folder)
    .where('uid_validity', '=', key.uidValidity)
    .where('uid', '=', key.uid)
    .executeTakeFirst();
  if (byPlace || key.sourceSha256 === undefined) return byPlace;
  return db
    .selectFrom('intake_message')
    .selectAll()
    .where('mailbox_id', '=', key.mailboxId)
    .where('source_sha256', '=', key.sourceSha256)
    .executeTakeFirst();
}

/** One message read by the intake, to record with what was done about it. */
export interface IntakeMessageInput {
  mailboxId: string;
  folder: string;
  uidValidity: number;
  uid: number;
  sourceSha256: string;
  kind: IntakeMessageKind;
  attribution: IntakeAttribution;
  mailingId?: string | null;
  deliveryId?: number | null;
  contactId?: number | null;
  addressHash?: string | null;
  /** What was done, per recipient, addresses as hashes only. */
  outcome: Record<string, unknown>;
  needsReview?: boolean;
  moveTo?: string | null;
  receivedAt?: string | null;
}

/**
 * Records a message the intake read, advances the folder's checkpoint and appends an
 * `intake.message_read` event: call it in the same transaction as the bounce, complaint or suppression
 * the message led to, so a crash leaves either all of it or none (and the message is read again).
 *
 * @example
 * await inTransaction(db, async (trx) => { await recordBounce(trx, …); await recordIntakeMessage(trx, …, at); });
 */
export async function recordIntakeMessage(
  db: Executor,
  input: IntakeMessageInput,
  at: string,
): Promise<IntakeMessageRow> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('intake_message')
      .values({
        mailbox_id: input.mailboxId,
        folder: input.folder,
        uid_validity: input.uidValidity,
        uid: input.uid,
        source_sha256: input.sourceSha256,
        kind: input.kind,
        attribution: input.attribution,
        mailing_id: input.mailingId ?? null,
        delivery_id: input.deliveryId ?? null,
        contact_id: input.contactId ?? null,
        address_hash: input.addressHash ?? null,
        outcome: JSON.stringify(input.outcome),
        needs_review: input.needsReview ? 1 : 0,
        reviewed_at: null,
        move_to: input.moveTo ?? null,
        moved_at: null,
        received_at: input.receivedAt ?? null,
        processed_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await advanceIntakeCheckpoint(trx, {
      mailboxId: input.mailboxId,
      folder: input.folder,
      uidValidity: input.uidValidity,
      uid: input.uid,
      at,
    });
    await appendEvent(trx, {
      type: 'intake.message_read',
      entity: 'intake_message',
      entityId: row.id,
      at,
      data: {
        mailboxId: input.mailboxId,
        uidValidity: input.uidValidity,
        uid: input.uid,
        kind: input.kind,
        attribution: input.attribution,
        mailingId: input.mailingId ?? null,
        deliveryId: input.deliveryId ?? null,
        addressHash: input.addressHash ?? null,
        needsReview: input.needsReview ?? false,
      },
    });
    return row;
  });
}

/** Messages recorded but not yet moved on the server (a crash between the commit and the move). */
export async function pendingIntakeMoves(
  db: Executor,
  mailboxId: string,
  folder: string,
  uidValidity: number,
): Promise<{ id: number; uid: number; moveTo: string }[]> {
  const rows = await db
    .selectFrom('intake_message')
    .select(['id', 'uid', 'move_to'])
    .where('mailbox_id', '=', mailboxId)
    .where('folder', '=', folder)
    .where('uid_validity', '=', uidValidity)
    .where('move_to', 'is not', null)
    .where('moved_at', 'is', null)
    .execute();
  return rows.flatMap((row) => (row.move_to ? [{ id: row.id, uid: row.uid, moveTo: row.move_to }] : []));
}

/** Marks messages as moved to their folder on the server. */
export async function markIntakeMessagesMoved(
  db: Executor,
  ids: readonly number[],
  at: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('intake_message').set({ moved_at: at }).where('id', 'in', ids).execute();
}

/** Read messages for the owner's view: per mailing, per contact, or those awaiting review. */
export async function listIntakeMessages(
  db: Executor,
  filter: { mailingId?: string; contactId?: number; needsReview?: boolean; limit?: number } = {},
): Promise<IntakeMessageRow[]> {
  let query = db
    .selectFrom('intake_message')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(filter.limit ?? 200, 1), 1000));
  if (filter.mailingId !== undefined) query = query.where('mailing_id', '=', filter.mailingId);
  if (filter.contactId !== undefined) query = query.where('contact_id', '=', filter.contactId);
  if (filter.needsReview) query = query.where('needs_review', '=', 1).where('reviewed_at', 'is', null);
  return query.execute();
}

/** Counts of what arrived, by kind, for one mailing or all. */
export async function countIntakeMessages(
  db: Executor,
  filter: { mailingId?: string } = {},
): Promise<Record<IntakeMessageKind, number>> {
  let query = db
    .selectFrom('intake_message')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('kind');
  if (filter.mailingId !== undefined) query = query.where('mailing_id', '=', filter.mailingId);
  const counts: Record<IntakeMessageKind, number> = {
    DSN: 0,
    COMPLAINT: 0,
    UNSUBSCRIBE: 0,
    STOP_REPLY: 0,
    AUTO_REPLY: 0,
    OTHER: 0,
    UNRECOGNISED: 0,
  };
  for (const row of await query.execute()) counts[row.kind] = Number(row.n);
  return counts;
}

/**
 * The owner's decision on a reply the intake was unsure about: `confirm` records the objection (the
 * address is suppressed, rule G1), `dismiss` leaves the contact mailable. Either way with an event.
 *
 * @throws {UserError} INTAKE_REVIEW_NOT_PENDING when the message awaits no decision.
 */
export async function reviewIntakeMessage(
  db: Executor,
  input: { id: number; decision: 'confirm' | 'dismiss'; at: string },
): Promise<IntakeMessageRow> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('intake_message')
      .selectAll()
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (!row || row.needs_review !== 1 || row.reviewed_at !== null) {
      throw new UserError('INTAKE_REVIEW_NOT_PENDING', {
        en: 'This message is not waiting for your decision (it was decided already, or never needed one).',
        nl: 'Dit bericht wacht niet op je beslissing (er is al besloten, of het was niet nodig).',
      });
    }
    if (input.decision === 'confirm' && row.address_hash) {
      await addSuppression(trx, {
        addressHash: row.address_hash,
        reason: 'OBJECTED',
        source: 'REPLY',
        note: 'confirmed by the owner from a reply',
        at: input.at,
      });
    }
    const updated = await trx
      .updateTable('intake_message')
      .set({ reviewed_at: input.at })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(trx, {
      type: 'intake.reply_reviewed',
      entity: 'intake_message',
      entityId: row.id,
      at: input.at,
      data: { decision: input.decision, addressHash: row.address_hash },
    });
    return updated;
  });
}
