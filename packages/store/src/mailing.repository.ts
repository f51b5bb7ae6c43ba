import type { Classification, MailingContent, Lang } from '@consent-mailer/policy';
import { UserError } from '@consent-mailer/policy';
import type { AssessmentRow } from './assessment.table.js';
import { appendEvent, type Executor, type JsonValue } from './event-log.js';
import type { MailingRow, MailingStatus } from './mailing.table.js';
import './sending-columns.js';
import { inTransaction } from './transaction.js';

/** A mailing as the api writes it. */
export interface MailingInput {
  id: string;
  name: string;
  senderEntityId: string;
  listId: string;
  smtpProfileId: string;
  subject: string;
  html: string;
  text?: string | null;
  content: MailingContent;
  productCategories?: readonly string[] | null;
  promotesThirdParty?: boolean;
  lang: Lang;
}

/**
 * Adds a mailing (status DRAFT) with a `mailing.created` event.
 *
 * @example
 * await createMailing(db, { id, name: 'Nieuwsbrief december', senderEntityId: 'bakkerij', listId: 'nieuwsbrief',
 *   smtpProfileId, subject: 'Nieuws', html: '<p>…</p>', content: 'MARKETING', lang: 'nl' }, at);
 */
export async function createMailing(db: Executor, input: MailingInput, at: string): Promise<MailingRow> {
  return inTransaction(db, async (trx) => {
    const list = await trx.selectFrom('list').select('id').where('id', '=', input.listId).executeTakeFirst();
    if (!list) {
      throw new UserError('LIST_NOT_FOUND', {
        en: `There is no list "${input.listId}". Create it with "consent-mailer list create", or see the ids with "consent-mailer list list".`,
        nl: `Er is geen lijst "${input.listId}". Maak hem met "consent-mailer list create", of bekijk de ids met "consent-mailer list list".`,
      });
    }
    const row = await trx
      .insertInto('mailing')
      .values({
        id: input.id,
        name: input.name,
        sender_entity_id: input.senderEntityId,
        list_id: input.listId,
        smtp_profile_id: input.smtpProfileId,
        subject: input.subject,
        body_html: input.html,
        body_text: input.text ?? null,
        content: input.content,
        product_categories: input.productCategories ? JSON.stringify(input.productCategories) : null,
        promotes_third_party: input.promotesThirdParty ? 1 : 0,
        lang: input.lang,
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(trx, {
      type: 'mailing.created',
      entity: 'mailing',
      entityId: row.id,
      at,
      data: {
        name: row.name,
        senderEntityId: row.sender_entity_id,
        listId: row.list_id,
        content: row.content,
        smtpProfileId: input.smtpProfileId,
      },
    });
    return row;
  });
}

/**
 * One mailing.
 *
 * @throws {UserError} MAILING_NOT_FOUND
 * @example
 * const mailing = await getMailing(db, id);
 */
export async function getMailing(db: Executor, id: string): Promise<MailingRow> {
  const row = await db.selectFrom('mailing').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) {
    throw new UserError('MAILING_NOT_FOUND', {
      en: `There is no mailing "${id}". Run "consent-mailer mailing status" without an id to list them.`,
      nl: `Er is geen mailing "${id}". Gebruik "consent-mailer mailing status" zonder id om ze te zien.`,
    });
  }
  return row;
}

/**
 * What a signed acknowledgement names of a mailing: its name and subject, and its sender entity's legal
 * name and KvK number; undefined when there is no such mailing.
 *
 * @example
 * const names = await findMailingWithSender(db, mailingId); // { id, name, subject, entityId, legalName, kvkNumber }
 */
export async function findMailingWithSender(db: Executor, mailingId: string) {
  return db
    .selectFrom('mailing')
    .innerJoin('sender_entity', 'sender_entity.id', 'mailing.sender_entity_id')
    .select([
      'mailing.id as id',
      'mailing.name as name',
      'mailing.subject as subject',
      'sender_entity.id as entityId',
      'sender_entity.legal_name as legalName',
      'sender_entity.kvk_number as kvkNumber',
    ])
    .where('mailing.id', '=', mailingId)
    .executeTakeFirst();
}

/**
 * All mailings, newest first.
 *
 * @example
 * const mailings = await listMailings(db);
 */
export async function listMailings(db: Executor): Promise<MailingRow[]> {
  return db.selectFrom('mailing').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
}

/**
 * Sets a mailing's status (and optionally the error that stopped it) with a `mailing.<status>` event.
 *
 * @example
 * await setMailingStatus(db, id, 'PAUSED', at, { code: 'SMTP_AUTH_FAILED', message: '535 …' });
 */
export async function setMailingStatus(
  db: Executor,
  id: string,
  status: MailingStatus,
  at: string,
  error?: { code: string; message: string } | null,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('mailing')
      .set({
        status,
        updated_at: at,
        ...(status === 'QUEUED' ? { queued_at: at } : {}),
        ...(status === 'SENT' ? { sent_at: at } : {}),
        ...(error === undefined
          ? {}
          : { last_error_code: error?.code ?? null, last_error: error?.message ?? null }),
      })
      .where('id', '=', id)
      .execute();
    await appendEvent(trx, {
      type: `mailing.${status.toLowerCase()}`,
      entity: 'mailing',
      entityId: id,
      at,
      data: error ? { status, errorCode: error.code } : { status },
    });
  });
}

/** What an assessment records. */
export interface AssessmentInput {
  id: string;
  mailingId: string;
  policyVersion: string;
  classification: Classification;
  counts: JsonValue;
  reasons: JsonValue;
  recipientSetHash: string;
  recipientCount: number;
  includedCount: number;
  excludedCount: number;
  needsAcknowledgementCount: number;
}

/**
 * Stores an assessment (and moves a DRAFT mailing to ASSESSED) with a `mailing.assessed` event.
 *
 * @example
 * await saveAssessment(db, { id, mailingId, policyVersion, classification, counts, reasons, … }, at);
 */
export async function saveAssessment(db: Executor, input: AssessmentInput, at: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('assessment')
      .values({
        id: input.id,
        mailing_id: input.mailingId,
        policy_version: input.policyVersion,
        assessed_at: at,
        classification: input.classification,
        counts: JSON.stringify(input.counts),
        reasons: JSON.stringify(input.reasons),
        recipient_set_hash: input.recipientSetHash,
        recipient_count: input.recipientCount,
        included_count: input.includedCount,
        excluded_count: input.excludedCount,
        needs_acknowledgement_count: input.needsAcknowledgementCount,
      })
      .execute();
    await trx
      .updateTable('mailing')
      .set({ status: 'ASSESSED', updated_at: at })
      .where('id', '=', input.mailingId)
      .where('status', '=', 'DRAFT')
      .execute();
    await appendEvent(trx, {
      type: 'mailing.assessed',
      entity: 'mailing',
      entityId: input.mailingId,
      at,
      data: {
        assessmentId: input.id,
        policyVersion: input.policyVersion,
        classification: input.classification,
        recipientSetHash: input.recipientSetHash,
        included: input.includedCount,
        excluded: input.excludedCount,
        needsAcknowledgement: input.needsAcknowledgementCount,
      },
    });
  });
}

/**
 * The newest assessment of a mailing, if any.
 *
 * @example
 * const latest = await latestAssessment(db, mailingId);
 */
export async function latestAssessment(db: Executor, mailingId: string): Promise<AssessmentRow | undefined> {
  return db
    .selectFrom('assessment')
    .selectAll()
    .where('mailing_id', '=', mailingId)
    .orderBy('assessed_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Who holds a mailing's send. */
export interface MailingWorker {
  id: string;
  pid: number;
  host: string;
}

/**
 * Takes the send of a mailing for this worker, unless another live worker holds it. `holderIsAlive` is
 * asked about the current holder (the api checks the process id on the same host, and the heartbeat).
 *
 * @throws {UserError} MAILING_ALREADY_SENDING when a live worker holds it.
 * @example
 * await acquireMailingWorker(db, { mailingId, worker: { id, pid: process.pid, host }, at, holderIsAlive });
 */
export async function acquireMailingWorker(
  db: Executor,
  input: {
    mailingId: string;
    worker: MailingWorker;
    at: string;
    holderIsAlive: (holder: {
      pid: number | null;
      host: string | null;
      heartbeatAt: string | null;
    }) => boolean;
  },
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('mailing')
      .select(['worker_id', 'worker_pid', 'worker_host', 'worker_heartbeat_at'])
      .where('id', '=', input.mailingId)
      .executeTakeFirstOrThrow();
    if (
      row.worker_id !== null &&
      row.worker_id !== input.worker.id &&
      input.holderIsAlive({
        pid: row.worker_pid,
        host: row.worker_host,
        heartbeatAt: row.worker_heartbeat_at,
      })
    ) {
      throw new UserError('MAILING_ALREADY_SENDING', {
        en: `This mailing is being sent by another process (pid ${row.worker_pid ?? '?'} on ${row.worker_host ?? '?'}). Wait for it, or pause it first.`,
        nl: `Deze mailing wordt al verstuurd door een ander proces (pid ${row.worker_pid ?? '?'} op ${row.worker_host ?? '?'}). Wacht daarop, of pauzeer eerst.`,
      });
    }
    await trx
      .updateTable('mailing')
      .set({
        worker_id: input.worker.id,
        worker_pid: input.worker.pid,
        worker_host: input.worker.host,
        worker_heartbeat_at: input.at,
      })
      .where('id', '=', input.mailingId)
      .execute();
  });
}

/**
 * Refreshes the holder's heartbeat (once per batch).
 *
 * @example
 * await heartbeatMailingWorker(db, mailingId, workerId, now);
 */
export async function heartbeatMailingWorker(
  db: Executor,
  mailingId: string,
  workerId: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('mailing')
    .set({ worker_heartbeat_at: at })
    .where('id', '=', mailingId)
    .where('worker_id', '=', workerId)
    .execute();
}

/**
 * Lets go of a mailing's send when the worker ends.
 *
 * @example
 * await releaseMailingWorker(db, mailingId, workerId);
 */
export async function releaseMailingWorker(db: Executor, mailingId: string, workerId: string): Promise<void> {
  await db
    .updateTable('mailing')
    .set({ worker_id: null, worker_pid: null, worker_host: null, worker_heartbeat_at: null })
    .where('id', '=', mailingId)
    .where('worker_id', '=', workerId)
    .execute();
}
