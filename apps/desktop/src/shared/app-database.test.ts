import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, openAppDatabase } from './app-database.js';

describe('opening the app database', () => {
  it('creates the database in the data folder and reports it healthy', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'app-db-')), 'Consent Mailer');
    const opened = await openAppDatabase({ dataDir });
    expect(opened.startup).toMatchObject({ ok: true, path: join(dataDir, DATABASE_FILE) });
    if (opened.startup.ok) expect(opened.startup.schemaVersion).toMatch(/^\d{4}_/);
    await opened.store?.close();
  });

  it('reports a file that is not a database as damaged, in both languages, without throwing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'app-db-'));
    writeFileSync(join(dataDir, DATABASE_FILE), 'this is a spreadsheet, not a database '.repeat(200));
    const opened = await openAppDatabase({ dataDir });
    expect(opened.store).toBeUndefined();
    expect(opened.startup).toMatchObject({ ok: false, failure: { code: 'STORE_CANNOT_OPEN' } });
    if (!opened.startup.ok) {
      expect(opened.startup.failure.text.nl).toContain('back-up');
      expect(opened.startup.failure.text.en).toContain(join(dataDir, DATABASE_FILE));
      expect(opened.startup.failure.detail).toContain('not a database');
    }
  });

  it('reports a data folder it cannot create', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'app-db-'));
    writeFileSync(join(parent, 'file'), 'x');
    const opened = await openAppDatabase({ dataDir: join(parent, 'file', 'sub') });
    expect(opened.startup).toMatchObject({ ok: false, failure: { code: 'DATABASE_OPEN_FAILED' } });
  });
});
