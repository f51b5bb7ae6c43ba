import { app, session, shell, type WebContents } from 'electron';

/** The origins the app's own pages load from: the custom protocol, and the Vite dev server in development. */
export function isAppUrl(url: string, devServerUrl: string | undefined): boolean {
  if (url.startsWith('app://bundle/')) return true;
  return devServerUrl !== undefined && url.startsWith(devServerUrl);
}

/**
 * Applies the rules of docs/design.md "Security" to every web contents the app ever creates: no navigation away
 * from the app, no new windows (http(s) links open in the system browser instead), no webviews, and every
 * permission request (camera, notifications, geolocation …) denied.
 *
 * @example
 * app.whenReady().then(() => hardenSessions(process.env.ELECTRON_RENDERER_URL));
 */
export function hardenSessions(devServerUrl: string | undefined): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, devServerUrl));
}

function hardenContents(contents: WebContents, devServerUrl: string | undefined): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links in help texts open in the user's own browser; the app never opens a second window of its own.
    if (url.startsWith('https://') || url.startsWith('mailto:')) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
