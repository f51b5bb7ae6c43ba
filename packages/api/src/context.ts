import type { Store } from '@consent-mailer/store';
import { createFileAccess, type FileAccess } from './files/file-access.js';
import { createJobRegistry, type JobRegistry } from './jobs/job-registry.js';
import type { SecretStore } from './secrets/secret-store.js';
import { createSendingServices, type SendingServices } from './sending/sending-services.js';

/**
 * Everything a procedure may touch, passed in by the host (desktop main, CLI, browser host, tests):
 * never taken from globals, so every test can run against its own database file and clock.
 */
export interface ApiContext {
  store: Store;
  /** The current time; rules never read a clock of their own. */
  clock: () => Date;
  secrets: SecretStore;
  jobs: JobRegistry;
  /** The folder beside the database for exports, backups and reports. */
  dataDir: string;
  /** The SMTP transport factory (and outbox tuning) that sending uses. */
  sending: SendingServices;
  /** Which paths outside the data folder procedures may touch (see `FileAccess`). */
  files: FileAccess;
}

export interface CreateApiContextOptions {
  store: Store;
  secrets: SecretStore;
  dataDir: string;
  clock?: () => Date;
  jobs?: JobRegistry;
  sending?: SendingServices;
  /** Default: only the data folder and what the host grants (native dialogs). The CLI passes `anyPath`. */
  files?: FileAccess;
}

/** Builds the context once per process (desktop, CLI) or per test. */
export function createApiContext(options: CreateApiContextOptions): ApiContext {
  const clock = options.clock ?? (() => new Date());
  return {
    store: options.store,
    clock,
    secrets: options.secrets,
    jobs: options.jobs ?? createJobRegistry(clock),
    dataDir: options.dataDir,
    sending: options.sending ?? createSendingServices(),
    files: options.files ?? createFileAccess(),
  };
}
