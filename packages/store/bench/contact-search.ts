// Benchmark (not part of `test`): the trigram search index (migration 0700) at size.
//   pnpm --filter @consent-mailer/store exec tsx bench/contact-search.ts            (1,000,000 contacts)
//   pnpm --filter @consent-mailer/store exec tsx bench/contact-search.ts -- 100000  (a quicker run)
// Prints: what the index's pending-id trigger adds to importContacts (100,000 rows, with and without the
// trigger, same run), the time and memory of indexing N contacts in bulk, and the median time of a search
// for a rare term (one contact) and for a common one, over N contacts, against the LIKE scan it replaces.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import {
  importContacts,
  indexPendingContacts,
  listContacts,
  openStore,
  type ImportContactRow,
  type Store,
} from '../src/index.js';
import { addSenderEntity } from '../src/testing/index.js';

const TOTAL = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 1_000_000);
const IMPORT_ROWS = Math.min(TOTAL, 100_000);
const CHUNK = 5000;
const AT = '2026-11-28T12:00:00.000Z';
const NAMES = ['de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot'];
const FIRST = ['Anna', 'Bram', 'Carla', 'Dirk', 'Eva', 'Fleur', 'Gijs', 'Henk', 'Ilse', 'Joost'];

function rows(from: number, count: number): ImportContactRow[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return {
      email: `klant${n}@bedrijf${n % 997}.nl`,
      firstName: FIRST[n % FIRST.length] ?? null,
      lastName:
        n === 777_777 % TOTAL ? 'Zwartekoffiedrinker' : `${NAMES[n % NAMES.length] ?? ''} ${n % 5003}`,
      organisation: n % 3 === 0 ? `Bedrijf ${n % 7919} B.V.` : null,
      recipientKind: 'CONSUMER',
      method: 'PAPER',
      senderEntityId: 'bakkerij',
      scopeLists: 'ALL',
      paperScanRef: 'ordner 1',
    };
  });
}

async function freshStore(dir: string, name: string): Promise<Store> {
  const store = await openStore({ path: join(dir, name) });
  await addSenderEntity(store);
  return store;
}

async function importAll(store: Store, from: number, count: number): Promise<number> {
  const started = performance.now();
  for (let at = 0; at < count; at += CHUNK)
    await importContacts(store.db, rows(from + at, Math.min(CHUNK, count - at)), { at: AT });
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timed(work: () => Promise<unknown>, runs = 7): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return median(times);
}

const dir = mkdtempSync(join(tmpdir(), 'cm-search-bench-'));
try {
  // 1. What the trigger adds to an import: the same rows into stores with and without the index's
  // triggers, alternating, median of three each (the machine is shared; one run is noise).
  const without: number[] = [];
  const withTrigger: number[] = [];
  for (let run = 0; run < 3; run += 1) {
    const bare = await freshStore(dir, `bare-${run}.sqlite`);
    for (const trigger of ['after_insert', 'after_update', 'after_delete'])
      await sql.raw(`DROP TRIGGER contact_search_${trigger}`).execute(bare.db);
    without.push(await importAll(bare, 0, IMPORT_ROWS));
    await bare.close();
    if (run < 2) {
      const other = await freshStore(dir, `with-${run}.sqlite`);
      withTrigger.push(await importAll(other, 0, IMPORT_ROWS));
      await other.close();
    }
  }
  const store = await freshStore(dir, 'search.sqlite');
  withTrigger.push(await importAll(store, 0, IMPORT_ROWS));
  const withMs = median(withTrigger);
  const withoutMs = median(without);
  console.log(
    `import ${IMPORT_ROWS} rows (median of 3): ${withMs.toFixed(0)} ms with the pending-id trigger, ${withoutMs.toFixed(0)} ms without (+${(((withMs - withoutMs) / withoutMs) * 100).toFixed(1)}%)`,
  );
  if (TOTAL > IMPORT_ROWS) await importAll(store, IMPORT_ROWS, TOTAL - IMPORT_ROWS);

  // 2. Indexing everything in bulk (what contacts.indexForSearch does after an import).
  const rssBefore = process.memoryUsage().rss;
  const indexStarted = performance.now();
  const indexed = await indexPendingContacts(store.db);
  const indexMs = performance.now() - indexStarted;
  console.log(
    `index ${indexed} contacts in bulk: ${indexMs.toFixed(0)} ms (${((indexMs * 1000) / indexed).toFixed(1)} µs per contact), rss +${((process.memoryUsage().rss - rssBefore) / 1e6).toFixed(0)} MB`,
  );

  // 3. Searches over TOTAL contacts: the index against the LIKE scan it replaces (same query, same run).
  const search = (term: string) => () => listContacts(store.db, { search: term }, { limit: 50 });
  const rare = await timed(search('koffiedrinker'));
  const common = await timed(search('jansen'));
  const page = await search('koffiedrinker')();
  const like = await timed(
    () =>
      sql`SELECT id FROM contact WHERE email LIKE '%koffiedrinker%' OR last_name LIKE '%koffiedrinker%'
        OR first_name LIKE '%koffiedrinker%' OR organisation LIKE '%koffiedrinker%' ORDER BY id LIMIT 51`.execute(
        store.db,
      ),
    3,
  );
  console.log(
    `search over ${TOTAL} contacts (median of 7): rare term ${rare.toFixed(1)} ms (${page.items.length} hit), common term ${common.toFixed(1)} ms; the LIKE scan for the rare term: ${like.toFixed(0)} ms`,
  );
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
