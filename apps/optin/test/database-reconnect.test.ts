import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrateOptinDatabase, openOptinDatabase } from '../src/database.js';
import { startPostgres, type PostgresServer } from './support.js';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => {
  server.stop();
});

describe('the service on PostgreSQL', () => {
  it('keeps running when PostgreSQL closes its idle connections, and the next query opens a new one', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { db, kind } = openOptinDatabase({ kind: 'postgres', connectionString: server.connectionString });
    try {
      await migrateOptinDatabase(db, kind);
      // A few connections sit idle in the pool.
      await Promise.all(Array.from({ length: 3 }, () => sql`SELECT pg_sleep(0.05)`.execute(db)));
      // What a restart or an administrator does to them: terminated from outside.
      const admin = new pg.Client({ connectionString: server.connectionString });
      await admin.connect();
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      await admin.end();
      expect(rowCount).toBeGreaterThan(0);
      // The pool reported each closed connection (without its settings) instead of throwing it unhandled.
      // Every closed connection is reported before the next query (else it could be handed a dead one).
      await expect.poll(() => logged.mock.calls.length).toBe(rowCount);
      expect(String(logged.mock.calls[0]?.[0])).toMatch(/^PostgreSQL closed an idle connection: /);
      expect(String(logged.mock.calls[0]?.[0])).not.toContain(server.connectionString);
      const rows = await db.selectFrom('feed_event').select('seq').execute();
      expect(rows).toEqual([]);
    } finally {
      logged.mockRestore();
      await db.destroy();
    }
  });
});
