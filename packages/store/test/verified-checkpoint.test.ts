import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ledgerFixture, type LedgerFixture } from './ledger-fixture.js';

// The check at open skips the full walk only for a file byte for byte the one the store closed and signed.
let fixture: LedgerFixture;
beforeEach(async () => {
  fixture = await ledgerFixture();
});
afterEach(() => {
  fixture.cleanup();
});

describe('the verified checkpoint at open', () => {
  it('opens an untouched file without walking it again', async () => {
    await (await fixture.open()).close();
    const store = await fixture.open();
    const chain = store.health?.chain;
    await store.close();
    expect(chain?.ok && chain.checkpointAt).toBeTruthy();
  });

  it('still finds an edit to an old row made after the checkpoint was signed', async () => {
    const first = await fixture.open();
    await first.close();
    fixture.tamper(`UPDATE consent SET method = 'WEB_DOI' WHERE method = 'IMPORTED_UNKNOWN'`);
    await expect(fixture.open()).rejects.toThrow(/changed outside Consent Mailer/);
  });
});
