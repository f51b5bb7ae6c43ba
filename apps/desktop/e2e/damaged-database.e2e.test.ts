import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendEvent, openStore } from '@consent-mailer/store';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/shared/app-database.js';
import { startE2eApp, type E2eApp } from './support/e2e-app.js';

/**
 * A database whose event log was edited outside the app must not open as if nothing happened: the browser
 * host shows the designed startup error screen (what happened, which file, what to do), in the user's
 * language, not a raw protocol error.
 */
describe('a database that fails its checks', () => {
  let app: E2eApp | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the startup error screen, not a tRPC error, when the event log was edited', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'consent-mailer-e2e-damaged-'));
    const path = join(dataDir, DATABASE_FILE);
    const store = await openStore({ path });
    await appendEvent(store.db, {
      type: 'list.created',
      entity: 'list',
      entityId: 'nieuwsbrief',
      data: { name: 'Nieuwsbrief' },
      at: '2026-12-01T10:00:00Z',
    });
    await store.close();
    // What someone with the file could do: drop the append-only trigger and rewrite history.
    const raw = new Database(path);
    const triggers = raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'event'")
      .all() as { name: string }[];
    for (const { name } of triggers) raw.exec(`DROP TRIGGER "${name}"`);
    raw.prepare('UPDATE event SET data = \'{"edited":true}\' WHERE seq = 1').run();
    raw.close();

    app = await startE2eApp({ language: 'nl', dataDir });
    const { page } = app;
    await page.getByRole('heading', { level: 1, name: 'De database kon niet worden geopend' }).waitFor();
    expect(await page.getByRole('alert').textContent()).not.toMatch(/Unsupported|procedure|trpc/i);
    expect(await page.getByText(path).count()).toBeGreaterThan(0);
    await app.screenshot('startup-damaged-nl');
  });
});
