import { join } from 'node:path';
import { BrowserWindow, screen } from 'electron';
import {
  DEFAULT_WINDOW_SIZE,
  readWindowState,
  visibleWindowState,
  writeWindowState,
} from '../shared/window-state.js';

export interface MainWindowOptions {
  preload: string;
  stateFile: string;
}

/**
 * Creates the one app window where it was last closed, with the renderer locked down: sandboxed, context
 * isolated, no Node, no webviews. Its size, position and maximised state are saved on close.
 *
 * @example
 * const window = createMainWindow({ preload: join(import.meta.dirname, '../preload/index.cjs'), stateFile });
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const saved = visibleWindowState(
    readWindowState(options.stateFile),
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...(saved ? { x: saved.x, y: saved.y, width: saved.width, height: saved.height } : DEFAULT_WINDOW_SIZE),
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Consent Mailer',
    webPreferences: {
      preload: options.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: true,
    },
  });
  if (saved?.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    writeWindowState(options.stateFile, { ...window.getNormalBounds(), maximized: window.isMaximized() });
  });
  return window;
}

/** The window-state file inside the user data folder. */
export function windowStateFile(userData: string): string {
  return join(userData, 'window-state.json');
}
