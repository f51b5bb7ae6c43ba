import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '@consent-mailer/store';
import { createApiContext, type ApiContext } from '../src/context.js';
import { appRouter } from '../src/root.js';
import { createMemorySecretStore } from '../src/secrets/secret-store.js';
import { createCallerFactory } from '../src/trpc.js';

export const NOW = new Date('2026-11-28T12:00:00.000Z');

/** A real database file in a fresh temp folder, its api context and a caller. */
export async function openApiFixture(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'consent-mailer.sqlite');
  let store: Store = await openStore({ path });
  const context = (): ApiContext =>
    createApiContext({ store, secrets: createMemorySecretStore(), dataDir: dir, clock: () => NOW });
  let ctx = context();
  let caller = createCallerFactory(appRouter)(ctx);
  return {
    dir,
    path,
    get store() {
      return store;
    },
    get ctx() {
      return ctx;
    },
    get caller() {
      return caller;
    },
    /** Closes and opens the file again (as a new process would). */
    async reopen(options: { openDamaged?: boolean } = {}) {
      await store.close();
      store = await openStore({ path, ...options });
      ctx = context();
      caller = createCallerFactory(appRouter)(ctx);
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
