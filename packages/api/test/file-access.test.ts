import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApiFixture } from './store-fixture.js';

let fixture: Awaited<ReturnType<typeof openApiFixture>>;
let elsewhere: string;

beforeEach(async () => {
  fixture = await openApiFixture('cm-api-files-');
  elsewhere = mkdtempSync(join(tmpdir(), 'cm-api-elsewhere-'));
});
afterEach(async () => {
  await fixture.cleanup();
  rmSync(elsewhere, { recursive: true, force: true });
});

const CSV = 'email,voornaam\njan@example.nl,Jan\n';
const refused = { cause: { code: 'API_PATH_NOT_ALLOWED' } };

describe('file paths the api accepts', () => {
  it('refuses to preview /etc/passwd', async () => {
    await expect(fixture.caller.imports.preview({ file: { path: '/etc/passwd' } })).rejects.toMatchObject(
      refused,
    );
  });

  it('refuses a file outside the data folder until a file dialog granted it', async () => {
    const outside = join(elsewhere, 'klanten.csv');
    writeFileSync(outside, CSV);
    await expect(fixture.caller.imports.preview({ file: { path: outside } })).rejects.toMatchObject(refused);
    await expect(
      fixture.caller.imports.run({ file: { path: outside }, senderEntityId: 'x', method: 'PAPER' }),
    ).rejects.toMatchObject(refused);
    // What the desktop main process does when the user picks the file in the native open dialog.
    fixture.ctx.files.grant(outside);
    const preview = await fixture.caller.imports.preview({ file: { path: outside } });
    expect(preview.rows.length).toBeGreaterThan(0);
  });

  it('reads files inside the data folder (uploads land there), but not through a link that leads out', async () => {
    const inside = join(fixture.dir, 'uploads', 'klanten.csv');
    writeFileSync(join(fixture.dir, 'klanten.csv'), CSV);
    expect(
      (await fixture.caller.imports.preview({ file: { path: join(fixture.dir, 'klanten.csv') } })).rows
        .length,
    ).toBe(1);
    symlinkSync('/etc/passwd', join(fixture.dir, 'innocent.csv'));
    await expect(
      fixture.caller.imports.preview({ file: { path: join(fixture.dir, 'innocent.csv') } }),
    ).rejects.toMatchObject(refused);
    expect(existsSync(inside)).toBe(false);
  });

  it('refuses a backup to an arbitrary folder, and one that climbs out of the data folder', async () => {
    await expect(
      fixture.caller.system.backup({ path: join(elsewhere, 'copy.sqlite') }),
    ).rejects.toMatchObject(refused);
    await expect(fixture.caller.system.backup({ path: '../escape.sqlite' })).rejects.toMatchObject(refused);
    expect(readdirSync(elsewhere)).toEqual([]);
    // The default and relative targets stay inside the data folder and work.
    const backup = await fixture.caller.system.backup({ path: 'backups/mine.sqlite' });
    expect(backup.path).toBe(join(fixture.dir, 'backups', 'mine.sqlite'));
  });

  it('refuses a restore from outside the data folder and an export into an arbitrary folder', async () => {
    const backup = await fixture.caller.system.backup({});
    const copy = join(elsewhere, 'backup.sqlite');
    writeFileSync(copy, '');
    await expect(fixture.caller.system.restore({ path: copy, confirm: true })).rejects.toMatchObject(refused);
    await expect(
      fixture.caller.acknowledgements.exportYear({ year: 2026, dir: elsewhere }),
    ).rejects.toMatchObject(refused);
    await expect(fixture.caller.acknowledgements.export({ id: 'x', dir: elsewhere })).rejects.toMatchObject(
      refused,
    );
    expect(readdirSync(elsewhere)).toEqual(['backup.sqlite']);
    expect(existsSync(backup.path)).toBe(true);
  });
});
