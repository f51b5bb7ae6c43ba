import { basename } from 'node:path';
import type { FileAccess } from '@consent-mailer/api';
import { app, dialog, type BrowserWindow } from 'electron';
import type { DatabaseStartup, HostServices } from '../shared/host-services.js';

/**
 * The host services on Electron: native dialogs attached to the main window. What the user picks in a
 * dialog is granted to the api (`files`): the only way a path outside the data folder becomes usable, so
 * a compromised renderer cannot name files of its own.
 *
 * @example
 * const services = createElectronHostServices(() => mainWindow, startup, files);
 */
export function createElectronHostServices(
  window: () => BrowserWindow | undefined,
  database: DatabaseStartup,
  files?: FileAccess,
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
      if (path !== undefined) files?.grant(path);
      return path === undefined ? undefined : { path, name: basename(path) };
    },
    async saveFile({ title, defaultName, filters }) {
      const owner = window();
      const options = { title, defaultPath: defaultName, filters };
      const result = owner
        ? await dialog.showSaveDialog(owner, options)
        : await dialog.showSaveDialog(options);
      if (!result.canceled) files?.grant(result.filePath);
      return result.canceled ? undefined : result.filePath;
    },
  };
}
