import { UserError } from '@consent-mailer/policy';
import { appendEvent, type Executor } from './event-log.js';
import type { SenderEntityRow } from './sender-entity.table.js';
import './sending-columns.js';
import { inTransaction } from './transaction.js';

/** A sender entity as the api writes it. */
export interface SenderEntityInput {
  id: string;
  legalName: string;
  tradeName?: string | null;
  postalAddress: string;
  contactEmail: string;
  kvkNumber: string;
  vatNumber?: string | null;
  website?: string | null;
  unsubscribeUrl?: string | null;
}

/**
 * Adds a sender entity (the legal entity that sends and owns consents) with a `sender_entity.created` event.
 *
 * @throws {UserError} ENTITY_EXISTS when the id is taken.
 * @example
 * await createSenderEntity(db, { id: 'bakkerij', legalName: 'Bakkerij de Vries B.V.', postalAddress: '…',
 *   contactEmail: 'info@bakkerij.nl', kvkNumber: '12345678' }, '2026-11-28T10:00:00Z');
 */
export async function createSenderEntity(
  db: Executor,
  input: SenderEntityInput,
  at: string,
): Promise<SenderEntityRow> {
  return inTransaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('sender_entity')
      .select('id')
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (existing) {
      throw new UserError('ENTITY_EXISTS', {
        en: `A sender entity with id "${input.id}" already exists. Choose another id.`,
        nl: `Er bestaat al een afzender met id "${input.id}". Kies een ander id.`,
      });
    }
    const row = await trx
      .insertInto('sender_entity')
      .values({
        id: input.id,
        legal_name: input.legalName,
        trade_name: input.tradeName ?? null,
        postal_address: input.postalAddress,
        contact_email: input.contactEmail,
        kvk_number: input.kvkNumber,
        vat_number: input.vatNumber ?? null,
        website: input.website ?? null,
        unsubscribe_url: input.unsubscribeUrl ?? null,
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(trx, {
      type: 'sender_entity.created',
      entity: 'sender_entity',
      entityId: row.id,
      at,
      // A business's identity is public (it is printed in every footer), so it may sit in the chain.
      data: { legalName: row.legal_name, kvkNumber: row.kvk_number },
    });
    return row;
  });
}

/**
 * All sender entities, by id.
 *
 * @example
 * const entities = await listSenderEntities(db);
 */
export async function listSenderEntities(db: Executor): Promise<SenderEntityRow[]> {
  return db.selectFrom('sender_entity').selectAll().orderBy('id').execute();
}

/**
 * One sender entity, or undefined: for a caller with its own words for a missing one.
 *
 * @example
 * if (!(await findSenderEntity(db, id))) throw new UserError('ENTITY_NOT_FOUND', { … });
 */
export async function findSenderEntity(db: Executor, id: string): Promise<SenderEntityRow | undefined> {
  return db.selectFrom('sender_entity').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * One sender entity, or a UserError that says how to find the right id.
 *
 * @example
 * const entity = await getSenderEntity(db, 'bakkerij');
 */
export async function getSenderEntity(db: Executor, id: string): Promise<SenderEntityRow> {
  const row = await findSenderEntity(db, id);
  if (!row) {
    throw new UserError('ENTITY_NOT_FOUND', {
      en: `There is no sender entity "${id}". Run "consent-mailer entity list" to see the ids.`,
      nl: `Er is geen afzender "${id}". Gebruik "consent-mailer entity list" om de ids te zien.`,
    });
  }
  return row;
}
