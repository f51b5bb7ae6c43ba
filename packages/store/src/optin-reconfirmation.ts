// Re-permission requests sent through the service, and how many of them were confirmed.
import { sql } from 'kysely';
import { canonicalSha256 } from './canonical-json.js';
import { appendEvent, type Executor } from './event-log.js';

/** What the service answered for one address of a re-permission request (apps/optin/src/reconfirm.ts). */
export type ReconfirmRequestStatus = 'sent' | 'suppressed' | 'limited' | 'mail_failed' | 'invalid';

/** A count per status, all zero: what a run of requests adds up from. */
export function emptyReconfirmCounts(): Record<ReconfirmRequestStatus, number> {
  return { sent: 0, suppressed: 0, limited: 0, mail_failed: 0, invalid: 0 };
}

/**
 * Records one chunk of re-permission requests posted to the service, with an `optin.reconfirmation_requested`
 * event: the contact ids, what the service answered per status, and a digest of (contact, address hash,
 * status) of the chunk. No addresses in the chain.
 *
 * @example
 * await recordReconfirmationRequest(db, { serviceId, mailingId, requests: [{ contactId: 7, addressHash, status: 'sent' }], at });
 */
export async function recordReconfirmationRequest(
  db: Executor,
  input: {
    serviceId: string;
    mailingId: string | null;
    requests: readonly { contactId: number; addressHash: string; status: ReconfirmRequestStatus }[];
    at: string;
  },
): Promise<{ seq: number }> {
  const counts = emptyReconfirmCounts();
  for (const request of input.requests) counts[request.status] += 1;
  const { seq } = await appendEvent(db, {
    type: 'optin.reconfirmation_requested',
    entity: 'optin_service',
    entityId: input.serviceId,
    at: input.at,
    data: {
      mailingId: input.mailingId,
      contactIds: input.requests.map((r) => r.contactId),
      sentContactIds: input.requests.filter((r) => r.status === 'sent').map((r) => r.contactId),
      counts,
      digest: canonicalSha256(
        input.requests.map((r) => ({ contactId: r.contactId, addressHash: r.addressHash, status: r.status })),
      ),
    },
  });
  return { seq };
}

/**
 * Re-permission so far (for one mailing, or all): how many people were sent a request, and how many of
 * them have confirmed since (pulled `confirmed` events of the service's re-permission requests).
 *
 * @example
 * await reconfirmationStatus(db, { mailingId }); // { requested: 2, confirmed: 1, … }
 */
export async function reconfirmationStatus(
  db: Executor,
  input: { mailingId?: string },
): Promise<{ requested: number; confirmed: number; notSent: number; lastRequestedAt: string | null }> {
  let query = db
    .selectFrom('event')
    .select(['data', 'at'])
    .where('type', '=', 'optin.reconfirmation_requested')
    .orderBy('seq');
  if (input.mailingId !== undefined)
    query = query.where(sql<string>`json_extract(data, '$.mailingId')`, '=', input.mailingId);
  const rows = await query.execute();
  const sent = new Set<number>();
  const asked = new Set<number>();
  let lastRequestedAt: string | null = null;
  for (const row of rows) {
    const data = JSON.parse(row.data) as { contactIds?: number[]; sentContactIds?: number[] };
    for (const id of data.contactIds ?? []) asked.add(id);
    for (const id of data.sentContactIds ?? []) sent.add(id);
    lastRequestedAt = row.at;
  }
  if (sent.size === 0) return { requested: 0, confirmed: 0, notSent: asked.size, lastRequestedAt };
  const confirmed = await db
    .selectFrom('optin_event')
    .select('contact_id')
    .distinct()
    .where('type', '=', 'confirmed')
    .where('outcome', '=', 'CONTACT_RECONFIRMED')
    .where('contact_id', 'in', [...sent])
    .execute();
  return {
    requested: sent.size,
    confirmed: confirmed.length,
    notSent: [...asked].filter((id) => !sent.has(id)).length,
    lastRequestedAt,
  };
}
