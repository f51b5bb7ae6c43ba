import { httpBatchLink, type TRPCLink } from '@trpc/client';
import { ipcLink } from 'trpc-electron/renderer';
import type { DesktopRouter } from '../../shared/host-router.js';

const TOKEN_KEY = 'consent-mailer.token';

/**
 * The browser host's per-run token: taken from `?token=` on first load, kept for the tab's lifetime in
 * sessionStorage, and removed from the address bar so it does not end up in bookmarks or screenshots.
 *
 * @example
 * const token = browserHostToken(window.location, window.sessionStorage, window.history);
 */
export function browserHostToken(location: Location, storage: Storage, history: History): string | undefined {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY) ?? undefined;
}

/** True inside Electron, where the preload exposed the trpc-electron bridge. */
export function hasElectronBridge(): boolean {
  return 'electronTRPC' in window;
}

/**
 * The link to the api: the single IPC channel inside Electron, else HTTP to the browser host with the token.
 *
 * @example
 * createTRPCClient<DesktopRouter>({ links: [createApiLink()] });
 */
export function createApiLink(): TRPCLink<DesktopRouter> {
  if (hasElectronBridge()) return ipcLink<DesktopRouter>();
  const token = browserHostToken(window.location, window.sessionStorage, window.history);
  return httpBatchLink<DesktopRouter>({
    url: new URL('trpc', window.location.href).toString(),
    // Queries as POST too: a query input such as an evidence bundle to verify does not fit in a URL.
    methodOverride: 'POST',
    headers: () => (token ? { Authorization: `Bearer ${token}` } : {}),
  });
}

/**
 * Uploads a file to the browser host (which has no native dialogs) and returns where it was saved, in the
 * same shape as the Electron open dialog.
 *
 * @example
 * const chosen = await uploadFile(file);
 */
export async function uploadFile(file: File): Promise<{ path: string; name: string }> {
  const token = window.sessionStorage.getItem(TOKEN_KEY) ?? '';
  const response = await fetch(
    new URL(`upload?name=${encodeURIComponent(file.name)}`, window.location.href),
    {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
      body: file,
    },
  );
  if (!response.ok) throw new Error(`Upload failed (${response.status}): ${await response.text()}`);
  return (await response.json()) as { path: string; name: string };
}
