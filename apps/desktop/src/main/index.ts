/**
 * The Electron main process: one instance, one window, the database in the user data folder, and the api
 * router served over ONE IPC channel (trpc-electron). Nothing here is loaded by vitest: the Electron binary
 * cannot run on the build machines; the parts worth testing live in ../shared and are tested there.
 */
import { join } from 'node:path';
import { createApiContext, createEncryptedFileSecretStore, createFileAccess } from '@consent-mailer/api';
import { startDesktopIntake } from '../shared/intake-runner.js';
import { startDesktopOptinPull } from '../shared/optin-runner.js';
import { app, safeStorage, type BrowserWindow } from 'electron';
import { createIPCHandler } from 'trpc-electron/main';
import { openAppDatabase } from '../shared/app-database.js';
import { createDesktopRouter, createStartupFailureRouter } from '../shared/host-router.js';
import { APP_ENTRY_URL, handleAppProtocol, registerAppScheme } from './app-protocol.js';
import { createElectronHostServices } from './electron-host-services.js';
import { createMainWindow, windowStateFile } from './main-window.js';
import { electronNativeBinding } from './native-binding.js';
import { hardenSessions } from './security.js';

const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;

// A second start focuses the running window instead of opening the same database twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  void app.whenReady().then(start);
}

let mainWindow: BrowserWindow | undefined;

async function start(): Promise<void> {
  hardenSessions(devServerUrl);
  handleAppProtocol(join(import.meta.dirname, '../renderer'));

  const userData = app.getPath('userData');
  const nativeBinding = electronNativeBinding({
    packaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
  });
  const secrets = createEncryptedFileSecretStore(join(userData, 'secrets.json'), {
    isAvailable: () => safeStorage.isEncryptionAvailable(),
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (encrypted) => safeStorage.decryptString(encrypted),
  });
  const database = await openAppDatabase({
    dataDir: userData,
    secrets,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  // Paths the user picks in native dialogs; the api refuses any other path outside the data folder.
  const files = createFileAccess();
  const services = createElectronHostServices(() => mainWindow, database.startup, files);

  mainWindow = createMainWindow({
    preload: join(import.meta.dirname, '../preload/index.cjs'),
    stateFile: windowStateFile(userData),
  });

  if (database.store) {
    const store = database.store;
    const context = createApiContext({
      store,
      dataDir: userData,
      files,
      secrets,
    });
    createIPCHandler({
      router: createDesktopRouter(services),
      windows: [mainWindow],
      createContext: () => Promise.resolve(context),
    });
    // The mailbox intake reads bounces, complaints and unsubscribes while the app is open (issue 16).
    const intake = startDesktopIntake(context);
    // The paired opt-in service's sign-ups and unsubscribes, pulled while the app is open (issue 15).
    const optinPulls = startDesktopOptinPull(context);
    app.on(
      'will-quit',
      () => void Promise.all([intake.stop(), optinPulls.stop()]).finally(() => void store.close()),
    );
  } else {
    // The renderer shows the startup error screen from host.info; no api procedure can reach a broken store.
    createIPCHandler({
      router: createStartupFailureRouter(services),
      windows: [mainWindow],
      createContext: () => Promise.resolve({}),
    });
  }

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());

  await mainWindow.loadURL(devServerUrl ?? APP_ENTRY_URL);
}
