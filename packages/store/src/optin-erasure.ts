// Erasure of a person from the stored feed: the personal fields go, the signed skeleton stays.
import { sql } from 'kysely';
import { type Executor } from './event-log.js';

/** Fields of pulled events that are about the person (erased with them). */
const PERSONAL_FIELDS = [
  'email',
  'signupIp',
  'signupUserAgent',
  'source',
  'confirmIp',
  'confirmUserAgent',
  'confirmRawMime',
  'confirmSmtpReply',
  'confirmMessageId',
] as const;

/**
 * Erasure (GDPR art. 17): removes the personal fields (address, IPs, user agents, the raw confirmation
 * mail) from the pulled events of these address hashes or this contact; the hash, times and signature
 * stay, with `erased: true` (the signature no longer matches the data, on purpose). Call it inside the
 * erasure's transaction, before the contact is deleted.
 */
export async function eraseOptinEvents(
  trx: Executor,
  hashes: readonly string[],
  contactId: number | null,
): Promise<number> {
  const rows = await trx
    .selectFrom('optin_event')
    .select(['id', 'data'])
    .where((eb) =>
      eb.or([
        eb(sql<string>`json_extract(data, '$.emailHash')`, 'in', [...hashes]),
        ...(contactId === null ? [] : [eb('contact_id', '=', contactId)]),
      ]),
    )
    .execute();
  for (const row of rows) {
    const data = JSON.parse(row.data) as Record<string, unknown>;
    for (const field of PERSONAL_FIELDS) delete data[field];
    data.erased = true;
    await trx
      .updateTable('optin_event')
      .set({ data: JSON.stringify(data) })
      .where('id', '=', row.id)
      .execute();
  }
  return rows.length;
}
