/**
 * Where secrets live (SMTP passwords, the signing key): never in the database or a log. The desktop app
 * implements this on Electron safeStorage, the CLI on environment variables; tests use memory.
 */
export interface SecretStore {
  /** True when what is set outlives the process (a keychain or an encrypted file, not memory). */
  readonly persistent?: boolean;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A SecretStore that forgets everything when the process ends: for tests and one-off CLI runs. */
export function createMemorySecretStore(initial: Record<string, string> = {}): SecretStore {
  const values = new Map(Object.entries(initial));
  return {
    get: (key) => Promise.resolve(values.get(key)),
    set: (key, value) => {
      values.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => {
      values.delete(key);
      return Promise.resolve();
    },
  };
}
