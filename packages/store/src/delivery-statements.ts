// The outbox's prepared statements, per connection: the hot path of a send runs them synchronously.
import type BetterSqlite3 from 'better-sqlite3';
import { perConnection } from './statement-cache.js';

/** Prepared statements of the outbox's hot path, per connection (kysely prepares every statement anew). */
export interface OutboxStatements {
  handedOver: BetterSqlite3.Statement;
  sent: BetterSqlite3.Statement;
  /** `last_delivered_at` of the consents of a group of deliveries of one mailing: (at, any id, ids as JSON). */
  delivered: BetterSqlite3.Statement;
  mailingOf: BetterSqlite3.Statement;
  /** The worker reads it before every hand-over to SMTP (pause and cancel act at once). */
  mailingStatus: BetterSqlite3.Statement;
}

/** The outbox's statements on one connection, prepared on its first use. */
export const statementsFor = perConnection((sqlite): OutboxStatements => ({
  handedOver: sqlite.prepare(
    'UPDATE delivery SET handed_over_at = ?, message_id = ?, updated_at = ? WHERE id = ?',
  ),
  sent: sqlite.prepare(`UPDATE delivery SET state = 'SENT', sent_at = ?, smtp_code = ?, smtp_reply = ?, attempts = attempts + 1,
        claimed_by = NULL, handed_over_at = NULL, last_error = NULL, next_attempt_at = NULL, updated_at = ? WHERE id = ?`),
  // A whole group of one mailing at once (the ids as a JSON array): one statement instead of one per
  // message with two sub-selects each; IN lists so SQLite uses the (contact_id, sender_entity_id) index.
  delivered: sqlite.prepare(`UPDATE consent SET last_delivered_at = ?
        WHERE sender_entity_id = (SELECT m.sender_entity_id FROM mailing m JOIN delivery d ON d.mailing_id = m.id WHERE d.id = ?)
          AND contact_id IN (SELECT contact_id FROM delivery WHERE id IN (SELECT value FROM json_each(?)))`),
  mailingOf: sqlite.prepare('SELECT mailing_id FROM delivery WHERE id = ?'),
  mailingStatus: sqlite.prepare('SELECT status FROM mailing WHERE id = ?'),
}));
