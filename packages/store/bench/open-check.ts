// Open-time check at 100,000 contacts (with consents and list membership): how long openStore takes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createList, importContacts, openStore, verifyChain } from '../src/index.js';

const TOTAL = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'open-bench-'));
const path = join(dir, 'db.sqlite');
const store = await openStore({ path });
// Straight on the raw connection (sealed at close): a kysely write to a sealed table needs its event.
store.sqlite
  .prepare(
    `INSERT INTO sender_entity (id, legal_name, kvk_number, created_at, updated_at) VALUES ('bakkerij', 'B', '1', 'x', 'x')`,
  )
  .run();
await createList(store.db, { id: 'l', name: 'L', at: '2026-01-01T00:00:00Z' });
const t0 = performance.now();
for (let start = 0; start < TOTAL; start += 5000) {
  const rows = Array.from({ length: Math.min(5000, TOTAL - start) }, (_, i) => ({
    email: `k${start + i}@example.nl`,
    recipientKind: 'CONSUMER' as const,
    method: 'WEB_SOI' as const,
    senderEntityId: 'bakkerij',
    scopeLists: 'ALL' as const,
    signupAt: '2026-03-01T09:00:00Z',
    firstName: `V${i}`,
  }));
  await importContacts(store.db, rows, { at: '2026-01-01T00:00:00Z', listId: 'l' });
}
console.log(`import ${TOTAL}: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
await store.close();
const times: number[] = [];
for (let i = 0; i < 3; i += 1) {
  const t = performance.now();
  const s = await openStore({ path });
  times.push(performance.now() - t);
  await s.close();
}
console.log(
  `openStore (integrity + chain + rows + triggers + anchor): ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s`,
);
const s = await openStore({ path, check: false });
let t = performance.now();
const links = await verifyChain(s.db, { rows: false, triggers: false });
console.log(`chain links only: ${((performance.now() - t) / 1000).toFixed(2)} s (${links.events} events)`);
t = performance.now();
const full = await verifyChain(s.db);
console.log(
  `full verifyChain: ${((performance.now() - t) / 1000).toFixed(2)} s, rows ${full.ok ? full.rows : full.reason}`,
);
t = performance.now();
s.sqlite.pragma('integrity_check');
console.log(`integrity_check alone: ${((performance.now() - t) / 1000).toFixed(2)} s`);
await s.close();
rmSync(dir, { recursive: true, force: true });
