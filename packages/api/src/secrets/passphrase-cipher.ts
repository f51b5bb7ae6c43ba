import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { UserError } from '@consent-mailer/policy';
import type { SecretCipher } from './encrypted-file-secret-store.js';

// scrypt at N=2^15, r=8 (OWASP's minimum for scrypt): about 0.1 s per derivation, done once per salt.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const VERSION = 1;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The error for a passphrase that does not open the secrets file: nothing is changed or replaced. */
export function wrongPassphraseError(): UserError {
  return new UserError('SECRETS_PASSPHRASE_WRONG', {
    en: 'The passphrase does not open the saved passwords and keys. Enter the passphrase you chose when you first saved a password (CONSENT_MAILER_PASSPHRASE); nothing was changed.',
    nl: 'Met deze wachtwoordzin gaan de opgeslagen wachtwoorden en sleutels niet open. Gebruik de wachtwoordzin die je koos toen je voor het eerst een wachtwoord opsloeg (CONSENT_MAILER_PASSPHRASE); er is niets veranderd.',
  });
}

/**
 * A SecretCipher for machines without a keychain the app can use (the browser host, the CLI): each value is
 * sealed with AES-256-GCM under a key derived from the user's passphrase with scrypt. The salt travels with
 * the value, so the file needs no separate header; a wrong passphrase fails the GCM tag and is refused.
 *
 * Layout of one value: version (1 byte) · salt (16) · iv (12) · tag (16) · cipher text.
 *
 * @example
 * const secrets = createEncryptedFileSecretStore(join(dataDir, PASSPHRASE_SECRETS_FILE), createPassphraseCipher(passphrase));
 */
export function createPassphraseCipher(passphrase: string): SecretCipher {
  if (passphrase.length === 0) throw new Error('createPassphraseCipher needs a non-empty passphrase');
  const keys = new Map<string, Buffer>();
  const keyFor = (salt: Buffer): Buffer => {
    const id = salt.toString('hex');
    let key = keys.get(id);
    if (key === undefined) {
      key = scryptSync(passphrase.normalize('NFC'), salt, 32, SCRYPT);
      keys.set(id, key);
    }
    return key;
  };
  // One salt per process for new values: the derivation is paid once, not per saved password.
  const salt = randomBytes(SALT_BYTES);
  return {
    isAvailable: () => true,
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyFor(salt), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.of(VERSION), salt, iv, cipher.getAuthTag(), body]);
    },
    decrypt(encrypted) {
      const header = 1 + SALT_BYTES + IV_BYTES + TAG_BYTES;
      if (encrypted.length < header || encrypted[0] !== VERSION) throw wrongPassphraseError();
      const valueSalt = encrypted.subarray(1, 1 + SALT_BYTES);
      const iv = encrypted.subarray(1 + SALT_BYTES, 1 + SALT_BYTES + IV_BYTES);
      const tag = encrypted.subarray(1 + SALT_BYTES + IV_BYTES, header);
      const decipher = createDecipheriv('aes-256-gcm', keyFor(valueSalt), iv);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(encrypted.subarray(header)), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw wrongPassphraseError();
      }
    },
  };
}
