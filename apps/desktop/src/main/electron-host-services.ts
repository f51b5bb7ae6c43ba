import { basename } from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import type { DatabaseStartup, HostServices } from '../shared/host-services.js';

/**
 * The host services on Electron: native dialogs attached to the main window.
 *
 * @example
 * const services = createElectronHostServices(() => mainWindow, startup);
 */
export function createElectronHostServices(
  window: () => BrowserWindow | undefined,
  database: DatabaseStartup,
): HostServices {
  return {
    info: () => ({ kind: 'electron', database, nativeDialogs: true, locale: app.getLocale() }),
    async openFile({ title, filters }) {
      const owner = window();
      const options = { title, filters, properties: ['openFile' as const] };
      const result = owner
        ? await dialog.showOpenDialog(owner, options)
        : await dialog.showOpenDialog(options);
      const path = result.canceled ? undefined : result.filePaths[0];
      return path === undefined ? undefined : { path, name: basename(path) };
    },
    async saveFile({ title, defaultName, filters }) {
      const owner = window();
      const options = { title, defaultPath: defaultName, filters };
      const result = owner
        ? await dialog.showSaveDialog(owner, options)
        : await dialog.showSaveDialog(options);
      return result.canceled ? undefined : result.filePath;
    },
  };
}
