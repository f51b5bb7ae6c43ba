/**
 * What the host (the Electron main process or the browser host) offers the renderer beside the api: which
 * host it is, whether the database opened, and the file dialogs. Kept free of electron so the browser host
 * and the tests can load it.
 */

/** A file the user chose (native dialog) or uploaded (browser host), ready for a path-taking procedure. */
export interface ChosenFile {
  /** Absolute path on the machine that runs the api. */
  path: string;
  /** The file's own name, for display. */
  name: string;
}

export interface FileFilter {
  name: string;
  extensions: string[];
}

/** Why the database could not be opened, in both languages, with the technical detail for support. */
export interface StartupFailure {
  code: string;
  text: { en: string; nl: string };
  detail: string;
}

export type DatabaseStartup =
  | { ok: true; path: string; schemaVersion: string | null }
  | { ok: false; path: string; failure: StartupFailure };

export interface HostInfo {
  kind: 'electron' | 'browser';
  database: DatabaseStartup;
  /** Native open/save dialogs (Electron); the browser host imports by upload instead. */
  nativeDialogs: boolean;
  /** The system language, so the renderer defaults to Dutch on a Dutch system. */
  locale: string;
}

export interface HostServices {
  info(): HostInfo;
  /** Shows an open dialog; resolves to undefined when the user cancels. */
  openFile(options: { title: string; filters: FileFilter[] }): Promise<ChosenFile | undefined>;
  /** Shows a save dialog; resolves to the chosen path, or undefined when the user cancels. */
  saveFile(options: {
    title: string;
    defaultName: string;
    filters: FileFilter[];
  }): Promise<string | undefined>;
}
