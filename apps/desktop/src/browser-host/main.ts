/**
 * `pnpm browser-host [--data-dir DIR] [--port N]`: runs the app in a plain browser, for machines where
 * Electron cannot run and for the end-to-end tests. Prints the address (with its per-run token) to open.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBrowserHost } from './browser-host.js';
import { browserHostSecrets } from './passphrase-prompt.js';

/** The desktop app's user-data folder (Electron's app.getPath('userData')), so both open the same database. */
function defaultDataDir(): string {
  if (process.env.CONSENT_MAILER_DATA_DIR) return process.env.CONSENT_MAILER_DATA_DIR;
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Consent Mailer');
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'Consent Mailer');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Consent Mailer');
}

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, port: { type: 'string' } } });
const rendererDir = join(import.meta.dirname, '../../out/renderer');
if (!existsSync(join(rendererDir, 'index.html'))) {
  process.stderr.write(
    'The app has not been built yet. Run `pnpm --filter @consent-mailer/desktop build` first, then start the browser host again.\n',
  );
  process.exit(1);
}
const dataDir = values['data-dir'] ?? defaultDataDir();
let secrets;
try {
  secrets = await browserHostSecrets(dataDir);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
const host = await startBrowserHost({
  dataDir,
  secrets,
  rendererDir,
  port: values.port ? Number(values.port) : 0,
});
process.stdout.write(
  `Consent Mailer runs at ${host.url}\nOpen that address in your browser (it is valid until you stop this process with Ctrl+C).\n`,
);
const stop = () => void host.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
