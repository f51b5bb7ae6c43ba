import { importContacts, isSuppressed } from '@consent-mailer/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addSenderEntity } from '@consent-mailer/store/testing';
import { NOW, openApiFixture } from './store-fixture.js';

let fixture: Awaited<ReturnType<typeof openApiFixture>>;
const at = NOW.toISOString();

beforeEach(async () => {
  fixture = await openApiFixture('cm-api-suppression-screen-');
  await addSenderEntity(fixture.store);
  await importContacts(
    fixture.store.db,
    [
      {
        email: 'anna@example.nl',
        recipientKind: 'CONSUMER',
        method: 'WEB_SOI',
        senderEntityId: 'bakkerij',
        scopeLists: 'ALL',
        signupAt: at,
      },
    ],
    { at },
  );
});
afterEach(async () => fixture.cleanup());

describe('the suppression screen', () => {
  it('adds an address by hand, lists newest first with the contact address, finds a non-contact by its whole address', async () => {
    await fixture.caller.suppressions.unsubscribe({ email: 'Anna@Example.NL', channel: 'PHONE' });
    const added = await fixture.caller.suppressions.add({ email: ' Piet@Voorbeeld.NL ', note: 'belde boos' });
    expect(added.email).toBe('piet@voorbeeld.nl');
    expect(await isSuppressed(fixture.store.db, 'piet@voorbeeld.nl')).toBe(true);

    const all = await fixture.caller.suppressions.browse({});
    expect(all.map((row) => [row.email, row.reason, row.source])).toEqual([
      [null, 'MANUAL', 'APP'],
      ['anna@example.nl', 'UNSUBSCRIBED', 'PHONE'],
    ]);
    expect(all[0]?.note).toBe('belde boos');

    expect(
      (await fixture.caller.suppressions.browse({ search: 'PIET@voorbeeld.nl' })).map((r) => r.reason),
    ).toEqual(['MANUAL']);
    expect((await fixture.caller.suppressions.browse({ search: 'ann' })).map((r) => r.email)).toEqual([
      'anna@example.nl',
    ]);
    expect(await fixture.caller.suppressions.browse({ search: 'nobody@example.nl' })).toEqual([]);
  });

  it('refuses an address that is not one, in both languages', async () => {
    await expect(fixture.caller.suppressions.add({ email: 'not an address' })).rejects.toMatchObject({
      cause: { code: 'POLICY_INVALID_EMAIL' },
    });
    expect(await fixture.caller.suppressions.browse({})).toEqual([]);
  });
});
