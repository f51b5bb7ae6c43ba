/**
 * `pnpm rebuild:electron`: builds better-sqlite3's native addon for Electron into native/electron/, leaving
 * node_modules' own (Node) build alone, so tests and the CLI keep working and the app gets its own addon
 * through `nativeBinding`. Needs internet (Electron's headers come from electronjs.org): it cannot run on
 * the project's build machines; run it once on a developer machine and before `pnpm package`.
 */
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { rebuild } from '@electron/rebuild';

const desktopDir = join(import.meta.dirname, '..');
const require = createRequire(join(desktopDir, 'package.json'));
const electronVersion = (
  JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }
).version;
const sourceDir = dirname(require.resolve('better-sqlite3/package.json'));

// A throw-away app folder holding a real copy of better-sqlite3 (not pnpm's symlink): rebuilding there
// cannot touch the Node build in the pnpm store.
const workDir = join(desktopDir, 'native', '.work');
rmSync(workDir, { recursive: true, force: true });
mkdirSync(join(workDir, 'node_modules'), { recursive: true });
cpSync(sourceDir, join(workDir, 'node_modules', 'better-sqlite3'), { recursive: true, dereference: true });
writeFileSync(
  join(workDir, 'package.json'),
  JSON.stringify({ name: 'electron-native', private: true, dependencies: { 'better-sqlite3': '*' } }),
);

await rebuild({
  buildPath: workDir,
  electronVersion,
  onlyModules: ['better-sqlite3'],
  force: true,
  buildFromSource: true,
});

const target = join(desktopDir, 'native', 'electron', 'better_sqlite3.node');
mkdirSync(dirname(target), { recursive: true });
copyFileSync(
  join(workDir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'),
  target,
);
rmSync(workDir, { recursive: true, force: true });
process.stdout.write(`Built better-sqlite3 for Electron ${electronVersion}: ${target}\n`);
