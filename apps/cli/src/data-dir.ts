import { homedir } from 'node:os';
import { join } from 'node:path';

/** The product name as the desktop app's user-data folder spells it (Electron's app.getPath('userData')). */
export const APP_FOLDER_NAME = 'Consent Mailer';
export const DEFAULT_DATABASE_FILE = 'consent-mailer.sqlite';

/**
 * The folder the desktop app keeps its data in, so the CLI opens the same database by default.
 * CONSENT_MAILER_DATA_DIR overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.CONSENT_MAILER_DATA_DIR) return env.CONSENT_MAILER_DATA_DIR;
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_FOLDER_NAME);
}
