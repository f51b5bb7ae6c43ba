import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../src/config.js';
import { migrateOptinDatabase, openOptinDatabase } from '../src/database.js';
import { appendFeedEvent } from '../src/feed.js';
import { startPostgres, type PostgresServer } from './support.js';

const key = generateKeyPairSync('ed25519').privateKey;
const AT = '2026-12-01T10:00:00.000Z';
const dir = mkdtempSync(join(tmpdir(), 'optin-feed-numbers-'));
let pgServer: PostgresServer | undefined;
afterAll(() => {
  pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const databases: [string, () => Promise<DatabaseConfig>][] = [
  ['SQLite', () => Promise.resolve({ kind: 'sqlite', file: join(dir, 'feed.sqlite') })],
  [
    'PostgreSQL',
    async () => {
      pgServer = await startPostgres();
      return { kind: 'postgres', connectionString: pgServer.connectionString };
    },
  ],
];

// The desktop refuses a feed with a gap (a withheld unsubscribe looks exactly like one), so a change that
// was rolled back must not use up a number, and concurrent writers must commit in number order.
describe.each(databases)('feed numbers on %s', (_name, config) => {
  it('has no gap after a rolled-back change and stays contiguous under concurrent writers', async () => {
    const database = await config();
    const { db, kind } = openOptinDatabase(database);
    try {
      await migrateOptinDatabase(db, kind);
      await expect(
        db.transaction().execute(async (trx) => {
          await appendFeedEvent(trx, key, 'signed_up', { n: 0 }, AT);
          throw new Error('the sign-up failed after its event was written');
        }),
      ).rejects.toThrow('the sign-up failed');
      const first = await db
        .transaction()
        .execute((trx) => appendFeedEvent(trx, key, 'signed_up', { n: 1 }, AT));
      expect(first).toBe(1);
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          db.transaction().execute((trx) => appendFeedEvent(trx, key, 'unsubscribed', { n: i + 2 }, AT)),
        ),
      );
      const rows = await db.selectFrom('feed_event').select('seq').orderBy('seq').execute();
      expect(rows.map((row) => Number(row.seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    } finally {
      await db.destroy();
    }
  });
});
