import type { SecretStore } from '@consent-mailer/api';

/**
 * The CLI keeps no secrets of its own: they come from environment variables named
 * CONSENT_MAILER_SECRET_<KEY> (key upper-cased, non-alphanumerics as `_`), e.g. the SMTP password of
 * profile "main" from CONSENT_MAILER_SECRET_SMTP_MAIN. Values set during a run live only in memory.
 */
export function createEnvSecretStore(env: NodeJS.ProcessEnv = process.env): SecretStore {
  const overrides = new Map<string, string | undefined>();
  const variable = (key: string) => `CONSENT_MAILER_SECRET_${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  return {
    get: (key) => Promise.resolve(overrides.has(key) ? overrides.get(key) : env[variable(key)]),
    set: (key, value) => {
      overrides.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => {
      overrides.set(key, undefined);
      return Promise.resolve();
    },
  };
}

/** The variable a user sets for a secret key, for messages that tell them what to do. */
export function secretVariableName(key: string): string {
  return `CONSENT_MAILER_SECRET_${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
