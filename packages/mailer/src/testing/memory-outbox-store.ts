import type { DeliveryResult, OutboxControl, OutboxDelivery, OutboxStore } from '../outbox-store.js';
import type { ComposeRecipient } from '../message-composer.js';

/** A delivery row of the in-memory outbox. */
export interface MemoryDelivery {
  id: number;
  recipient: ComposeRecipient;
  state: 'QUEUED' | 'SENDING' | 'SENT' | 'DEFERRED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
  handedOver: boolean;
  attempts: number;
  nextAttemptAt?: string;
  result?: DeliveryResult;
  sentAt?: string;
}

/** The in-memory outbox plus handles for tests: suppress an address, pause, inspect rows. */
export interface MemoryOutboxStore extends OutboxStore {
  deliveries: MemoryDelivery[];
  suppressed: Set<string>;
  controlState: OutboxControl;
  stopped?: { code: string; message: string };
  finishedAt?: string;
  /** Every claimBatch call, in order, with the ids it returned. */
  claims: number[][];
}

/**
 * The reference implementation of {@link OutboxStore} in memory, for the worker's own tests and for
 * developers who embed the mailer without SQLite. The SQLite implementation lives in @consent-mailer/store.
 *
 * @example
 * const outbox = createMemoryOutboxStore(recipients);
 * await runOutbox({ store: outbox, … });
 */
export function createMemoryOutboxStore(recipients: readonly ComposeRecipient[]): MemoryOutboxStore {
  const store: MemoryOutboxStore = {
    deliveries: recipients.map((recipient, index) => ({
      id: index + 1,
      recipient,
      state: 'QUEUED',
      handedOver: false,
      attempts: 0,
    })),
    suppressed: new Set(),
    controlState: 'RUN',
    claims: [],
    control: () => Promise.resolve(store.controlState),
    claimBatch({ limit, now }) {
      const due = store.deliveries.filter(
        (d) => d.state === 'QUEUED' || (d.state === 'DEFERRED' && (d.nextAttemptAt ?? '') <= now),
      );
      let suppressed = 0;
      const claimed: OutboxDelivery[] = [];
      for (const d of due) {
        if (claimed.length >= limit) break;
        if (store.suppressed.has(d.recipient.email.toLowerCase())) {
          d.state = 'SKIPPED';
          suppressed++;
          continue;
        }
        d.state = 'SENDING';
        claimed.push({ id: d.id, attempts: d.attempts, recipient: d.recipient });
      }
      store.claims.push(claimed.map((d) => d.id));
      return Promise.resolve({ deliveries: claimed, suppressed });
    },
    markHandedOver(items) {
      for (const { id, messageId } of items) {
        const d = find(id);
        d.handedOver = true;
        d.recipient = { ...d.recipient, messageId };
      }
      return Promise.resolve();
    },
    recordResults(items, at) {
      for (const { id, result } of items) {
        const d = find(id);
        d.result = result;
        d.handedOver = false;
        d.attempts++;
        if (result.kind === 'SENT') {
          d.state = 'SENT';
          d.sentAt = at;
        } else if (result.kind === 'DEFERRED') {
          d.state = 'DEFERRED';
          d.nextAttemptAt = result.nextAttemptAt;
        } else {
          d.state = 'FAILED';
          if (result.kind === 'HARD_BOUNCE') store.suppressed.add(d.recipient.email.toLowerCase());
        }
      }
      return Promise.resolve();
    },
    release(ids) {
      for (const id of ids) {
        const d = find(id);
        d.state = 'QUEUED';
        d.handedOver = false;
      }
      return Promise.resolve();
    },
    nextAttemptAt() {
      const next = store.deliveries
        .filter((d) => d.state === 'DEFERRED')
        .map((d) => d.nextAttemptAt ?? '')
        .sort()[0];
      return Promise.resolve(next);
    },
    recentSendTimes(_mailingId, since) {
      return Promise.resolve(
        store.deliveries.flatMap((d) => (d.sentAt && d.sentAt >= since ? [d.sentAt] : [])),
      );
    },
    stop(_mailingId, error) {
      store.stopped = error;
      store.controlState = 'PAUSED';
      return Promise.resolve();
    },
    finish(_mailingId, at) {
      store.finishedAt = at;
      return Promise.resolve();
    },
    progress() {
      const done = store.deliveries.filter((d) =>
        ['SENT', 'FAILED', 'SKIPPED', 'CANCELLED'].includes(d.state),
      ).length;
      return Promise.resolve({ done, total: store.deliveries.length });
    },
  };
  function find(id: number): MemoryDelivery {
    const d = store.deliveries.find((row) => row.id === id);
    if (!d) throw new Error(`no delivery ${id}`);
    return d;
  }
  return store;
}
