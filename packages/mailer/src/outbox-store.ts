import type { ComposeRecipient } from './message-composer.js';

/** One claimed delivery: a recipient of a mailing, with what composing its message needs. */
export interface OutboxDelivery {
  id: number;
  /** Attempts made before this one. */
  attempts: number;
  recipient: ComposeRecipient;
}

/** What a finished attempt is recorded as. */
export type DeliveryResult =
  | { kind: 'SENT'; reply: string; code: number | undefined }
  | { kind: 'DEFERRED'; reply: string; code: number | undefined; nextAttemptAt: string }
  | { kind: 'HARD_BOUNCE'; reply: string; code: number | undefined; status: string }
  | {
      kind: 'FAILED';
      reply: string;
      code: number | undefined;
      /** SENDER_REFUSED: the server refuses the sender (authentication, blocklist, spam policy). */
      reason: 'REJECTED' | 'RETRIES_EXHAUSTED' | 'INVALID_MESSAGE' | 'SENDER_REFUSED';
    };

/** Whether the worker may go on with a mailing (re-read before every batch). */
export type OutboxControl = 'RUN' | 'PAUSED' | 'CANCELLED';

/**
 * The persistence the outbox worker needs; `@consent-mailer/store` implements it on SQLite. Every method
 * commits before it returns: the worker relies on that for crash safety (see the package README).
 */
export interface OutboxStore {
  /** Re-read before every batch: a pause or cancel from anywhere takes effect at the next batch. */
  control(mailingId: string): Promise<OutboxControl>;
  /**
   * Atomically claims up to `limit` due deliveries (queued, or deferred with a due next attempt) for this
   * worker. Deliveries whose address is suppressed at this moment are skipped in the same transaction and
   * only counted, so an unsubscribe during a send takes effect at the next batch.
   */
  claimBatch(input: { mailingId: string; workerId: string; limit: number; now: string }): Promise<{
    deliveries: OutboxDelivery[];
    suppressed: number;
  }>;
  /**
   * Marks deliveries as handed to the SMTP client, each with its Message-ID, right before the hand-over
   * (one commit for the group). After a crash, a delivery in this state is UNCERTAIN (the server may have
   * accepted it): never sent again without the user's decision.
   */
  markHandedOver(items: readonly { id: number; messageId: string }[], at: string): Promise<void>;
  /**
   * Records the servers' answers (and, for a hard bounce, the bounce and the suppression) in one
   * transaction. The worker groups answers; until they are committed the deliveries count as handed over,
   * so a crash in between leaves them UNCERTAIN, never queued again.
   */
  recordResults(items: readonly { id: number; result: DeliveryResult }[], at: string): Promise<void>;
  /** Puts claimed deliveries that were never handed over back in the queue (pause, cancel, stop). */
  release(ids: readonly number[]): Promise<void>;
  /** The earliest next attempt of a deferred delivery, when nothing is due now; undefined when none is left. */
  nextAttemptAt(mailingId: string): Promise<string | undefined>;
  /** Send times (ISO) of messages accepted through this SMTP profile since `since`, for the rate limits. */
  recentSendTimes(mailingId: string, since: string): Promise<string[]>;
  /** Stops the mailing with an error a user must fix first (a refused password). */
  stop(mailingId: string, error: { code: string; message: string }): Promise<void>;
  /** Marks the mailing as sent when no delivery is left to try. */
  finish(mailingId: string, at: string): Promise<void>;
  /** Done and total of the mailing's deliveries, for progress. */
  progress(mailingId: string): Promise<{ done: number; total: number }>;
}
