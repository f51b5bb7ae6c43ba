import type { SecretStore } from '@consent-mailer/api';

/**
 * The CLI's secrets: a variable named CONSENT_MAILER_SECRET_<KEY> (key upper-cased, non-alphanumerics as
 * `_`) always wins, e.g. the SMTP password of profile "main" from CONSENT_MAILER_SECRET_SMTP_MAIN. Behind
 * it, `saved` is the data folder's passphrase-sealed file (when CONSENT_MAILER_PASSPHRASE is set): what a
 * command saves lands there and is there for the next command and the browser host. Without it, values set
 * during a run live only in memory, and commands that would lose something (a new signing key) refuse.
 */
export function createEnvSecretStore(env: NodeJS.ProcessEnv = process.env, saved?: SecretStore): SecretStore {
  const overrides = new Map<string, string | undefined>();
  return {
    persistent: saved !== undefined,
    get: (key) => {
      // What this run set wins, so a command that saves a new password and then tests it uses the new one.
      if (overrides.has(key)) return Promise.resolve(overrides.get(key));
      const fromEnv = env[secretVariableName(key)];
      if (fromEnv !== undefined || !saved) return Promise.resolve(fromEnv);
      return saved.get(key);
    },
    set: async (key, value) => {
      if (saved) await saved.set(key, value);
      overrides.set(key, value);
    },
    delete: async (key) => {
      if (saved) await saved.delete(key);
      overrides.set(key, undefined);
    },
  };
}

/** The variable a user sets for a secret key, for messages that tell them what to do. */
export function secretVariableName(key: string): string {
  return `CONSENT_MAILER_SECRET_${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
