import { importContacts } from '@consent-mailer/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addSenderEntity } from '@consent-mailer/store/testing';
import { NOW, openApiFixture } from './store-fixture.js';

let fixture: Awaited<ReturnType<typeof openApiFixture>>;
beforeEach(async () => {
  fixture = await openApiFixture('cm-api-audit-');
});
afterEach(async () => {
  await fixture.cleanup();
});

describe('audit.verify', () => {
  it('passes on an untouched log and names the event someone changed with a plain SQL client', async () => {
    await addSenderEntity(fixture.store);
    for (const email of ['a@example.nl', 'b@example.nl', 'c@example.nl']) {
      await importContacts(
        fixture.store.db,
        [
          {
            email,
            recipientKind: 'CONSUMER',
            method: 'WEB_SOI',
            senderEntityId: 'bakkerij',
            scopeLists: 'ALL',
          },
        ],
        { at: NOW.toISOString() },
      );
    }
    expect(await fixture.caller.audit.verify()).toMatchObject({ ok: true, events: 3 });

    // A plain SQL session on the raw connection: drop the guard, edit the row.
    fixture.store.sqlite.exec(
      "DROP TRIGGER event_refuse_update; UPDATE event SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 2",
    );
    await fixture.reopen({ openDamaged: true });
    expect(await fixture.caller.audit.verify()).toMatchObject({
      ok: false,
      brokenAt: 2,
      reason: 'HASH_MISMATCH',
      brokenEvent: { seq: 2, type: 'contacts.imported', at: '2020-01-01T00:00:00.000Z' },
    });
  });
});
