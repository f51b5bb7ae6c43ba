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
  it('opens a file whose index no longer matches its table, and audit verify reports it', async () => {
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

    // Every command still starts fast (quick check) ...
    expect((await runCli(['status', '--db', db, '--json'])).code).toBe(0);
    // ... and the audit names the damage.
    const audit = await runCli(['audit', 'verify', '--db', db, '--json']);
    expect(audit.code).toBe(1);
    expect(JSON.parse(audit.stdout).error.code).toBe('AUDIT_FILE_DAMAGED');
  });
});
