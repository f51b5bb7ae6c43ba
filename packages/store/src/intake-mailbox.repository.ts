// The IMAP mailboxes the intake reads and where it left off in each (UIDVALIDITY + UID checkpoints).
import { UserError } from '@consent-mailer/policy';
import { sql } from 'kysely';
import { appendEvent, type Executor } from './event-log.js';
import type { IntakeMailboxRow } from './intake.table.js';
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
