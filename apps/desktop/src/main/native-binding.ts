import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where `pnpm rebuild:electron` puts the Electron build of better-sqlite3 (see README). */
export const ELECTRON_ADDON_RELATIVE = join('native', 'electron', 'better_sqlite3.node');

/**
 * The better-sqlite3 addon built for Electron: in the packaged app under resources/native, in development
 * under apps/desktop/native/electron. Node (tests, CLI, browser host) keeps node_modules' own build, so
 * neither has to be rebuilt when switching between them.
 *
 * @example
 * const nativeBinding = electronNativeBinding({ packaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() });
 */
export function electronNativeBinding(options: {
  packaged: boolean;
  resourcesPath: string;
  appPath: string;
}): string | undefined {
  const candidate = options.packaged
    ? join(options.resourcesPath, 'native', 'better_sqlite3.node')
    : join(options.appPath, ELECTRON_ADDON_RELATIVE);
  return existsSync(candidate) ? candidate : undefined;
}
