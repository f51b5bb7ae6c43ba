import { UserError } from '@consent-mailer/policy';
import { sql } from 'kysely';
import { appendEvent, type Executor } from './event-log.js';
import type {
  IntakeAttribution,
  IntakeMailboxRow,
  IntakeMessageKind,
  IntakeMessageRow,
  SenderAlertRow,
} from './intake.table.js';
import { addSuppression } from './suppression.repository.js';
import { inTransaction } from './transaction.js';

/** An IMAP mailbox as the api writes it. Never a password: `secretRef` names where it lives. */
export interface IntakeMailboxInput {
  id: string;
  name: string;
  host: string;
  port: number;
  security: 'TLS' | 'STARTTLS' | 'NONE';
  username: string;
  secretRef: string;
  folder: string;
  processedFolder: string;
  unrecognisedFolder: string;
  pollSeconds: number;
}

/**
 * Adds a mailbox to read, with an `intake_mailbox.created` event (host and folders, never credentials).
 *
 * @throws {UserError} INTAKE_MAILBOX_EXISTS when the name is taken.
 * @example
 * await createIntakeMailbox(db, { id, name: 'info', host: 'imap.shop.nl', port: 993, security: 'TLS',
 *   username: 'info@shop.nl', secretRef: 'imap:info', folder: 'INBOX', processedFolder: 'Processed',
 *   unrecognisedFolder: 'Unrecognised', pollSeconds: 300 }, at);
 */
export async function createIntakeMailbox(
  db: Executor,
  input: IntakeMailboxInput,
  at: string,
): Promise<IntakeMailboxRow> {
  return inTransaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('intake_mailbox')
      .select('id')
      .where('name', '=', input.name)
      .executeTakeFirst();
    if (existing) {
      throw new UserError('INTAKE_MAILBOX_EXISTS', {
        en: `A mailbox named "${input.name}" is already set up. Choose another name.`,
        nl: `Er is al een mailbox met de naam "${input.name}" ingesteld. Kies een andere naam.`,
      });
    }
    const row = await trx
      .insertInto('intake_mailbox')
      .values({
        id: input.id,
        name: input.name,
        host: input.host,
        port: input.port,
        security: input.security,
        username: input.username,
        secret_ref: input.secretRef,
        folder: input.folder,
        processed_folder: input.processedFolder,
        unrecognised_folder: input.unrecognisedFolder,
        poll_seconds: input.pollSeconds,
        last_run_at: null,
        last_error: null,
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(trx, {
      type: 'intake_mailbox.created',
      entity: 'intake_mailbox',
      entityId: row.id,
      at,
      data: { name: row.name, host: row.host, port: row.port, security: row.security, folder: row.folder },
    });
    return row;
  });
}

/**
 * A mailbox by id or name.
 *
 * @throws {UserError} INTAKE_MAILBOX_NOT_FOUND
 */
export async function getIntakeMailbox(db: Executor, idOrName: string): Promise<IntakeMailboxRow> {
  const row = await db
    .selectFrom('intake_mailbox')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
    .executeTakeFirst();
  if (!row) {
    throw new UserError('INTAKE_MAILBOX_NOT_FOUND', {
      en: `No mailbox "${idOrName}" is set up for intake. Add it first (intake add).`,
      nl: `Er is geen mailbox "${idOrName}" ingesteld voor verwerking. Voeg hem eerst toe (intake add).`,
    });
  }
  return row;
}

/** Every mailbox, by name. */
export async function listIntakeMailboxes(db: Executor): Promise<IntakeMailboxRow[]> {
  return db.selectFrom('intake_mailbox').selectAll().orderBy('name').execute();
}

/** Records the end of a run (and its error, or none) on the mailbox. */
export async function setIntakeMailboxRun(
  db: Executor,
  id: string,
  run: { at: string; error: string | null },
): Promise<void> {
  await db
    .updateTable('intake_mailbox')
    .set({ last_run_at: run.at, last_error: run.error, updated_at: run.at })
    .where('id', '=', id)
    .execute();
}

/** The checkpoint of a folder: valid only while the server's UIDVALIDITY is the same. */
export async function getIntakeCheckpoint(
  db: Executor,
  mailboxId: string,
  folder: string,
): Promise<{ uidValidity: number; lastUid: number } | undefined> {
  const row = await db
    .selectFrom('intake_checkpoint')
    .select(['uid_validity', 'last_uid'])
    .where('mailbox_id', '=', mailboxId)
    .where('folder', '=', folder)
    .executeTakeFirst();
  return row ? { uidValidity: row.uid_validity, lastUid: row.last_uid } : undefined;
}

/** Moves a folder's checkpoint forward (never back within one UIDVALIDITY). */
export async function advanceIntakeCheckpoint(
  db: Executor,
  input: { mailboxId: string; folder: string; uidValidity: number; uid: number; at: string },
): Promise<void> {
  await sql`INSERT INTO intake_checkpoint (mailbox_id, folder, uid_validity, last_uid, updated_at)
    VALUES (${input.mailboxId}, ${input.folder}, ${input.uidValidity}, ${input.uid}, ${input.at})
    ON CONFLICT (mailbox_id, folder) DO UPDATE SET
      last_uid = CASE WHEN uid_validity = excluded.uid_validity THEN max(last_uid, excluded.last_uid) ELSE excluded.last_uid END,
      uid_validity = excluded.uid_validity,
      updated_at = excluded.updated_at`.execute(db);
}

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

/** A refusal of the sender to alert the owner about. */
export interface SenderAlertInput {
  mailingId?: string | null;
  deliveryId?: number | null;
  source: 'SMTP' | 'INTAKE';
  category: string;
  status?: string | null;
  diagnostic?: string | null;
  recipientDomain?: string | null;
  receivedAt: string;
}

/**
 * Records that a receiving server refused the sender (its SPF/DKIM/DMARC, IP, content): never a
 * suppression, an alert for the owner. Returns how many alerts the mailing has now.
 *
 * @example
 * await recordSenderAlert(db, { source: 'INTAKE', category: 'AUTHENTICATION', status: '5.7.26', receivedAt: at }, at);
 */
export async function recordSenderAlert(
  db: Executor,
  input: SenderAlertInput,
  at: string,
): Promise<{ id: number; alertsForMailing: number }> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('sender_alert')
      .values({
        mailing_id: input.mailingId ?? null,
        delivery_id: input.deliveryId ?? null,
        source: input.source,
        category: input.category,
        status: input.status ?? null,
        diagnostic: input.diagnostic?.slice(0, 1000) ?? null,
        recipient_domain: input.recipientDomain ?? null,
        received_at: input.receivedAt,
        created_at: at,
        acknowledged_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendEvent(trx, {
      type: 'sender_alert.recorded',
      entity: 'sender_alert',
      entityId: row.id,
      at,
      data: {
        mailingId: input.mailingId ?? null,
        deliveryId: input.deliveryId ?? null,
        source: input.source,
        category: input.category,
        status: input.status ?? null,
      },
    });
    let alertsForMailing = 0;
    if (input.mailingId) {
      const count = await trx
        .selectFrom('sender_alert')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('mailing_id', '=', input.mailingId)
        .executeTakeFirstOrThrow();
      alertsForMailing = Number(count.n);
    }
    return { id: row.id, alertsForMailing };
  });
}

/** The alerts, newest first, optionally for one mailing. */
export async function listSenderAlerts(
  db: Executor,
  filter: { mailingId?: string; limit?: number } = {},
): Promise<SenderAlertRow[]> {
  let query = db
    .selectFrom('sender_alert')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(filter.limit ?? 200, 1), 1000));
  if (filter.mailingId !== undefined) query = query.where('mailing_id', '=', filter.mailingId);
  return query.execute();
}
