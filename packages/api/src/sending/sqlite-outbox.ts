import type { OutboxStore } from '@consent-mailer/mailer';
import { createSqliteOutbox as storeOutbox, type Store } from '@consent-mailer/store';

/**
 * The mailer's outbox on the store's SQLite tables. The store implements the mailer's `OutboxStore`
 * structurally (it may not import the mailer); this line is where the compiler checks that they match.
 *
 * @example
 * const outbox = createSqliteOutbox(ctx.store, { smtpProfileId: profile.id, workerId, clock: ctx.clock });
 */
export function createSqliteOutbox(
  store: Store,
  options: { smtpProfileId: string; workerId: string; clock: () => Date },
): OutboxStore {
  return storeOutbox(store.db, { ...options, sqlite: store.sqlite });
}
