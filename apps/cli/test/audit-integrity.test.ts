import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cm-cli-integrity-'));
  db = join(dir, 'consent-mailer.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the integrity check: quick at open, full on audit verify', () => {
  it('refuses a file whose index no longer matches its sealed table, at open and in audit verify', async () => {
    expect((await runCli(['init', '--db', db])).code).toBe(0);
    expect((await runCli(['list', 'create', 'Nieuwsbrief', '--db', db])).code).toBe(0);
    // Damage only the full check sees: the schema says the index covers another column than it holds.
    const sqlite = new BetterSqlite3(db);
    sqlite.unsafeMode(true);
    sqlite.pragma('writable_schema = ON');
    sqlite
      .prepare("UPDATE sqlite_schema SET sql = ? WHERE name = 'list_by_name'")
      .run('CREATE UNIQUE INDEX list_by_name ON list (id)');
    sqlite.close();
    const check = new BetterSqlite3(db, { readonly: true });
    expect(check.pragma('quick_check', { simple: true })).toBe('ok');
    expect(check.pragma('integrity_check', { simple: true })).not.toBe('ok');
    check.close();

    // The quick check at open misses it, but the row check reads the list through the lying index and no
    // longer finds the rows the chain committed: commands refuse the file, naming the table, and the audit names the damage.
    const status = await runCli(['status', '--db', db, '--json']);
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout).error.code).toBe('STORE_CHAIN_BROKEN');
    expect(JSON.parse(status.stdout).error.message).toContain('list row');
    const audit = await runCli(['audit', 'verify', '--db', db, '--json']);
    expect(audit.code).toBe(1);
    expect(JSON.parse(audit.stdout).error.code).toBe('AUDIT_FILE_DAMAGED');
  });
});
