import { randomUUID } from 'node:crypto';
import { UserError } from '@consent-mailer/policy';
import { appendEvent, type Executor } from './event-log.js';
import type { ListRow } from './list.table.js';
import { insertRows } from './sql-batch.js';
import { inTransaction } from './transaction.js';

/** A list with its member count. */
export type ListWithCount = ListRow & { memberCount: number };

function nameTaken(name: string): UserError {
  return new UserError('STORE_LIST_NAME_TAKEN', {
    en: `A list called "${name}" already exists. Choose another name.`,
    nl: `Er bestaat al een lijst met de naam "${name}". Kies een andere naam.`,
  });
}

function listMissing(id: string): UserError {
  return new UserError('STORE_LIST_NOT_FOUND', {
    en: `There is no list with id ${id}. Refresh the lists and pick one that exists.`,
    nl: `Er is geen lijst met id ${id}. Vernieuw de lijsten en kies er een die bestaat.`,
  });
}

/**
 * Creates a mailing list (names are unique). `id` defaults to a random UUID.
 *
 * @example
 * const list = await createList(db, { name: 'Nieuwsbrief', at: now.toISOString() });
 */
export async function createList(
  db: Executor,
  input: {
    name: string;
    description?: string | null;
    senderEntityId?: string | null;
    id?: string;
    at: string;
  },
): Promise<ListRow> {
  return inTransaction(db, async (trx) => {
    const taken = await trx.selectFrom('list').select('id').where('name', '=', input.name).executeTakeFirst();
    if (taken !== undefined) throw nameTaken(input.name);
    const row: ListRow = {
      id: input.id ?? randomUUID(),
      sender_entity_id: input.senderEntityId ?? null,
      name: input.name,
      description: input.description ?? null,
      created_at: input.at,
      updated_at: input.at,
      archived_at: null,
    };
    await trx.insertInto('list').values(row).execute();
    await appendEvent(trx, {
      type: 'list.created',
      entity: 'list',
      entityId: row.id,
      at: input.at,
      data: { name: row.name },
    });
    return row;
  });
}

/**
 * Renames a list, changes its description, or archives it (`archived: true`); archived lists keep their
 * members and history but are hidden from `listLists` by default.
 *
 * @example
 * await updateList(db, list.id, { name: 'Nieuwsbrief NL', at });
 */
export async function updateList(
  db: Executor,
  id: string,
  changes: { name?: string; description?: string | null; archived?: boolean; at: string },
): Promise<ListRow> {
  return inTransaction(db, async (trx) => {
    const current = await trx.selectFrom('list').selectAll().where('id', '=', id).executeTakeFirst();
    if (current === undefined) throw listMissing(id);
    if (changes.name !== undefined && changes.name !== current.name) {
      const taken = await trx
        .selectFrom('list')
        .select('id')
        .where('name', '=', changes.name)
        .executeTakeFirst();
      if (taken !== undefined) throw nameTaken(changes.name);
    }
    const next: ListRow = {
      ...current,
      name: changes.name ?? current.name,
      description: changes.description === undefined ? current.description : changes.description,
      archived_at:
        changes.archived === undefined
          ? current.archived_at
          : changes.archived
            ? (current.archived_at ?? changes.at)
            : null,
      updated_at: changes.at,
    };
    await trx.updateTable('list').set(next).where('id', '=', id).execute();
    await appendEvent(trx, {
      type: 'list.updated',
      entity: 'list',
      entityId: id,
      at: changes.at,
      data: { name: next.name, archived: next.archived_at !== null },
    });
    return next;
  });
}

/**
 * Deletes a list that no mailing or import refers to; its memberships go with it. A list in use must be
 * archived instead (its history is evidence).
 *
 * @example
 * await deleteList(db, list.id, { at });
 */
export async function deleteList(db: Executor, id: string, options: { at: string }): Promise<void> {
  await inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom('list')
      .select(['id', 'name'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (current === undefined) throw listMissing(id);
    const mailing = await trx
      .selectFrom('mailing')
      .select('id')
      .where('list_id', '=', id)
      .limit(1)
      .executeTakeFirst();
    const batch = await trx
      .selectFrom('import_batch')
      .select('id')
      .where('list_id', '=', id)
      .limit(1)
      .executeTakeFirst();
    if (mailing !== undefined || batch !== undefined) {
      throw new UserError('STORE_LIST_IN_USE', {
        en: `The list "${current.name}" is used by a mailing or an import and is kept as evidence. Archive it instead.`,
        nl: `De lijst "${current.name}" wordt gebruikt door een mailing of een import en blijft bewaard als bewijs. Archiveer hem in plaats daarvan.`,
      });
    }
    await trx.deleteFrom('list_membership').where('list_id', '=', id).execute();
    await trx.deleteFrom('list').where('id', '=', id).execute();
    await appendEvent(trx, {
      type: 'list.deleted',
      entity: 'list',
      entityId: id,
      at: options.at,
      data: { name: current.name },
    });
  });
}

/**
 * One list by id (archived ones too), or undefined.
 *
 * @example
 * const list = await findList(db, 'nieuwsbrief');
 * if (!list || list.archived_at !== null) …
 */
export async function findList(db: Executor, id: string): Promise<ListRow | undefined> {
  return db.selectFrom('list').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Lists the lists with their member counts, by name.
 *
 * @example
 * const lists = await listLists(db);
 */
export async function listLists(
  db: Executor,
  options: { includeArchived?: boolean } = {},
): Promise<ListWithCount[]> {
  let query = db
    .selectFrom('list')
    .selectAll('list')
    .select((eb) =>
      eb
        .selectFrom('list_membership')
        .select(eb.fn.countAll<number>().as('count'))
        .whereRef('list_membership.list_id', '=', 'list.id')
        .as('memberCount'),
    )
    .orderBy('name');
  if (options.includeArchived !== true) query = query.where('archived_at', 'is', null);
  const rows = await query.execute();
  return rows.map((row) => ({ ...row, memberCount: Number(row.memberCount ?? 0) }));
}

/**
 * Adds contacts to a list (already-members are left as they are). Returns how many were added.
 *
 * @example
 * await addToList(db, list.id, [1, 2, 3], { at, source: 'APP' });
 */
export async function addToList(
  db: Executor,
  listId: string,
  contactIds: readonly number[],
  options: { at: string; source?: string | null },
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const exists = await trx.selectFrom('list').select('id').where('id', '=', listId).executeTakeFirst();
    if (exists === undefined) throw listMissing(listId);
    const returned = await insertRows<{ contact_id: number }>(
      trx,
      'list_membership',
      ['list_id', 'contact_id', 'added_at', 'source'],
      contactIds.map((id) => [listId, id, options.at, options.source ?? null]),
      'ON CONFLICT DO NOTHING RETURNING contact_id',
    );
    if (returned.length > 0) {
      await appendEvent(trx, {
        type: 'list.members_added',
        entity: 'list',
        entityId: listId,
        at: options.at,
        data: { contactIds: returned.map((row) => row.contact_id) },
      });
    }
    return returned.length;
  });
}
