import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretStore } from './secret-store.js';
import { UserError } from '@consent-mailer/policy';
import { z } from 'zod';

/** Encrypts and decrypts one value; the desktop app passes Electron's safeStorage (the OS keychain). */
export interface SecretCipher {
  isAvailable(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(encrypted: Buffer): string;
}

const fileSchema = z.object({ version: z.literal(1), values: z.record(z.string(), z.string()) });

/** The error when the OS offers no encryption: secrets are then refused rather than stored readable. */
export function secretsUnavailableError(): UserError {
  return new UserError('SECRETS_UNAVAILABLE', {
    en: 'This computer offers no secure storage for passwords (no keychain or keyring is running). Unlock or install your system keychain, then try again.',
    nl: 'Deze computer biedt geen veilige opslag voor wachtwoorden (er draait geen sleutelhanger). Ontgrendel of installeer de sleutelhanger van je systeem en probeer het opnieuw.',
  });
}

/**
 * A SecretStore that keeps each value encrypted (base64) in a JSON file beside the database, never in the
 * database itself. Writes go to a temporary file first and are renamed into place, so a crash never leaves
 * a half-written file.
 *
 * @example
 * const secrets = createEncryptedFileSecretStore(join(app.getPath('userData'), 'secrets.json'), {
 *   isAvailable: () => safeStorage.isEncryptionAvailable(),
 *   encrypt: (plain) => safeStorage.encryptString(plain),
 *   decrypt: (encrypted) => safeStorage.decryptString(encrypted),
 * });
 */
export function createEncryptedFileSecretStore(file: string, cipher: SecretCipher): SecretStore {
  const read = () => readSecretFile(file);
  const write = (values: Record<string, string>) => {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ version: 1, values }, null, 2), { mode: 0o600 });
    renameSync(temporary, file);
  };
  const requireCipher = () => {
    if (!cipher.isAvailable()) throw secretsUnavailableError();
  };
  // Every method runs inside a promise so a refusal reaches the caller as a rejection, never a sync throw.
  return {
    persistent: true,
    get: (key) =>
      settle(() => {
        const stored = read()[key];
        if (stored === undefined) return undefined;
        requireCipher();
        return cipher.decrypt(Buffer.from(stored, 'base64'));
      }),
    set: (key, value) =>
      settle(() => {
        requireCipher();
        const values = read();
        values[key] = cipher.encrypt(value).toString('base64');
        write(values);
      }),
    delete: (key) =>
      settle(() => {
        const values = read();
        // Rebuild without the key rather than `delete` on a dynamic key (no prototype surprises).
        if (key in values) write(Object.fromEntries(Object.entries(values).filter(([name]) => name !== key)));
      }),
  };
}

/** The encrypted values of a secrets file by name (empty when the file does not exist yet). */
export function readSecretFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return fileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).values;
}

function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}
