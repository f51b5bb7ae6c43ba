import { UserError } from '@consent-mailer/policy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addSuppression,
  correctContactDomain,
  eraseContact,
  getContactByEmail,
  getContactHistory,
  isSuppressed,
  recordBounce,
  upsertContact,
  verifyChain,
  type Store,
} from '../src/index.js';
import { AT, addSenderEntity, openTempStore } from '../src/testing/index.js';

let store: Store;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
  await addSenderEntity(store);
});
afterEach(async () => {
  await cleanup();
});

const LATER = '2026-03-01T09:00:00.000Z';

async function addJan(email = 'Jan@gmial.com') {
  return upsertContact(
    store.db,
    {
      email,
      firstName: 'Jan',
      recipientKind: 'CONSUMER',
      consent: {
        method: 'PAPER',
        senderEntityId: 'bakkerij',
        scopeLists: 'ALL',
        signupAt: '2026-01-10T10:00:00Z',
        paperScanRef: 'scan-0042',
        consentTextVersionId: 'formulier-1',
      },
    },
    { at: AT },
  );
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UserError);
  return (error as UserError).code;
}

describe('correctContactDomain (a typo in the domain, accepted by the owner)', () => {
  it('moves the contact and its consent to the corrected address and clears the bounce of the typo', async () => {
    const { contactId } = await addJan();
    await recordBounce(
      store.db,
      { email: 'jan@gmial.com', kind: 'HARD', status: '5.1.2', receivedAt: AT },
      AT,
    );
    expect(await isSuppressed(store.db, 'jan@gmial.com')).toBe(true);

    const result = await correctContactDomain(
      store.db,
      { email: 'jan@gmial.com', corrected: 'Jan@gmail.com' },
      { at: LATER },
    );
    expect(result).toEqual({ contactId, from: 'Jan@gmial.com', to: 'Jan@gmail.com', bouncesCleared: 1 });

    expect(await getContactByEmail(store.db, 'jan@gmial.com')).toBeNull();
    const detail = await getContactByEmail(store.db, 'JAN@GMAIL.COM');
    expect(detail?.contact.id).toBe(contactId);
    expect(detail?.contact.email_spelling).toBe('Jan@gmail.com');
    // The paper consent is the same one, its evidence untouched; the typo's bounce no longer holds it back.
    expect(detail?.consents.map((c) => [c.method, c.paper_scan_ref, c.hard_bounce_at])).toEqual([
      ['PAPER', 'scan-0042', null],
    ]);
    // The mistyped address stays suppressed; the corrected one is not.
    expect(await isSuppressed(store.db, 'jan@gmial.com')).toBe(true);
    expect(await isSuppressed(store.db, 'jan@gmail.com')).toBe(false);

    if (!detail) throw new Error('the corrected contact is missing');
    const history = await getContactHistory(store.db, detail);
    const corrected = history.find((entry) => entry.type === 'contact.address_corrected');
    expect(corrected?.personal).toEqual({ from: 'Jan@gmial.com', to: 'Jan@gmail.com' });
    expect(corrected?.data).toMatchObject({
      part: 'domain',
      bouncesCleared: [{ hardBounceStatus: '5.1.2' }],
    });
    expect((await verifyChain(store.db)).ok).toBe(true);
  });

  it('refuses what is not a domain typo, and changes nothing', async () => {
    await addJan();
    expect(
      await refusal(
        correctContactDomain(
          store.db,
          { email: 'jan@gmial.com', corrected: 'piet@gmail.com' },
          { at: LATER },
        ),
      ),
    ).toBe('CONTACT_CORRECTION_NOT_DOMAIN');
    expect(
      await refusal(
        correctContactDomain(store.db, { email: 'jan@gmial.com', corrected: 'JAN@GMIAL.COM' }, { at: LATER }),
      ),
    ).toBe('CONTACT_CORRECTION_SAME');
    expect(
      await refusal(
        correctContactDomain(
          store.db,
          { email: 'nobody@gmial.com', corrected: 'nobody@gmail.com' },
          { at: LATER },
        ),
      ),
    ).toBe('CONTACT_NOT_FOUND');
    await addJan('jan@gmail.com');
    expect(
      await refusal(
        correctContactDomain(store.db, { email: 'jan@gmial.com', corrected: 'jan@gmail.com' }, { at: LATER }),
      ),
    ).toBe('CONTACT_ADDRESS_TAKEN');
    expect((await getContactByEmail(store.db, 'jan@gmial.com'))?.contact.email).toBe('jan@gmial.com');
  });

  it('never lets a correction escape an opt-out: of the person, or on the corrected address', async () => {
    await addJan();
    await addSuppression(store.db, {
      email: 'jan@gmial.com',
      reason: 'UNSUBSCRIBED',
      source: 'UNSUBSCRIBE_LINK',
      at: AT,
    });
    expect(
      await refusal(
        correctContactDomain(store.db, { email: 'jan@gmial.com', corrected: 'jan@gmail.com' }, { at: LATER }),
      ),
    ).toBe('STORE_ADDRESS_SUPPRESSED');

    await addJan('piet@hotmail.con');
    await addSuppression(store.db, { email: 'piet@hotmail.com', reason: 'COMPLAINT', source: 'ARF', at: AT });
    expect(
      await refusal(
        correctContactDomain(
          store.db,
          { email: 'piet@hotmail.con', corrected: 'piet@hotmail.com' },
          { at: LATER },
        ),
      ),
    ).toBe('STORE_ADDRESS_SUPPRESSED');
    expect((await getContactByEmail(store.db, 'piet@hotmail.con'))?.contact.email).toBe('piet@hotmail.con');
  });

  it('erasing the person later erases them under the mistyped address too', async () => {
    await addJan();
    await correctContactDomain(
      store.db,
      { email: 'jan@gmial.com', corrected: 'jan@gmail.com' },
      { at: LATER },
    );
    await eraseContact(store.db, { email: 'jan@gmail.com', source: 'CLI', at: LATER });

    const payloads = store.sqlite.prepare('SELECT payload FROM event_personal').all() as {
      payload: string;
    }[];
    expect(payloads.filter((row) => /gmial|gmail/i.test(row.payload))).toEqual([]);
    // Neither spelling is ever mailed again.
    expect(await isSuppressed(store.db, 'jan@gmial.com')).toBe(true);
    expect(await isSuppressed(store.db, 'jan@gmail.com')).toBe(true);
    expect((await verifyChain(store.db)).ok).toBe(true);
  });
});
