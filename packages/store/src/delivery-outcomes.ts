// What the SMTP server answered, per delivery: sent, deferred, failed, bounced, with its chained event.
import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { appendEvent, appendEventSync, type Executor } from './event-log.js';
import { insertBounce } from './feedback.repository.js';
import { inChunks } from './sql-batch.js';
import { inTransaction } from './transaction.js';
import { statementsFor } from './delivery-statements.js';
import './sending-columns.js';

/** The server's answer to one attempt. */
export type DeliveryOutcome =
  | { kind: 'SENT'; reply: string; code: number | undefined }
  | { kind: 'DEFERRED'; reply: string; code: number | undefined; nextAttemptAt: string }
  | { kind: 'HARD_BOUNCE'; reply: string; code: number | undefined; status: string }
  | { kind: 'FAILED'; reply: string; code: number | undefined; reason: string };

/**
 * Records the outcomes of several attempts in one transaction with one `deliveries.recorded` event (ids per
 * state; never an address): SENT (and the consents' `last_delivered_at`), DEFERRED with the next attempt,
 * FAILED, or HARD_BOUNCE (FAILED plus a bounce row and a HARD_BOUNCE suppression). SMTP replies are kept.
 * Grouping matters: the outbox records hundreds of replies a second.
 *
 * @example
 * await recordDeliveryOutcomes(db, [{ id, outcome: { kind: 'SENT', reply: '250 2.0.0 Ok: queued', code: 250 } }], now);
 */
export async function recordDeliveryOutcomes(
  db: Executor,
  items: readonly { id: number; outcome: DeliveryOutcome }[],
  at: string,
  sqlite?: BetterSqlite3.Database,
): Promise<void> {
  if (items.length === 0) return;
  if (
    sqlite !== undefined &&
    !sqlite.inTransaction &&
    !db.isTransaction &&
    items.every((item) => item.outcome.kind === 'SENT')
  ) {
    // The hot path (a group of accepted messages, nothing else): one synchronous transaction of prepared
    // statements, the event included, instead of a kysely transaction with freshly compiled queries.
    recordSentSync(sqlite, items, at);
    return;
  }
  await inTransaction(db, async (trx) => {
    const ids: Record<'sent' | 'deferred' | 'failed' | 'bounced', number[]> = {
      sent: [],
      deferred: [],
      failed: [],
      bounced: [],
    };
    const sent = items.filter((item) => item.outcome.kind === 'SENT');
    if (sqlite !== undefined) {
      // Hot path: hundreds of replies a second; prepared once, run inside this transaction.
      const statements = statementsFor(sqlite);
      for (const item of sent) {
        statements.sent.run(at, item.outcome.code ?? null, item.outcome.reply.slice(0, 1000), at, item.id);
        ids.sent.push(item.id);
      }
      if (ids.sent.length > 0) statements.delivered.run(at, ids.sent[0], JSON.stringify(ids.sent));
    }
    for (const chunk of sqlite === undefined ? inChunks(sent, 2000) : []) {
      const values = sql.join(
        chunk.map(
          (item) => sql`(${item.id}, ${item.outcome.code ?? null}, ${item.outcome.reply.slice(0, 1000)})`,
        ),
      );
      await sql`WITH v(id, code, reply) AS (VALUES ${values})
        UPDATE delivery SET state = 'SENT', sent_at = ${at}, smtp_code = v.code, smtp_reply = v.reply, attempts = attempts + 1,
          claimed_by = NULL, handed_over_at = NULL, last_error = NULL, next_attempt_at = NULL, updated_at = ${at}
        FROM v WHERE delivery.id = v.id`.execute(trx);
      const chunkIds = chunk.map((item) => item.id);
      ids.sent.push(...chunkIds);
      // Written as IN lists so SQLite uses the (contact_id, sender_entity_id) index instead of a scan.
      await sql`UPDATE consent SET last_delivered_at = ${at}
        WHERE sender_entity_id = (SELECT m.sender_entity_id FROM mailing m JOIN delivery d ON d.mailing_id = m.id WHERE d.id = ${chunkIds[0] ?? -1})
          AND contact_id IN (SELECT contact_id FROM delivery WHERE id IN (${sql.join(chunkIds)}))`.execute(
        trx,
      );
    }
    for (const { id, outcome } of items) {
      if (outcome.kind === 'SENT') continue;
      const base = {
        smtp_code: outcome.code ?? null,
        smtp_reply: outcome.reply.slice(0, 1000),
        claimed_by: null,
        handed_over_at: null,
        updated_at: at,
        attempts: sql<number>`attempts + 1`,
      };
      if (outcome.kind === 'DEFERRED') {
        ids.deferred.push(id);
        await trx
          .updateTable('delivery')
          .set({
            ...base,
            state: 'DEFERRED',
            next_attempt_at: outcome.nextAttemptAt,
            last_error: 'TEMPORARY',
          })
          .where('id', '=', id)
          .execute();
        continue;
      }
      const reason = outcome.kind === 'HARD_BOUNCE' ? 'HARD_BOUNCE' : outcome.reason;
      await trx
        .updateTable('delivery')
        .set({ ...base, state: 'FAILED', last_error: reason, next_attempt_at: null })
        .where('id', '=', id)
        .execute();
      if (outcome.kind !== 'HARD_BOUNCE') {
        ids.failed.push(id);
        continue;
      }
      ids.bounced.push(id);
      const row = await trx
        .selectFrom('delivery')
        .select(['mailing_id', 'contact_id', 'address_hash'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      await insertBounce(
        trx,
        { ...row, delivery_id: id },
        { kind: 'HARD', status: outcome.status, diagnostic: outcome.reply, receivedAt: at, source: 'SMTP' },
        at,
      );
    }
    const first = await trx
      .selectFrom('delivery')
      .select('mailing_id')
      .where('id', '=', items[0]?.id ?? -1)
      .executeTakeFirst();
    await appendEvent(trx, {
      type: 'deliveries.recorded',
      entity: 'mailing',
      entityId: first?.mailing_id ?? null,
      at,
      data: { sent: ids.sent, deferred: ids.deferred, failed: ids.failed, bounced: ids.bounced },
    });
  });
}

/** {@link recordDeliveryOutcomes} for a group of SENT outcomes only, as one synchronous transaction. */
function recordSentSync(
  sqlite: BetterSqlite3.Database,
  items: readonly { id: number; outcome: DeliveryOutcome }[],
  at: string,
): void {
  const statements = statementsFor(sqlite);
  sqlite.transaction(() => {
    const sent: number[] = [];
    for (const item of items) {
      statements.sent.run(at, item.outcome.code ?? null, item.outcome.reply.slice(0, 1000), at, item.id);
      sent.push(item.id);
    }
    statements.delivered.run(at, sent[0] ?? -1, JSON.stringify(sent));
    // The chain's one writer, synchronous: it also commits the delivery and consent rows just changed.
    const mailing = statements.mailingOf.get(items[0]?.id ?? -1) as { mailing_id: string } | undefined;
    appendEventSync(sqlite, {
      type: 'deliveries.recorded',
      entity: 'mailing',
      entityId: mailing?.mailing_id ?? null,
      at,
      data: { sent, deferred: [], failed: [], bounced: [] },
    });
  })();
}

/**
 * One outcome: see {@link recordDeliveryOutcomes}.
 *
 * @example
 * await recordDeliveryOutcome(db, id, { kind: 'SENT', reply: '250 2.0.0 Ok: queued', code: 250 }, now);
 */
export async function recordDeliveryOutcome(
  db: Executor,
  id: number,
  outcome: DeliveryOutcome,
  at: string,
): Promise<void> {
  await recordDeliveryOutcomes(db, [{ id, outcome }], at);
}
