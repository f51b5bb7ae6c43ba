import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEncryptedFileSecretStore, type SecretCipher } from './encrypted-file-secret-store.js';

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
