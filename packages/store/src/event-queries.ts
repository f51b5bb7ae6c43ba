import type { EventRow } from './event.table.js';
import type { Executor } from './event-log.js';

/**
 * One event of the chain by its sequence number (what `audit verify` names when a link breaks).
 *
 * @example
 * const event = await getEvent(db, 42);
 */
export async function getEvent(db: Executor, seq: number): Promise<EventRow | undefined> {
  return db.selectFrom('event').selectAll().where('seq', '=', seq).executeTakeFirst();
}

/**
 * The events from `from` to `to` (both included), in chain order: a segment a verifier can walk.
 *
 * @example
 * const segment = await eventsBetween(db, 10, anchor.seq);
 */
export async function eventsBetween(db: Executor, from: number, to: number): Promise<EventRow[]> {
  return db
    .selectFrom('event')
    .selectAll()
    .where('seq', '>=', from)
    .where('seq', '<=', to)
    .orderBy('seq')
    .execute();
}

/**
 * The events about one row (an acknowledgement, a complaint …), in chain order.
 *
 * @example
 * const events = await eventsOf(db, { entity: 'acknowledgement', entityId: id });
 */
export async function eventsOf(
  db: Executor,
  about: { entity: string; entityId: string },
): Promise<EventRow[]> {
  return db
    .selectFrom('event')
    .selectAll()
    .where('entity', '=', about.entity)
    .where('entity_id', '=', about.entityId)
    .orderBy('seq')
    .execute();
}

/**
 * Every event of one type, in chain order.
 *
 * @example
 * const requests = await eventsOfType(db, 'optin.reconfirmation_requested');
 */
export async function eventsOfType(db: Executor, type: string): Promise<EventRow[]> {
  return db.selectFrom('event').selectAll().where('type', '=', type).orderBy('seq').execute();
}
