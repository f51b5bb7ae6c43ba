import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addSuppression,
  anchorPathFor,
  appendEventSync,
  backupStore,
  checkAnchor,
  makeAnchor,
  MIGRATIONS,
  openStore,
  readAnchorFile,
  restoreStore,
  type ChainAnchor,
} from '../src/index.js';
import { ledgerFixture, testSigner, type LedgerFixture } from './ledger-fixture.js';
import { AT, tempDir } from '../src/testing/index.js';

// Issue 12, anchor strictness: a chain that has events is only accepted with an anchor beside it that is
// signed by the installation's pinned key and whose head the chain still contains. Each attack below is
// refused at open with a message naming what is wrong, and found by the anchor check `audit verify` runs.

let fixture: LedgerFixture;
beforeEach(async () => {
  fixture = await ledgerFixture();
});
afterEach(() => {
  fixture.cleanup();
});

/** The error code and English text of opening the fixture (with the installation's key unless given). */
async function openError(options: Parameters<LedgerFixture['open']>[0] = {}): Promise<{
  code: string;
  en: string;
  nl: string;
}> {
  try {
    const store = await fixture.open(options);
    await store.close();
    return { code: '(opened)', en: '', nl: '' };
  } catch (error) {
    const e = error as { code?: string; text?: { en: string; nl: string } };
    return { code: e.code ?? String(error), en: e.text?.en ?? '', nl: e.text?.nl ?? '' };
  }
}

/** What the anchor check of `audit verify` finds (the file opened damaged, with the installation key). */
async function auditAnchor(): Promise<ReturnType<typeof checkAnchor>> {
  const store = await fixture.open({ openDamaged: true });
  try {
    return checkAnchor(store.sqlite, readAnchorFile(anchorPathFor(fixture.path)), fixture.signer);
  } finally {
    await store.close();
  }
}

function head(path: string): { seq: number; hash: string } {
  const sqlite = new BetterSqlite3(path, { readonly: true });
  try {
    return sqlite.prepare('SELECT seq, hash FROM event ORDER BY seq DESC LIMIT 1').get() as {
      seq: number;
      hash: string;
    };
  } finally {
    sqlite.close();
  }
}

describe('a chain with events and no acceptable anchor is refused', () => {
  it('refuses a deleted anchor, with and without the installation key, and opens again once it is back', async () => {
    const path = anchorPathFor(fixture.path);
    const saved = readFileSync(path, 'utf8');
    rmSync(path);
    const withKey = await openError();
    expect(withKey.code).toBe('STORE_ANCHOR_INVALID');
    expect(withKey.en).toContain('is missing, while the event log has events');
    expect(withKey.nl).toContain('ontbreekt');
    // A command run without the key (the CLI without the key variable) refuses it too.
    expect((await openError({ anchorSigner: undefined })).code).toBe('STORE_ANCHOR_INVALID');
    expect(await auditAnchor()).toMatchObject({ status: 'INVALID', problem: 'MISSING' });
    // Opened damaged, the store does not make a new anchor that would hide the deletion.
    expect(existsSync(path)).toBe(false);
    writeFileSync(path, saved);
    expect((await openError()).code).toBe('(opened)');
  });

  it('refuses an unsigned anchor put in place of the signed one', async () => {
    const path = anchorPathFor(fixture.path);
    writeAnchorText(path, makeAnchor(head(fixture.path), undefined, AT));
    const error = await openError();
    expect(error.code).toBe('STORE_ANCHOR_INVALID');
    expect(error.en).toContain('is not signed, while the event log pins the installation key');
    expect(error.en).toContain('audit anchor --adopt');
    expect(await auditAnchor()).toMatchObject({ status: 'INVALID', problem: 'UNSIGNED' });
  });

  it('refuses an anchor of the true head forged with another key', async () => {
    const path = anchorPathFor(fixture.path);
    writeAnchorText(path, makeAnchor(head(fixture.path), testSigner(), AT));
    const error = await openError();
    expect(error.code).toBe('STORE_ANCHOR_INVALID');
    expect(error.en).toContain("signed with another installation's key");
    expect(await auditAnchor()).toMatchObject({ status: 'INVALID', problem: 'FOREIGN_KEY' });
  });

  it('refuses a forged anchor that claims the installation key', async () => {
    const path = anchorPathFor(fixture.path);
    const forged = makeAnchor(head(fixture.path), testSigner(), AT);
    writeAnchorText(path, { ...forged, keyFingerprint: fixture.signer.fingerprint });
    expect((await openError()).en).toContain('signature that does not verify');
    expect(await auditAnchor()).toMatchObject({ status: 'INVALID', problem: 'BAD_SIGNATURE' });
  });

  it('refuses a chain cut behind the anchor, even when only the last event is gone', async () => {
    const { seq } = head(fixture.path);
    fixture.tamper(`DROP TRIGGER event_refuse_delete; DROP TRIGGER event_row_refuse_delete;
      DELETE FROM event_row WHERE event_seq = ${seq}; DELETE FROM event_personal WHERE event_seq = ${seq};
      DELETE FROM event WHERE seq = ${seq};
      CREATE TRIGGER event_refuse_delete BEFORE DELETE ON event BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
      CREATE TRIGGER event_row_refuse_delete BEFORE DELETE ON event_row BEGIN SELECT RAISE(ABORT, 'append-only'); END;`);
    const error = await openError({ anchorSigner: undefined });
    expect(error.code).not.toBe('(opened)');
    const check = await auditAnchor();
    expect(check).toMatchObject({ status: 'INVALID', problem: 'TAIL_CUT' });
  });
});

describe('the installation key and the anchor', () => {
  it('signs from the moment a key made while the store is open is adopted, and then holds the file to it', async () => {
    // The installation used the database before it had a key: its anchors are unsigned.
    const unsignedStore = await fixture.open({ anchorSigner: undefined });
    const anchorPath = anchorPathFor(fixture.path);
    writeAnchorText(anchorPath, makeAnchor(head(fixture.path), undefined, AT));
    await addSuppression(unsignedStore.db, {
      email: 'onbekend4@example.nl',
      reason: 'UNSUBSCRIBED',
      source: 'UNSUBSCRIBE_LINK',
      at: AT,
    });
    // The api makes the key (the first acknowledgement) and hands it to the open store.
    const key = testSigner();
    const adopted = unsignedStore.adoptAnchorSigner(key);
    expect(adopted).toMatchObject({ keyFingerprint: key.fingerprint, seq: head(fixture.path).seq });
    await unsignedStore.close();
    const anchor = readAnchorFile(anchorPath);
    expect(anchor?.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const store = await openStore({ path: fixture.path, anchorSigner: key });
    expect(store.health?.anchor).toMatchObject({ status: 'OK', signed: true });
    await store.close();
    // A keyless command afterwards does not replace the signed anchor with an unsigned one.
    const keyless = await openStore({ path: fixture.path });
    await addSuppression(keyless.db, {
      email: 'onbekend5@example.nl',
      reason: 'UNSUBSCRIBED',
      source: 'UNSUBSCRIBE_LINK',
      at: AT,
    });
    await keyless.close();
    expect(readAnchorFile(anchorPath)?.keyFingerprint).toBe(key.fingerprint);
    const again = await openStore({ path: fixture.path, anchorSigner: key });
    expect(again.health?.anchor).toMatchObject({ status: 'OK', signed: true });
    await again.close();
  });

  it('holds a keyless command to the key the chain pins', async () => {
    const anchorPath = anchorPathFor(fixture.path);
    writeAnchorText(anchorPath, makeAnchor(head(fixture.path), undefined, AT));
    expect((await openError({ anchorSigner: undefined })).en).toContain('is not signed');
    writeAnchorText(anchorPath, makeAnchor(head(fixture.path), testSigner(), AT));
    expect((await openError({ anchorSigner: undefined })).en).toContain("another installation's key");
  });

  it('takes a file used only without a key to the key at its first open with one, and pins it', async () => {
    const { dir, cleanup } = tempDir('anchor-keyless-');
    try {
      const path = join(dir, 'db.sqlite');
      const keyless = await openStore({ path });
      await addSuppression(keyless.db, {
        email: 'weg@example.nl',
        reason: 'UNSUBSCRIBED',
        source: 'UNSUBSCRIBE_LINK',
        at: AT,
      });
      await keyless.close();
      expect(readAnchorFile(anchorPathFor(path))?.signature).toBeNull();
      const key = testSigner();
      const store = await openStore({ path, anchorSigner: key });
      const pin = store.sqlite
        .prepare(`SELECT data FROM event WHERE type = 'ledger.anchor_key'`)
        .pluck()
        .get() as string;
      expect(JSON.parse(pin)).toEqual({ keyFingerprint: key.fingerprint });
      await store.close();
      expect(readAnchorFile(anchorPathFor(path))).toMatchObject({ keyFingerprint: key.fingerprint });
      // From now on an unsigned anchor is refused, with the key and without it.
      writeAnchorText(anchorPathFor(path), makeAnchor(head(path), undefined, AT));
      await expect(openStore({ path, anchorSigner: key })).rejects.toThrow(/is not signed/);
      await expect(openStore({ path })).rejects.toThrow(/is not signed/);
    } finally {
      cleanup();
    }
  });

  it('refuses to switch an open store to another key', async () => {
    const store = await fixture.open();
    try {
      expect(() => store.adoptAnchorSigner(testSigner())).toThrow(/cannot switch/);
    } finally {
      await store.close();
    }
  });
});

describe('backups carry their anchor', () => {
  it('refuses to restore a backup copied without its anchor, and restores it with the anchor', async () => {
    const store = await fixture.open();
    try {
      const backup = join(fixture.dir, 'backup.sqlite');
      await backupStore(store, backup);
      const anchor = readAnchorFile(anchorPathFor(backup));
      expect(anchor).toMatchObject({ keyFingerprint: fixture.signer.fingerprint, seq: head(backup).seq });
      const saved = readFileSync(anchorPathFor(backup), 'utf8');
      rmSync(anchorPathFor(backup));
      await expect(restoreStore(store, backup, { at: AT })).rejects.toMatchObject({
        code: 'STORE_BACKUP_INVALID',
        text: { en: expect.stringContaining('is missing') as unknown },
      });
      writeAnchorText(anchorPathFor(backup), makeAnchor(head(backup), testSigner(), AT));
      await expect(restoreStore(store, backup, { at: AT })).rejects.toThrow(/another installation's key/);
      writeFileSync(anchorPathFor(backup), saved);
      const restored = await restoreStore(store, backup, { at: AT });
      expect(restored.events).toBe(head(backup).seq);
    } finally {
      await store.close();
    }
  });
});

describe('the first open of a database from before anchors', () => {
  it('takes its chain as it is, anchors it, and from then on requires the anchor', async () => {
    const { dir, cleanup } = tempDir('anchor-legacy-');
    try {
      const path = join(dir, 'old.sqlite');
      // The schema as released before the row seal and anchors (up to 0150_create_event), with events.
      const names = Object.keys(MIGRATIONS)
        .sort()
        .filter((name) => name <= '0150_create_event');
      const sqlite = new BetterSqlite3(path);
      const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
      const result = await new Migrator({
        db,
        provider: {
          getMigrations: () =>
            Promise.resolve(
              Object.fromEntries(names.map((name) => [name, MIGRATIONS[name]]).filter(([, m]) => m)),
            ),
        },
      }).migrateToLatest();
      expect(result.error).toBeUndefined();
      appendEventSync(sqlite, { type: 'list.created', entity: 'list', entityId: 'nieuwsbrief', at: AT });
      appendEventSync(sqlite, { type: 'list.updated', entity: 'list', entityId: 'nieuwsbrief', at: AT });
      await db.destroy();
      expect(existsSync(anchorPathFor(path))).toBe(false);

      const signer = testSigner();
      const store = await openStore({ path, anchorSigner: signer });
      expect(store.health?.chain?.ok).toBe(true);
      expect(store.health?.anchor).toEqual({ status: 'NONE' });
      await store.close();
      expect(readAnchorFile(anchorPathFor(path))).toMatchObject({ keyFingerprint: signer.fingerprint });
      // Migrated and anchored, it is no longer "from before anchors": losing the anchor is refused.
      rmSync(anchorPathFor(path));
      await expect(openStore({ path, anchorSigner: signer })).rejects.toThrow(/is missing/);
    } finally {
      cleanup();
    }
  });
});

function writeAnchorText(path: string, anchor: ChainAnchor): void {
  writeFileSync(path, `${JSON.stringify(anchor, null, 2)}\n`);
}
