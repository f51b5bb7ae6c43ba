import { readFileSync, writeFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  anchorPathFor,
  computeEventHash,
  GENESIS_HASH,
  openStore,
  verifyChain,
  type ChainAnchor,
  type ChainVerification,
} from '../src/index.js';
import {
  CREATE_EVENT_TRIGGERS,
  DROP_EVENT_TRIGGERS,
  ledgerFixture,
  testSigner,
  type LedgerFixture,
} from './ledger-fixture.js';

// Issue 12: edits made straight in the SQLite file, the way a careless employee or a dishonest sender
// could, must be found at open (the store refuses the file) and by the verification `audit verify` runs,
// which names the row or event that changed.

let fixture: LedgerFixture;
beforeEach(async () => {
  fixture = await ledgerFixture();
});
afterEach(() => {
  fixture.cleanup();
});

/** What open says and what the full verification says, on a tampered file. */
async function findings(): Promise<{
  openError: { code: string; message: string };
  verification: ChainVerification;
}> {
  let openError = { code: '(opened)', message: '' };
  try {
    const store = await fixture.open();
    await store.close();
  } catch (error) {
    const e = error as { code?: string; text?: { en: string } };
    openError = { code: e.code ?? 'unknown', message: e.text?.en ?? String(error) };
  }
  const store = await fixture.open({ openDamaged: true });
  try {
    return { openError, verification: await verifyChain(store.db) };
  } finally {
    await store.close();
  }
}

function idOf(sql: string): number {
  const sqlite = new BetterSqlite3(fixture.path, { readonly: true });
  try {
    return (sqlite.prepare(sql).get() as { id: number }).id;
  } finally {
    sqlite.close();
  }
}

describe('the ledger binds the rows that decide who is mailed', () => {
  it('opens the file the app wrote, and verifies it row by row', async () => {
    const store = await fixture.open();
    const result = await verifyChain(store.db);
    await store.close();
    expect(result.ok).toBe(true);
    expect(result.ok && result.rows).toBeGreaterThan(100);
  });

  it('finds consent evidence rewritten so that unknown-origin contacts look proven', async () => {
    const first = idOf(`SELECT min(id) AS id FROM consent WHERE method = 'IMPORTED_UNKNOWN'`);
    fixture.tamper(`UPDATE consent SET method = 'WEB_DOI', signup_at = '2026-01-01T10:00:00Z',
      confirmed_at = '2026-01-01T10:05:00Z', signup_ip = '192.0.2.7' WHERE method = 'IMPORTED_UNKNOWN'`);
    const { openError, verification } = await findings();
    expect(openError.code).toBe('STORE_CHAIN_BROKEN');
    expect(openError.message).toContain(`consent row [${first}]`);
    expect(verification).toMatchObject({
      ok: false,
      reason: 'ROW_CHANGED',
      table: 'consent',
      rowKey: `[${first}]`,
    });
  });

  it('finds a suppression deleted', async () => {
    const id = idOf('SELECT id FROM suppression');
    fixture.tamper(`DELETE FROM suppression`);
    const { openError, verification } = await findings();
    expect(openError.code).toBe('STORE_CHAIN_BROKEN');
    expect(verification).toMatchObject({
      ok: false,
      reason: 'ROW_REMOVED',
      table: 'suppression',
      rowKey: `[${id}]`,
    });
  });

  it('finds a suppression moved to another address hash', async () => {
    const id = idOf('SELECT id FROM suppression');
    fixture.tamper(`UPDATE suppression SET address_hash = '${'e'.repeat(64)}'`);
    const { openError, verification } = await findings();
    expect(openError.code).toBe('STORE_CHAIN_BROKEN');
    expect(verification).toMatchObject({
      ok: false,
      reason: 'ROW_CHANGED',
      table: 'suppression',
      rowKey: `[${id}]`,
    });
  });

  it('finds a contact deleted', async () => {
    const id = idOf(`SELECT id FROM contact WHERE email = 'jan@example.nl'`);
    fixture.tamper(`PRAGMA foreign_keys = OFF; DELETE FROM contact WHERE id = ${id}`);
    const { openError, verification } = await findings();
    expect(openError.code).toBe('STORE_CHAIN_BROKEN');
    expect(verification).toMatchObject({
      ok: false,
      reason: 'ROW_REMOVED',
      table: 'contact',
      rowKey: `[${id}]`,
    });
  });

  it("finds a contact's address changed", async () => {
    const id = idOf(`SELECT id FROM contact WHERE email = 'jan@example.nl'`);
    fixture.tamper(`UPDATE contact SET email = 'someone-else@example.nl' WHERE id = ${id}`);
    const { openError, verification } = await findings();
    expect(openError.code).toBe('STORE_CHAIN_BROKEN');
    expect(verification).toMatchObject({
      ok: false,
      reason: 'ROW_CHANGED',
      table: 'contact',
      rowKey: `[${id}]`,
    });
  });

  it('finds a contact added behind the store', async () => {
    fixture.tamper(`INSERT INTO contact (id, email, address_hash, recipient_kind, address_kind, created_at, updated_at)
      VALUES (9999, 'extra@example.nl', '${'f'.repeat(64)}', 'CONSUMER', 'PERSONAL', '2026-01-01', '2026-01-01')`);
    const { verification } = await findings();
    expect(verification).toMatchObject({
      ok: false,
      reason: 'ROW_ADDED',
      table: 'contact',
      rowKey: '[9999]',
    });
  });

  it("finds a delivery's recipient changed", async () => {
    const id = idOf('SELECT min(id) AS id FROM delivery');
    fixture.tamper(`UPDATE delivery SET email = 'other@example.nl' WHERE id = ${id}`);
    const { openError, verification } = await findings();
    expect(openError.code).toBe('STORE_CHAIN_BROKEN');
    expect(verification).toMatchObject({
      ok: false,
      reason: 'ROW_CHANGED',
      table: 'delivery',
      rowKey: `[${id}]`,
    });
  });

  it("finds an import's file hash and attestation blanked", async () => {
    fixture.tamper(`UPDATE import_batch SET file_sha256 = '', attestation = NULL, attestation_id = NULL`);
    const { openError, verification } = await findings();
    expect(openError.code).toBe('STORE_CHAIN_BROKEN');
    expect(verification).toMatchObject({
      ok: false,
      reason: 'ROW_CHANGED',
      table: 'import_batch',
      rowKey: '["batch-1"]',
    });
  });

  it("finds an acknowledgement's signer edited, even with its trigger put back", async () => {
    const trigger = 'acknowledgement_refuse_update';
    const sqlite = new BetterSqlite3(fixture.path);
    const definition = (
      sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(trigger) as { sql: string }
    ).sql;
    sqlite.close();
    fixture.tamper(
      `DROP TRIGGER ${trigger}; UPDATE acknowledgement SET signer_name = 'Iemand Anders'; ${definition};`,
    );
    const { openError, verification } = await findings();
    expect(openError.code).toBe('STORE_CHAIN_BROKEN');
    expect(verification).toMatchObject({
      ok: false,
      reason: 'ROW_CHANGED',
      table: 'acknowledgement',
      rowKey: '["ack-1"]',
    });
  });

  it('finds a covered recipient removed from an acknowledgement', async () => {
    fixture.tamper(`DROP TRIGGER acknowledgement_recipient_refuse_delete;
      DELETE FROM acknowledgement_recipient WHERE rowid = (SELECT min(rowid) FROM acknowledgement_recipient)`);
    const { verification } = await findings();
    expect(verification).toMatchObject({
      ok: false,
      reason: 'ROW_REMOVED',
      table: 'acknowledgement_recipient',
    });
  });

  it('finds list membership edited', async () => {
    fixture.tamper(
      `DELETE FROM list_membership WHERE contact_id = (SELECT min(contact_id) FROM list_membership)`,
    );
    const { verification } = await findings();
    expect(verification).toMatchObject({ ok: false, reason: 'ROW_REMOVED', table: 'list_membership' });
  });

  it('finds the append-only triggers dropped', async () => {
    fixture.tamper(`DROP TRIGGER event_refuse_delete`);
    const { openError, verification } = await findings();
    expect(openError.code).toBe('STORE_CHAIN_BROKEN');
    expect(openError.message).toContain('event_refuse_delete');
    expect(verification).toMatchObject({
      ok: false,
      reason: 'TRIGGER_MISSING',
      expected: 'event_refuse_delete',
    });
  });

  it('finds the row digests of an event rewritten to match an edited row', async () => {
    const id = idOf(`SELECT id FROM contact WHERE email = 'jan@example.nl'`);
    // The attacker edits the row and overwrites the stored digest with the edited row's digest.
    fixture.tamper(`UPDATE contact SET email = 'someone-else@example.nl' WHERE id = ${id};
      DROP TRIGGER event_row_refuse_update;
      UPDATE event_row SET digests = zeroblob(length(digests)) WHERE tbl = 'contact';`);
    const { openError, verification } = await findings();
    expect(openError.code).toBe('STORE_CHAIN_BROKEN');
    expect(verification).toMatchObject({ ok: false, reason: 'ROW_SEAL_ALTERED', table: 'contact' });
  });
});

describe('the signed anchor beside the database', () => {
  it('is written by the store, signed with the injected key, and names the head', () => {
    const anchor = JSON.parse(readFileSync(anchorPathFor(fixture.path), 'utf8')) as ChainAnchor;
    const sqlite = new BetterSqlite3(fixture.path, { readonly: true });
    const head = sqlite.prepare('SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1').get() as {
      seq: number;
      hash: string;
    };
    sqlite.close();
    expect(anchor).toMatchObject({
      seq: head.seq,
      hash: head.hash,
      keyFingerprint: fixture.signer.fingerprint,
    });
    expect(anchor.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('finds the newest events (an unsubscribe and its suppression) deleted', async () => {
    const sqlite = new BetterSqlite3(fixture.path, { readonly: true });
    const seq = (
      sqlite
        .prepare(`SELECT seq FROM event WHERE type = 'suppression.added' ORDER BY seq DESC LIMIT 1`)
        .get() as { seq: number }
    ).seq;
    sqlite.close();
    // Everything the unsubscribe wrote is removed: the row, its digests, its events. The chain that is
    // left verifies on its own; only the anchor knows it was longer.
    fixture.tamper(`PRAGMA foreign_keys = OFF; ${DROP_EVENT_TRIGGERS}
      DELETE FROM suppression; DELETE FROM event_row WHERE event_seq >= ${seq};
      DELETE FROM event_personal WHERE event_seq >= ${seq}; DELETE FROM event WHERE seq >= ${seq};
      UPDATE consent SET status = 'ACTIVE', unsubscribed_at = NULL WHERE unsubscribed_at IS NOT NULL;
      ${CREATE_EVENT_TRIGGERS}`);
    const { openError, verification } = await findings();
    expect(openError.code).toBe('STORE_ANCHOR_INVALID');
    expect(openError.message).toContain('the newest events were deleted');
    // What is left is a consistent, shorter ledger: only the anchor outside the file shows the cut.
    expect(verification.ok).toBe(true);
  });

  it('finds a middle event edited and every event after it re-hashed', async () => {
    fixture.tamper(DROP_EVENT_TRIGGERS);
    const sqlite = new BetterSqlite3(fixture.path);
    const rows = sqlite.prepare('SELECT * FROM event ORDER BY seq').all() as Parameters<
      typeof computeEventHash
    >[0][];
    let previous = GENESIS_HASH;
    const update = sqlite.prepare('UPDATE event SET data = ?, prev_hash = ?, hash = ? WHERE seq = ?');
    for (const row of rows) {
      const data = row.seq === 3 ? row.data.replace('"nieuwsbrief"', '"andere-lijst"') : row.data;
      const rewritten = { ...row, data, prev_hash: previous };
      const hash = computeEventHash(rewritten);
      update.run(data, previous, hash, row.seq);
      previous = hash;
    }
    sqlite.close();
    fixture.tamper(CREATE_EVENT_TRIGGERS);
    const { openError, verification } = await findings();
    expect(openError.code).toBe('STORE_ANCHOR_INVALID');
    expect(openError.message).toContain('the event log was rewritten');
    // The re-hashed chain verifies link by link: the anchor is what finds it.
    expect(verification.ok).toBe(true);
  });

  it('refuses an anchor edited to name another head, or signed with another key', async () => {
    const path = anchorPathFor(fixture.path);
    const anchor = JSON.parse(readFileSync(path, 'utf8')) as ChainAnchor;
    writeFileSync(path, JSON.stringify({ ...anchor, seq: anchor.seq - 1 }));
    await expect(fixture.open()).rejects.toMatchObject({ code: 'STORE_ANCHOR_INVALID' });
    await expect(fixture.open()).rejects.toThrow(/signature that does not verify/);
    writeFileSync(path, JSON.stringify(anchor));
    await expect(openStore({ path: fixture.path, anchorSigner: testSigner() })).rejects.toThrow(
      /another installation's key/,
    );
    const store = await fixture.open();
    await store.close();
  });

  it('checks a head handed to an accountant (--expect SEQ:HASH)', async () => {
    const store = await fixture.open();
    const anchor = store.currentAnchor();
    expect(await verifyChain(store.db, { expect: { seq: anchor.seq, hash: anchor.hash } })).toMatchObject({
      ok: true,
    });
    expect(await verifyChain(store.db, { expect: { seq: anchor.seq, hash: 'f'.repeat(64) } })).toMatchObject({
      ok: false,
      reason: 'EXPECTED_HEAD_MISSING',
      brokenAt: anchor.seq,
    });
    expect(await verifyChain(store.db, { expect: { seq: anchor.seq + 5, hash: anchor.hash } })).toMatchObject(
      {
        ok: false,
        reason: 'EXPECTED_HEAD_MISSING',
        found: `(the chain ends at event ${anchor.seq})`,
      },
    );
    await store.close();
  });
});
