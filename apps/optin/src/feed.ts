import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { signEvent, type SignedEventBody } from './crypto.js';
import type { OptinDb, OptinSchema } from './database.js';

/** The kinds of events the desktop pulls. */
export type FeedEventType =
  'signed_up' | 'confirmation_mail_sent' | 'confirmed' | 'unsubscribed' | 'preferences_changed';

/** An event as `GET /events` publishes it. */
export interface PublishedEvent extends SignedEventBody {
  seq: number;
  signature: string;
}

/**
 * Signs and appends one event; called inside the transaction that makes the change it reports, so the
 * feed never misses a change nor reports one that was rolled back.
 */
export async function appendFeedEvent(
  trx: Transaction<OptinSchema>,
  key: KeyObject,
  type: FeedEventType,
  data: Record<string, unknown>,
  at: string,
): Promise<number> {
  const body: SignedEventBody = { id: randomUUID(), type, at, data };
  // The next number from the counter row (locked until this transaction ends): no gaps, commit order.
  const counter = await trx
    .updateTable('feed_counter')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('name', '=', 'feed')
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  const seq = Number(counter.last_seq);
  await trx
    .insertInto('feed_event')
    .values({ seq, id: body.id, type, at, data: JSON.stringify(data), signature: signEvent(key, body) })
    .execute();
  return seq;
}

/** Events after `after`, in order. Asking for `after=N` tells the service the desktop holds everything up to N. */
export async function readFeed(
  db: OptinDb,
  after: number,
  limit: number,
  now: string,
): Promise<PublishedEvent[]> {
  await db
    .insertInto('feed_cursor')
    .values({ name: 'desktop', pulled_through: after, pulled_at: now })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({
        // Never move backwards: a desktop restoring an old backup must not make the service forget it purged.
        pulled_through: eb
          .case()
          .when('feed_cursor.pulled_through', '<', after)
          .then(after)
          .else(eb.ref('feed_cursor.pulled_through'))
          .end(),
        pulled_at: now,
      })),
    )
    .execute();
  const rows = await db
    .selectFrom('feed_event')
    .selectAll()
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    seq: Number(row.seq),
    id: row.id,
    type: row.type,
    at: row.at,
    data: JSON.parse(row.data) as Record<string, unknown>,
    signature: row.signature,
  }));
}

/**
 * Drops personal data the desktop already has once the retention window has passed: feed events pulled
 * before the cutoff are deleted, and finished sign-ups keep only hashes (for limits and one-click unsubscribe).
 */
export async function purgeRetained(db: OptinDb, now: Date, retentionDays: number): Promise<void> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  const cursor = await db
    .selectFrom('feed_cursor')
    .select('pulled_through')
    .where('name', '=', 'desktop')
    .executeTakeFirst();
  const pulled = Number(cursor?.pulled_through ?? 0);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('feed_event').where('seq', '<=', pulled).where('at', '<', cutoff).execute();
    await trx
      .updateTable('signup')
      .set({
        email: null,
        signup_ip: null,
        signup_user_agent: null,
        source: null,
        confirm_raw_mime: null,
        confirm_ip: null,
        confirm_user_agent: null,
      })
      .where('last_event_seq', '<=', pulled)
      .where((eb) =>
        eb.or([
          eb('confirmed_at', '<', cutoff),
          eb('unsubscribed_at', '<', cutoff),
          eb.and([eb('confirmed_at', 'is', null), eb('token_expires_at', '<', cutoff)]),
        ]),
      )
      .execute();
    await trx
      .deleteFrom('ip_hit')
      .where('at', '<', new Date(now.getTime() - 86_400_000).toISOString())
      .execute();
    await trx.deleteFrom('confirm_nonce').where('expires_at', '<', now.toISOString()).execute();
  });
}
