import { readFileSync, existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addressHash,
  checkpointStore,
  eraseContact,
  getContactByEmail,
  appendEvent,
  importContacts,
  inTransaction,
  isSuppressed,
  upsertContact,
  verifyChain,
  createList,
  addToList,
  type Store,
} from '../src/index.js';
import { AT, addSenderEntity, openTempStore, seedMailing } from '../src/testing/index.js';

let store: Store;
let path: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  const temp = await openTempStore();
  ({ store, path, cleanup } = temp);
  await addSenderEntity(store);
});
afterEach(async () => {
  await cleanup();
});

/** Every byte of the database as a user's disk holds it (main file and write-ahead log). */
function fileBytes(): string {
  const parts = [readFileSync(path)];
  if (existsSync(`${path}-wal`)) parts.push(readFileSync(`${path}-wal`));
  return Buffer.concat(parts).toString('latin1');
}

const EMAIL = 'marieke.jansen@voorbeeld.nl';

describe('eraseContact (GDPR art. 17)', () => {
  it('leaves no trace of the address but its hash, and the chain still verifies', async () => {
    await createList(store.db, { id: 'nieuwsbrief', name: 'Nieuwsbrief', at: AT });
    // Names and evidence that would identify her too.
    const { contactId } = await upsertContact(
      store.db,
      {
        email: EMAIL,
        firstName: 'Marieke',
        lastName: 'Zonnebloemveld',
        recipientKind: 'CONSUMER',
        consent: {
          method: 'WEB_DOI',
          senderEntityId: 'bakkerij',
          scopeLists: 'ALL',
          signupAt: '2026-01-01T10:00:00Z',
          signupIp: '203.0.113.77',
          signupUserAgent: 'UniqueBrowser/7.7',
          confirmedAt: '2026-01-01T10:02:00Z',
        },
      },
      { at: AT },
    );
    await addToList(store.db, 'nieuwsbrief', [contactId], { at: AT });
    await importContacts(
      store.db,
      Array.from({ length: 50 }, (_, index) => ({
        email: `other${index}@voorbeeld.nl`,
        recipientKind: 'CONSUMER' as const,
        method: 'WEB_SOI' as const,
        senderEntityId: 'bakkerij',
        scopeLists: 'ALL' as const,
      })),
      { at: AT },
    );
    // A mailing and its delivery, written with their event (a write to a sealed table needs one).
    await seedMailing(store.db, {
      id: 'm1',
      senderEntityId: 'bakkerij',
      listId: 'nieuwsbrief',
      subject: 'Nieuws',
    });
    await inTransaction(store.db, async (trx) => {
      await trx
        .insertInto('delivery')
        .values({
          mailing_id: 'm1',
          contact_id: contactId,
          email: EMAIL,
          address_hash: addressHash(EMAIL),
          classification: 'ALLOWED_PROVEN',
          acknowledgement_id: null,
          next_attempt_at: null,
          claimed_at: null,
          claimed_by: null,
          sent_at: AT,
          smtp_code: 250,
          smtp_reply: `250 OK <${EMAIL}> queued`,
          message_id: '<abc@bakkerij.nl>',
          last_error: null,
          created_at: AT,
          updated_at: AT,
        })
        .execute();
      await appendEvent(trx, { type: 'mailing.queued', entity: 'mailing', entityId: 'm1', at: AT });
    });
    checkpointStore(store);
    expect(fileBytes()).toContain(EMAIL);
    expect(fileBytes()).toContain('Zonnebloemveld');

    const result = await eraseContact(store.db, { email: EMAIL, source: 'CLI', at: AT });
    checkpointStore(store);

    expect(result).toMatchObject({ erased: true, addressHash: addressHash(EMAIL), contactId });
    expect(result.eventPayloadsRemoved).toBeGreaterThanOrEqual(2);
    const bytes = fileBytes();
    expect(bytes).not.toContain(EMAIL);
    expect(bytes).not.toContain('marieke');
    expect(bytes).not.toContain('Zonnebloemveld');
    expect(bytes).not.toContain('203.0.113.77');
    expect(bytes).not.toContain('UniqueBrowser');
    expect(bytes).toContain(addressHash(EMAIL));
    expect(await getContactByEmail(store.db, EMAIL)).toBeNull();
    expect(await isSuppressed(store.db, EMAIL)).toBe(true);
    const suppression = await store.db
      .selectFrom('suppression')
      .selectAll()
      .where('address_hash', '=', addressHash(EMAIL))
      .execute();
    expect(suppression).toMatchObject([{ reason: 'ERASED', source: 'CLI', created_at: AT }]);
    const delivery = await store.db.selectFrom('delivery').selectAll().executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({
      email: null,
      smtp_reply: null,
      contact_id: null,
      state: 'QUEUED',
      message_id: '<abc@bakkerij.nl>',
    });
    expect(await verifyChain(store.db)).toMatchObject({ ok: true });
    // Others are untouched.
    expect((await getContactByEmail(store.db, 'other7@voorbeeld.nl'))?.consents).toHaveLength(1);
  });

  it('a re-import of an erased address is skipped as suppressed', async () => {
    await upsertContact(store.db, { email: EMAIL, recipientKind: 'CONSUMER' }, { at: AT });
    await eraseContact(store.db, { email: EMAIL, source: 'APP', at: AT });
    const counts = await importContacts(
      store.db,
      [
        {
          email: EMAIL,
          recipientKind: 'CONSUMER',
          method: 'WEB_SOI',
          senderEntityId: 'bakkerij',
          scopeLists: 'ALL',
        },
      ],
      { at: AT },
    );
    expect(counts).toMatchObject({ imported: 0, suppressed: 1 });
    expect(await getContactByEmail(store.db, EMAIL)).toBeNull();
  });
});
