import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createEncryptedFileSecretStore,
  type SecretCipher,
} from '../src/secrets/encrypted-file-secret-store.js';
import {
  hasPassphraseSecrets,
  openPassphraseSecretStore,
  PASSPHRASE_SECRETS_FILE,
} from '../src/secrets/passphrase-secret-store.js';

// Stands in for Electron's safeStorage (the binary cannot run here): a reversible transform whose output
// never contains the plain text, so the test can tell an encrypted file from a readable one.
const xorCipher: SecretCipher = {
  isAvailable: () => true,
  encrypt: (plain) => Buffer.from([...Buffer.from(plain, 'utf8')].map((byte) => byte ^ 0x5a)),
  decrypt: (encrypted) => Buffer.from([...encrypted].map((byte) => byte ^ 0x5a)).toString('utf8'),
};

describe('the encrypted-file secret store', () => {
  it('keeps a value across instances without writing it readable', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'secrets-')), 'secrets.json');
    await createEncryptedFileSecretStore(file, xorCipher).set('smtp:main', 'hunter2-wachtwoord');
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
    expect(await createEncryptedFileSecretStore(file, xorCipher).get('smtp:main')).toBe('hunter2-wachtwoord');
  });

  it('forgets a deleted value and leaves the others', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'secrets-')), 'secrets.json');
    const store = createEncryptedFileSecretStore(file, xorCipher);
    await store.set('a', '1');
    await store.set('b', '2');
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toBe('2');
  });

  it('refuses to store a secret when the OS offers no encryption, with a bilingual explanation', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'secrets-')), 'secrets.json');
    const store = createEncryptedFileSecretStore(file, { ...xorCipher, isAvailable: () => false });
    await expect(store.set('a', 'x')).rejects.toMatchObject({
      code: 'SECRETS_UNAVAILABLE',
      text: { nl: expect.stringContaining('sleutelhanger') },
    });
  });
});

describe('the passphrase-sealed secrets of the browser host and the CLI', () => {
  it('keeps a password across restarts, unreadable in the file, and opens only with the same passphrase', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'secrets-'));
    expect(hasPassphraseSecrets(dataDir)).toBe(false);
    // The first passphrase is written down before any password, so a second start already checks it.
    await openPassphraseSecretStore(dataDir, 'lange wachtwoordzin');
    expect(hasPassphraseSecrets(dataDir)).toBe(true);
    await expect(openPassphraseSecretStore(dataDir, 'lange wachtwoordzim')).rejects.toMatchObject({
      code: 'SECRETS_PASSPHRASE_WRONG',
    });
    await (
      await openPassphraseSecretStore(dataDir, 'lange wachtwoordzin')
    ).set('smtp:main', 'hunter2-wachtwoord');
    const file = readFileSync(join(dataDir, PASSPHRASE_SECRETS_FILE), 'utf8');
    expect(file).not.toContain('hunter2');
    expect(hasPassphraseSecrets(dataDir)).toBe(true);

    const restarted = await openPassphraseSecretStore(dataDir, 'lange wachtwoordzin');
    expect(await restarted.get('smtp:main')).toBe('hunter2-wachtwoord');
    await expect(openPassphraseSecretStore(dataDir, 'verkeerde zin')).rejects.toMatchObject({
      code: 'SECRETS_PASSPHRASE_WRONG',
      text: { nl: expect.stringContaining('wachtwoordzin'), en: expect.stringContaining('passphrase') },
    });
    // A refused passphrase changes nothing.
    expect(readFileSync(join(dataDir, PASSPHRASE_SECRETS_FILE), 'utf8')).toBe(file);
  });

  it('refuses a value whose bytes were changed in the file (the GCM tag no longer matches)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const store = await openPassphraseSecretStore(dataDir, 'lange wachtwoordzin');
    await store.set('a', 'geheim');
    await store.set('b', 'ander geheim');
    const path = join(dataDir, PASSPHRASE_SECRETS_FILE);
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { values: Record<string, string> };
    const bytes = Buffer.from(parsed.values.b ?? '', 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    parsed.values.b = bytes.toString('base64');
    writeFileSync(path, JSON.stringify(parsed));
    const reopened = await openPassphraseSecretStore(dataDir, 'lange wachtwoordzin');
    expect(await reopened.get('a')).toBe('geheim');
    await expect(reopened.get('b')).rejects.toMatchObject({ code: 'SECRETS_PASSPHRASE_WRONG' });
  });
});
