import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { isUserError } from '@consent-mailer/policy';
import { defaultConfig, loadConfigFile, parseConfig } from './config.js';
import { createOptinServer } from './server.js';

/** `consent-mailer-optin [--config file.json]`: starts the service and stops it cleanly on SIGTERM/SIGINT. */
export async function main(argv: string[]): Promise<void> {
  const at = argv.indexOf('--config');
  const file = at >= 0 ? argv[at + 1] : process.env.OPTIN_CONFIG;
  let config;
  if (file) {
    config = loadConfigFile(file);
  } else {
    const dataDir = resolve(process.env.OPTIN_DATA_DIR ?? 'optin-data');
    mkdirSync(dataDir, { recursive: true });
    config = parseConfig(defaultConfig(dataDir));
  }
  const server = await createOptinServer({
    config,
    smtpPassword: process.env.OPTIN_SMTP_PASSWORD,
    altchaHmacKey: process.env.OPTIN_ALTCHA_HMAC_KEY,
  });
  const url = await server.listen();
  server.app.log.info({ url }, 'opt-in service listening');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'stopping: finishing open requests');
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (isUserError(error)) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
