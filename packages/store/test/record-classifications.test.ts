import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordClassifications, upsertContact, type Store } from '../src/index.js';
import { AT, openTempStore } from '../src/testing/index.js';

let store: Store;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  const temp = await openTempStore();
  store = temp.store;
  cleanup = temp.cleanup;
});
afterEach(async () => cleanup());

const row = (id: number) =>
  store.db
    .selectFrom('contact')
    .select(['last_classification', 'last_classified_at', 'last_classified_mailing_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('recording the class of each contact after an assessment', () => {
  it('writes only contacts whose class changed, so viewing the same assessment again writes nothing', async () => {
    const { contactId } = await upsertContact(store.db, { email: 'anna@example.nl' }, { at: AT });
    await recordClassifications(store.db, {
      mailingId: 'm1',
      at: '2026-12-01T10:00:00.000Z',
      items: [{ contactId, classification: 'ALLOWED_PROVEN' }],
    });
    await recordClassifications(store.db, {
      mailingId: 'm2',
      at: '2026-12-02T10:00:00.000Z',
      items: [{ contactId, classification: 'ALLOWED_PROVEN' }],
    });
    expect(await row(contactId)).toEqual({
      last_classification: 'ALLOWED_PROVEN',
      last_classified_at: '2026-12-01T10:00:00.000Z',
      last_classified_mailing_id: 'm1',
    });
    await recordClassifications(store.db, {
      mailingId: 'm3',
      at: '2026-12-03T10:00:00.000Z',
      items: [{ contactId, classification: 'BLOCKED' }],
    });
    expect(await row(contactId)).toEqual({
      last_classification: 'BLOCKED',
      last_classified_at: '2026-12-03T10:00:00.000Z',
      last_classified_mailing_id: 'm3',
    });
  });
});
