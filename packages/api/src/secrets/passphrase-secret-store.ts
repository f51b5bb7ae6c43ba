import { join } from 'node:path';
import { createEncryptedFileSecretStore, readSecretFile } from './encrypted-file-secret-store.js';
import { createPassphraseCipher } from './passphrase-cipher.js';
import type { SecretStore } from './secret-store.js';

/**
 * The secrets file of the browser host and the CLI, beside the database. The Electron app keeps its own
 * `secrets.json` (sealed by the OS keychain, which only Electron can open), so the two never overwrite
 * each other's file.
 */
export const PASSPHRASE_SECRETS_FILE = 'secrets.passphrase.json';

/** A value saved with the first passphrase so that every later start can be checked against it. */
const PASSPHRASE_CHECK_SECRET = 'passphrase-check';

/** True when the data folder already holds secrets sealed with a passphrase (a first run asks twice). */
export function hasPassphraseSecrets(dataDir: string): boolean {
  return Object.keys(readSecretFile(join(dataDir, PASSPHRASE_SECRETS_FILE))).length > 0;
}

/**
 * Opens the passphrase-sealed secrets of a data folder, checking the passphrase at once against a saved
 * value, so a mistyped passphrase is refused at start rather than as a failing send an hour later.
 *
 * @throws {UserError} `SECRETS_PASSPHRASE_WRONG` when the passphrase does not open the file.
 * @example
 * const secrets = await openPassphraseSecretStore(dataDir, process.env.CONSENT_MAILER_PASSPHRASE);
 */
export async function openPassphraseSecretStore(dataDir: string, passphrase: string): Promise<SecretStore> {
  const file = join(dataDir, PASSPHRASE_SECRETS_FILE);
  const store = createEncryptedFileSecretStore(file, createPassphraseCipher(passphrase));
  const [first] = Object.keys(readSecretFile(file));
  if (first !== undefined) await store.get(first);
  // The first passphrase is written down at once (as a check value), so the next start checks against it
  // even before any password was saved, and a typo at the second start cannot seal a second set of secrets.
  else await store.set(PASSPHRASE_CHECK_SECRET, 'consent-mailer');
  return store;
}
