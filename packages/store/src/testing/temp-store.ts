// A real store file in a fresh temp folder, and the sender entity every consent hangs on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type OpenStoreOptions, type Store } from '../store.js';

/** The moment the kit's rows are written at. */
export const AT = '2026-11-28T12:00:00.000Z';

/** A fresh folder under the OS temp dir and a function that removes it. */
export function tempDir(prefix = 'store-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens a real store file in a fresh temp folder. */
export async function openTempStore(
  options: Partial<OpenStoreOptions> = {},
): Promise<{ store: Store; dir: string; path: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'consent-mailer.sqlite');
  const store = await openStore({ path, ...options });
  return {
    store,
    dir,
    path,
    cleanup: async () => {
      await store.close();
      cleanup();
    },
  };
}

/** A sender entity to hang consents on (every consent needs one). */
export async function addSenderEntity(store: Store, id = 'bakkerij'): Promise<string> {
  // Straight on the raw connection, as a fixture: a kysely write to a sealed table without its event is
  // refused at commit; this one is sealed by the store at close (`ledger.sealed`).
  store.sqlite
    .prepare(
      `INSERT INTO sender_entity (id, legal_name, trade_name, postal_address, contact_email, kvk_number, created_at, updated_at)
       VALUES (?, 'Bakkerij de Vries B.V.', NULL, NULL, NULL, '12345678', ?, ?)`,
    )
    .run(id, AT, AT);
  return Promise.resolve(id);
}

/**
 * Runs a kysely write straight on the raw connection, as a fixture shortcut or someone with the file would:
 * no event. The store refuses such a write through its kysely handle (STORE_WRITE_WITHOUT_EVENT); this one is
 * committed by the next event on the connection or at close (`ledger.sealed`).
 *
 * @example
 * await rawWrite(store, store.db.updateTable('contact').set({ first_name: 'Piet' }));
 */
export function rawWrite(
  store: Pick<Store, 'sqlite'>,
  query: { compile(): { sql: string; parameters: readonly unknown[] } },
): Promise<void> {
  const { sql, parameters } = query.compile();
  store.sqlite.prepare(sql).run(...parameters);
  return Promise.resolve();
}
