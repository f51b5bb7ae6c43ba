import { UserError, type MailingContent, type Lang } from '@consent-mailer/policy';
import { sql } from 'kysely';
import { appendEvent, type Executor } from './event-log.js';
import type { MailingRow } from './mailing.table.js';
import type { SenderEntityRow } from './sender-entity.table.js';
import './sending-columns.js';
import type { SmtpProfileRow, SmtpSecurity } from './smtp-profile.table.js';
import { inTransaction } from './transaction.js';

/**
 * Editing and deleting sender entities, SMTP profiles and draft mailings. Every change writes an event in
 * the same transaction; a row that evidence refers to (a consent, a sent mailing, a delivery) is never
 * deleted: the error says what to do instead.
 */

/** The fields of a sender entity that may change (its id may not: consents refer to it). */
export interface SenderEntityChanges {
  legalName?: string;
  tradeName?: string | null;
  postalAddress?: string;
  contactEmail?: string;
  kvkNumber?: string;
  vatNumber?: string | null;
  website?: string | null;
  unsubscribeUrl?: string | null;
}

/** The tables whose rows point at `table` (SQLite's own foreign-key list, so new tables count too). */
async function referencingRows(
  db: Executor,
  table: string,
  id: string,
  ignore: readonly string[] = [],
): Promise<string[]> {
  const refs = await sql<{ name: string; from: string }>`
    SELECT m.name AS name, p."from" AS "from"
    FROM sqlite_master m, pragma_foreign_key_list(m.name) p
    WHERE m.type = 'table' AND p."table" = ${table}`.execute(db);
  const found: string[] = [];
  for (const ref of refs.rows) {
    if (ignore.includes(ref.name)) continue;
    const hit = await sql<{ one: number }>`
      SELECT 1 AS one FROM ${sql.table(ref.name)} WHERE ${sql.ref(ref.from)} = ${id} LIMIT 1`.execute(db);
    if (hit.rows.length > 0) found.push(ref.name);
  }
  return found;
}

/**
 * Changes a sender entity's details with a `sender_entity.updated` event naming the changed fields.
 *
 * @throws {UserError} ENTITY_NOT_FOUND
 * @example
 * await updateSenderEntity(db, 'bakkerij', { postalAddress: 'Kerkstraat 2, 1234 AB Ergens' }, at);
 */
export async function updateSenderEntity(
  db: Executor,
  id: string,
  changes: SenderEntityChanges,
  at: string,
): Promise<SenderEntityRow> {
  return inTransaction(db, async (trx) => {
    await requireRow(trx, 'sender_entity', id);
    const set = {
      ...(changes.legalName === undefined ? {} : { legal_name: changes.legalName }),
      ...(changes.tradeName === undefined ? {} : { trade_name: changes.tradeName }),
      ...(changes.postalAddress === undefined ? {} : { postal_address: changes.postalAddress }),
      ...(changes.contactEmail === undefined ? {} : { contact_email: changes.contactEmail }),
      ...(changes.kvkNumber === undefined ? {} : { kvk_number: changes.kvkNumber }),
      ...(changes.vatNumber === undefined ? {} : { vat_number: changes.vatNumber }),
      ...(changes.website === undefined ? {} : { website: changes.website }),
      ...(changes.unsubscribeUrl === undefined ? {} : { unsubscribe_url: changes.unsubscribeUrl }),
    };
    const row = await trx
      .updateTable('sender_entity')
      .set({ ...set, updated_at: at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(trx, {
      type: 'sender_entity.updated',
      entity: 'sender_entity',
      entityId: id,
      at,
      data: { changed: Object.keys(set), legalName: row.legal_name, kvkNumber: row.kvk_number },
    });
    return row;
  });
}

/**
 * Deletes a sender entity nothing refers to yet (no consent, list, profile, mailing or import).
 *
 * @throws {UserError} ENTITY_NOT_FOUND, ENTITY_IN_USE
 * @example
 * await deleteSenderEntity(db, 'typo-bv', at);
 */
export async function deleteSenderEntity(db: Executor, id: string, at: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await requireRow(trx, 'sender_entity', id);
    const users = await referencingRows(trx, 'sender_entity', id);
    if (users.length > 0) {
      throw new UserError('ENTITY_IN_USE', {
        en: `The sender entity "${id}" is referred to by ${users.join(', ')} and is kept as evidence. Change its details with "entity update" instead.`,
        nl: `Naar de afzender "${id}" wordt verwezen door ${users.join(', ')}; hij blijft bewaard als bewijs. Wijzig de gegevens met "entity update".`,
      });
    }
    await trx.deleteFrom('sender_entity').where('id', '=', id).execute();
    await appendEvent(trx, { type: 'sender_entity.deleted', entity: 'sender_entity', entityId: id, at });
  });
}

/** The fields of an SMTP profile that may change; its name may not (the password is kept under it). */
export interface SmtpProfileChanges {
  senderEntityId?: string | null;
  host?: string;
  port?: number;
  security?: SmtpSecurity;
  username?: string | null;
  secretRef?: string | null;
  fromName?: string | null;
  fromAddress?: string;
  replyTo?: string | null;
  maxPerMinute?: number | null;
  maxPerHour?: number | null;
  maxPerDay?: number | null;
  connections?: number;
  dkimDomain?: string | null;
  dkimSelector?: string | null;
  spfDeclared?: boolean;
  dmarcDeclared?: boolean;
}

/**
 * Changes an SMTP profile (by id) with an `smtp_profile.updated` event: host and limits, never credentials.
 *
 * @example
 * await updateSmtpProfile(db, profile.id, { port: 465, security: 'TLS' }, at);
 */
export async function updateSmtpProfile(
  db: Executor,
  id: string,
  changes: SmtpProfileChanges,
  at: string,
): Promise<SmtpProfileRow> {
  return inTransaction(db, async (trx) => {
    await requireRow(trx, 'smtp_profile', id);
    const flag = (value: boolean | undefined) => (value === undefined ? undefined : value ? 1 : 0);
    const set = Object.fromEntries(
      Object.entries({
        sender_entity_id: changes.senderEntityId,
        host: changes.host,
        port: changes.port,
        security: changes.security,
        username: changes.username,
        secret_ref: changes.secretRef,
        from_name: changes.fromName,
        from_address: changes.fromAddress,
        reply_to: changes.replyTo,
        max_per_minute: changes.maxPerMinute,
        max_per_hour: changes.maxPerHour,
        max_per_day: changes.maxPerDay,
        connections: changes.connections,
        dkim_domain: changes.dkimDomain,
        dkim_selector: changes.dkimSelector,
        spf_declared: flag(changes.spfDeclared),
        dmarc_declared: flag(changes.dmarcDeclared),
      }).filter(([, value]) => value !== undefined),
    );
    const row = await trx
      .updateTable('smtp_profile')
      .set({ ...set, updated_at: at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(trx, {
      type: 'smtp_profile.updated',
      entity: 'smtp_profile',
      entityId: id,
      at,
      data: {
        changed: Object.keys(set).filter((key) => key !== 'secret_ref'),
        host: row.host,
        port: row.port,
        security: row.security,
        connections: row.connections,
      },
    });
    return row;
  });
}

/**
 * Deletes an SMTP profile no mailing uses (a mailing's profile is part of what it records).
 *
 * @throws {UserError} SMTP_PROFILE_IN_USE
 * @example
 * await deleteSmtpProfile(db, profile.id, at);
 */
export async function deleteSmtpProfile(db: Executor, id: string, at: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await requireRow(trx, 'smtp_profile', id);
    const users = await referencingRows(trx, 'smtp_profile', id);
    if (users.length > 0) {
      throw new UserError('SMTP_PROFILE_IN_USE', {
        en: `This SMTP profile is used by ${users.join(', ')} and is kept with them. Change it with "smtp update", or delete the draft mailings that use it first.`,
        nl: `Dit SMTP-profiel wordt gebruikt door ${users.join(', ')} en blijft daarbij bewaard. Wijzig het met "smtp update", of verwijder eerst de conceptmailings die het gebruiken.`,
      });
    }
    await trx.deleteFrom('smtp_profile').where('id', '=', id).execute();
    await appendEvent(trx, { type: 'smtp_profile.deleted', entity: 'smtp_profile', entityId: id, at });
  });
}

/** What may change in a mailing that has not been queued. */
export interface MailingChanges {
  name?: string;
  listId?: string;
  smtpProfileId?: string;
  subject?: string;
  html?: string;
  text?: string | null;
  content?: MailingContent;
  productCategories?: readonly string[] | null;
  promotesThirdParty?: boolean;
  lang?: Lang;
}

const EDITABLE_STATUSES: readonly string[] = ['DRAFT', 'ASSESSED'];

function notDraft(row: MailingRow, what: { en: string; nl: string }): UserError {
  return new UserError('MAILING_NOT_DRAFT', {
    en: `The mailing "${row.name}" is ${row.status}: only a mailing that has not been queued can be ${what.en}. Duplicate it and change the copy.`,
    nl: `De mailing "${row.name}" is ${row.status}: alleen een mailing die nog niet in de wachtrij staat kan worden ${what.nl}. Dupliceer hem en wijzig de kopie.`,
  });
}

/**
 * Changes a mailing that is DRAFT or ASSESSED; an assessed one goes back to DRAFT (its assessment no
 * longer describes it), with a `mailing.updated` event naming the changed fields.
 *
 * @throws {UserError} MAILING_NOT_FOUND, MAILING_NOT_DRAFT, LIST_NOT_FOUND
 * @example
 * await updateDraftMailing(db, id, { subject: 'Nieuws in december' }, at);
 */
export async function updateDraftMailing(
  db: Executor,
  id: string,
  changes: MailingChanges,
  at: string,
): Promise<MailingRow> {
  return inTransaction(db, async (trx) => {
    const current = await requireMailing(trx, id);
    if (!EDITABLE_STATUSES.includes(current.status))
      throw notDraft(current, { en: 'changed', nl: 'gewijzigd' });
    if (changes.listId !== undefined) await requireRow(trx, 'list', changes.listId);
    const set = Object.fromEntries(
      Object.entries({
        name: changes.name,
        list_id: changes.listId,
        smtp_profile_id: changes.smtpProfileId,
        subject: changes.subject,
        body_html: changes.html,
        body_text: changes.text,
        content: changes.content,
        product_categories:
          changes.productCategories === undefined
            ? undefined
            : changes.productCategories === null
              ? null
              : JSON.stringify(changes.productCategories),
        promotes_third_party:
          changes.promotesThirdParty === undefined ? undefined : changes.promotesThirdParty ? 1 : 0,
        lang: changes.lang,
      }).filter(([, value]) => value !== undefined),
    );
    const row = await trx
      .updateTable('mailing')
      .set({ ...set, status: 'DRAFT', updated_at: at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(trx, {
      type: 'mailing.updated',
      entity: 'mailing',
      entityId: id,
      at,
      data: { changed: Object.keys(set), status: row.status, listId: row.list_id },
    });
    return row;
  });
}

/**
 * Deletes a mailing that was never queued (its assessments go with it; nothing was sent).
 *
 * @throws {UserError} MAILING_NOT_FOUND, MAILING_NOT_DRAFT, MAILING_IN_USE
 * @example
 * await deleteDraftMailing(db, id, at);
 */
export async function deleteDraftMailing(db: Executor, id: string, at: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const current = await requireMailing(trx, id);
    if (!EDITABLE_STATUSES.includes(current.status))
      throw notDraft(current, { en: 'deleted', nl: 'verwijderd' });
    const users = await referencingRows(trx, 'mailing', id, ['assessment']);
    if (users.length > 0) {
      throw new UserError('MAILING_IN_USE', {
        en: `The mailing "${current.name}" is referred to by ${users.join(', ')} (e.g. a signed acknowledgement) and is kept as evidence.`,
        nl: `Naar de mailing "${current.name}" wordt verwezen door ${users.join(', ')} (bijv. een ondertekende verklaring); hij blijft bewaard als bewijs.`,
      });
    }
    await trx.deleteFrom('assessment').where('mailing_id', '=', id).execute();
    await trx.deleteFrom('mailing').where('id', '=', id).execute();
    await appendEvent(trx, {
      type: 'mailing.deleted',
      entity: 'mailing',
      entityId: id,
      at,
      data: { name: current.name },
    });
  });
}

async function requireMailing(db: Executor, id: string): Promise<MailingRow> {
  const row = await db.selectFrom('mailing').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) {
    throw new UserError('MAILING_NOT_FOUND', {
      en: `There is no mailing "${id}". Run "consent-mailer mailing status" without an id to list them.`,
      nl: `Er is geen mailing "${id}". Gebruik "consent-mailer mailing status" zonder id om ze te zien.`,
    });
  }
  return row;
}

const MISSING: Record<'sender_entity' | 'smtp_profile' | 'list', { code: string; en: string; nl: string }> = {
  sender_entity: {
    code: 'ENTITY_NOT_FOUND',
    en: 'There is no sender entity "{id}". Run "consent-mailer entity list" to see the ids.',
    nl: 'Er is geen afzender "{id}". Gebruik "consent-mailer entity list" om de ids te zien.',
  },
  smtp_profile: {
    code: 'SMTP_PROFILE_NOT_FOUND',
    en: 'There is no SMTP profile "{id}". Run "consent-mailer smtp list" to see the names.',
    nl: 'Er is geen SMTP-profiel "{id}". Gebruik "consent-mailer smtp list" om de namen te zien.',
  },
  list: {
    code: 'LIST_NOT_FOUND',
    en: 'There is no list "{id}". Create it with "consent-mailer list create", or see the ids with "consent-mailer list list".',
    nl: 'Er is geen lijst "{id}". Maak hem met "consent-mailer list create", of bekijk de ids met "consent-mailer list list".',
  },
};

async function requireRow(db: Executor, table: keyof typeof MISSING, id: string): Promise<void> {
  const hit = await sql<{ one: number }>`
    SELECT 1 AS one FROM ${sql.table(table)} WHERE id = ${id}`.execute(db);
  if (hit.rows.length > 0) return;
  const message = MISSING[table];
  throw new UserError(message.code, {
    en: message.en.replace('{id}', id),
    nl: message.nl.replace('{id}', id),
  });
}
