import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { appendEvent, openStore, verifyChain, type Store } from '../src/index.js';
import { AT, openTempStore } from '../src/testing/index.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function storeWithEvents(count: number): Promise<{ store: Store; path: string }> {
  const temp = await openTempStore();
  cleanups.push(temp.cleanup);
  for (let index = 1; index <= count; index += 1) {
    await temp.store.db.transaction().execute(async (trx) => {
      await appendEvent(trx, {
        type: 'mailing.queued',
        entity: 'mailing',
        entityId: `m${index}`,
        at: AT,
        data: { recipients: index * 10 },
        personal: { email: `person${index}@example.nl` },
        subjectHash: 'f'.repeat(64),
      });
    });
  }
  return { store: temp.store, path: temp.path };
}

/** Changes the log the way someone with a plain SQL client would: triggers dropped, row edited. */
function tamper(path: string, statements: string[]): void {
  const sqlite = new BetterSqlite3(path);
  sqlite.exec(
    'DROP TRIGGER event_refuse_update; DROP TRIGGER event_refuse_delete; DROP TRIGGER event_personal_refuse_update',
  );
  for (const statement of statements) sqlite.exec(statement);
  sqlite.close();
}

describe('the event log', () => {
  it('chains each event to the previous one and verifies', async () => {
    const { store } = await storeWithEvents(5);
    const rows = await store.db.selectFrom('event').selectAll().orderBy('seq').execute();
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let index = 1; index < rows.length; index += 1)
      expect(rows[index]?.prev_hash).toBe(rows[index - 1]?.hash);
    expect(rows.every((row) => !row.data.includes('@'))).toBe(true);
    const result = await verifyChain(store.db);
    expect(result).toMatchObject({ ok: true, events: 5, headHash: rows[4]?.hash });
  });

  it('refuses UPDATE and DELETE of events through its triggers', async () => {
    const { store } = await storeWithEvents(2);
    expect(() => store.sqlite.exec("UPDATE event SET data = '{}' WHERE seq = 1")).toThrow(/append-only/);
    expect(() => store.sqlite.exec('DELETE FROM event WHERE seq = 2')).toThrow(/append-only/);
    expect(() => store.sqlite.exec("UPDATE event_personal SET payload = '{}'")).toThrow(/never changed/);
  });

  it('names the changed event when a row was edited with the triggers dropped', async () => {
    const { store, path } = await storeWithEvents(5);
    await store.close();
    tamper(path, [`UPDATE event SET data = '{"recipients":9999}' WHERE seq = 3`]);
    const reopened = await openStore({ path, openDamaged: true });
    cleanups.push(() => reopened.close());
    const result = await verifyChain(reopened.db);
    expect(result).toMatchObject({ ok: false, brokenAt: 3, reason: 'HASH_MISMATCH', events: 2 });
  });

  it('finds a deleted event and a rewritten, re-hashed event', async () => {
    const { store, path } = await storeWithEvents(6);
    await store.close();
    tamper(path, ['DELETE FROM event_personal WHERE event_seq = 4', 'DELETE FROM event WHERE seq = 4']);
    const gap = await openStore({ path, openDamaged: true });
    expect(await verifyChain(gap.db)).toMatchObject({ ok: false, brokenAt: 4, reason: 'SEQUENCE_GAP' });
    await gap.close();

    // A forger who recomputes the edited row's own hash still breaks the next link.
    const { store: second, path: secondPath } = await storeWithEvents(4);
    const row = await second.db
      .selectFrom('event')
      .selectAll()
      .where('seq', '=', 2)
      .executeTakeFirstOrThrow();
    const { computeEventHash } = await import('../src/event-log.js');
    const forged = { ...row, data: '{"recipients":1}' };
    const forgedHash = computeEventHash(forged);
    await second.close();
    tamper(secondPath, [`UPDATE event SET data = '{"recipients":1}', hash = '${forgedHash}' WHERE seq = 2`]);
    const reopened = await openStore({ path: secondPath, openDamaged: true });
    cleanups.push(() => reopened.close());
    expect(await verifyChain(reopened.db)).toMatchObject({
      ok: false,
      brokenAt: 3,
      reason: 'PREVIOUS_MISMATCH',
    });
  });

  it('detects a changed personal payload but accepts an erased one', async () => {
    const { store, path } = await storeWithEvents(3);
    await store.close();
    tamper(path, [
      `DELETE FROM event_personal WHERE event_seq = 1`,
      `UPDATE event_personal SET payload = '{"email":"other@example.nl"}' WHERE event_seq = 2`,
    ]);
    const reopened = await openStore({ path, openDamaged: true });
    cleanups.push(() => reopened.close());
    expect(await verifyChain(reopened.db)).toMatchObject({
      ok: false,
      brokenAt: 2,
      reason: 'PERSONAL_MISMATCH',
    });
  });

  it('refuses to open a tampered database with a clear message unless asked to open it anyway', async () => {
    const { store, path } = await storeWithEvents(3);
    await store.close();
    tamper(path, [`UPDATE event SET type = 'mailing.cancelled' WHERE seq = 2`]);
    await expect(openStore({ path })).rejects.toMatchObject({
      code: 'STORE_CHAIN_BROKEN',
      text: {
        en: expect.stringContaining('event 2') as unknown,
        nl: expect.stringContaining('gebeurtenis 2') as unknown,
      },
    });
    const opened = await openStore({ path, openDamaged: true });
    expect(opened.health?.chain).toMatchObject({ ok: false, brokenAt: 2 });
    await opened.close();
  });

  it('refuses a file that is not a database', async () => {
    const temp = await openTempStore();
    cleanups.push(temp.cleanup);
    const { writeFileSync } = await import('node:fs');
    const bogus = `${temp.dir}/not-a-db.sqlite`;
    writeFileSync(bogus, 'this is a spreadsheet, not a database'.repeat(200));
    await expect(openStore({ path: bogus })).rejects.toMatchObject({ code: 'STORE_CANNOT_OPEN' });
  });
});
