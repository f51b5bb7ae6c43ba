// Benchmark (not part of `test`): 1,000,000 contacts with consents written through the repositories
// (importContacts, in chunks of 5,000, one transaction each, as the importer does) versus a raw
// better-sqlite3 prepared insert of the same rows in one transaction, in the same run; then the time of
// filtered contact-list pages at that size (median of several runs).
//   pnpm --filter @consent-mailer/store bench            (1,000,000 rows)
//   pnpm --filter @consent-mailer/store bench -- 100000  (a quicker run)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { deriveAddressKind, normalizeEmailAddress } from '@consent-mailer/policy';
import { CONSENT_METHODS, type ConsentMethod } from '@consent-mailer/policy/vocabulary';
import {
  CONSENT_COLUMNS,
  addressHash,
  evidenceToColumns,
  importContacts,
  inTransaction,
  listContacts,
  openStore,
  type ContactListFilter,
  type ImportContactRow,
} from '../src/index.js';
import { addSenderEntity } from '../src/testing/index.js';

const TOTAL = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 1_000_000);
const CHUNK = 5000;
const AT = '2026-11-28T12:00:00.000Z';
/**
 * How many rows in eight get each method: a sender's usual mix, double opt-in the most common. The methods
 * come from the vocabulary, the weights stay here: a method added there fails typecheck until it has one.
 * THIRD_PARTY weighs nothing, as in the mix this bench has always measured (runs stay comparable).
 */
const METHOD_WEIGHTS: Record<ConsentMethod, number> = {
  WEB_DOI: 2,
  WEB_SOI: 1,
  PHONE: 1,
  PAPER: 1,
  CUSTOMER: 1,
  B2B_PUBLISHED: 1,
  IMPORTED_UNKNOWN: 1,
  THIRD_PARTY: 0,
};
const METHODS: ConsentMethod[] = CONSENT_METHODS.flatMap((method) =>
  Array.from({ length: METHOD_WEIGHTS[method] }, () => method),
);
const LAST_NAMES = [
  'de Vries',
  'Jansen',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'de Boer',
  'Mulder',
  'de Groot',
  'Bos',
];

function row(index: number): ImportContactRow {
  const method = METHODS[index % METHODS.length] ?? 'WEB_SOI';
  const base: ImportContactRow = {
    email: `klant${index}@${index % 7 === 0 ? 'Bakkerij.NL' : 'example.nl'}`,
    firstName: `Voornaam${index % 997}`,
    lastName: LAST_NAMES[index % LAST_NAMES.length] ?? null,
    recipientKind: index % 11 === 0 ? 'LEGAL_PERSON' : 'CONSUMER',
    method,
    senderEntityId: 'bakkerij',
    scopeLists: 'ALL',
    signupAt: '2026-03-01T09:00:00Z',
    source: 'https://bakkerij.nl/nieuwsbrief',
    consentTextVersionId: 'c'.repeat(64),
  };
  if (method === 'WEB_DOI') {
    Object.assign(base, {
      signupIp: `198.51.100.${index % 250}`,
      signupUserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
      confirmMailSentAt: '2026-03-01T09:00:03Z',
      confirmTokenId: `tok-${index}`,
      confirmedAt: '2026-03-01T09:04:00Z',
      confirmIp: `198.51.100.${index % 250}`,
      confirmUserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    });
  }
  if (method === 'CUSTOMER')
    Object.assign(base, {
      orderRef: `ORD-${index}`,
      orderPaid: true,
      purchaseCategories: ['brood', 'gebak'],
      optOutOfferedAtCollection: 'YES',
    });
  return base;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function freshStore(dir: string, name: string) {
  const store = await openStore({ path: join(dir, name) });
  await addSenderEntity(store);
  return store;
}

const dir = mkdtempSync(join(tmpdir(), 'store-bench-'));
try {
  console.log(`generating ${TOTAL.toLocaleString('en')} rows …`);
  const rows = Array.from({ length: TOTAL }, (_, index) => row(index));

  // Raw baseline: the same final rows, prepared statements, one transaction.
  const rawStore = await freshStore(dir, 'raw.sqlite');
  const rawPrepared = rows.map((input) => {
    const email = normalizeEmailAddress(input.email);
    const {
      email: _e,
      firstName: _f,
      lastName: _l,
      organisation: _o,
      recipientKind: _r,
      addressKind: _a,
      ...evidence
    } = input;
    const consent = evidenceToColumns(evidence);
    return {
      contact: [
        email,
        addressHash(email),
        input.firstName ?? null,
        input.lastName ?? null,
        null,
        input.recipientKind,
        deriveAddressKind(email),
        AT,
        AT,
      ],
      consent: CONSENT_COLUMNS.map((column) => consent[column]),
    };
  });
  const sqlite = rawStore.sqlite;
  const insertContact = sqlite.prepare(
    'INSERT INTO contact (email, address_hash, first_name, last_name, organisation, recipient_kind, address_kind, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertConsent = sqlite.prepare(
    `INSERT INTO consent (contact_id, ${CONSENT_COLUMNS.join(', ')}, created_at, updated_at) VALUES (?, ${CONSENT_COLUMNS.map(() => '?').join(', ')}, ?, ?)`,
  );
  const started = performance.now();
  sqlite.transaction(() => {
    for (const prepared of rawPrepared) {
      const { lastInsertRowid } = insertContact.run(prepared.contact);
      insertConsent.run([lastInsertRowid, ...prepared.consent, AT, AT]);
    }
  })();
  const rawMs = performance.now() - started;
  await rawStore.close();

  // Through the repositories: first in one transaction (the same shape as the raw baseline), then with a
  // transaction per chunk, as the importer runs it (progress between chunks, 200 commits for 1M rows).
  async function throughRepositories(name: string, oneTransaction: boolean) {
    const target = await freshStore(dir, name);
    const begin = performance.now();
    let imported = 0;
    const run = async (db: typeof target.db | Parameters<Parameters<typeof inTransaction>[1]>[0]) => {
      for (let start = 0; start < rows.length; start += CHUNK) {
        const counts = await importContacts(db, rows.slice(start, start + CHUNK), { at: AT });
        imported += counts.imported;
      }
    };
    if (oneTransaction) await inTransaction(target.db, run);
    else await run(target.db);
    const ms = performance.now() - begin;
    if (imported !== TOTAL) throw new Error(`expected ${TOTAL} imported, got ${imported}`);
    return { store: target, ms };
  }
  const single = await throughRepositories('repo-single.sqlite', true);
  await single.store.close();
  const { store, ms: repoMs } = await throughRepositories('repo.sqlite', false);

  console.log(`insert ${TOTAL.toLocaleString('en')} contacts + consents`);
  console.log(
    `  raw better-sqlite3 (prepared, 1 transaction):     ${(rawMs / 1000).toFixed(2)} s  (${Math.round(TOTAL / (rawMs / 1000)).toLocaleString('en')} rows/s)`,
  );
  console.log(
    `  repositories, 1 transaction (${CHUNK}/call):        ${(single.ms / 1000).toFixed(2)} s  (${Math.round(TOTAL / (single.ms / 1000)).toLocaleString('en')} rows/s)  ratio ${(single.ms / rawMs).toFixed(2)}x (target <= 2x)`,
  );
  console.log(
    `  repositories, 1 transaction per ${CHUNK}-row chunk: ${(repoMs / 1000).toFixed(2)} s  (${Math.round(TOTAL / (repoMs / 1000)).toLocaleString('en')} rows/s)  ratio ${(repoMs / rawMs).toFixed(2)}x`,
  );
  console.log(`  database file: ${(statSync(join(dir, 'repo.sqlite')).size / 1e6).toFixed(0)} MB`);

  // A stored class for the class filter (as assessments would leave it): every 50th contact TRANSFER_RISK.
  store.sqlite.exec(
    "UPDATE contact SET last_classification = CASE WHEN id % 50 = 0 THEN 'TRANSFER_RISK' ELSE 'ALLOWED_PROVEN' END",
  );
  // A list of 10,000 contacts spread over the whole id range (as a newsletter list would be).
  store.sqlite.exec(
    `INSERT INTO list (id, name, created_at, updated_at) VALUES ('nieuwsbrief', 'Nieuwsbrief', '${AT}', '${AT}')`,
  );
  store.sqlite.exec(
    `INSERT INTO list_membership (list_id, contact_id, added_at) SELECT 'nieuwsbrief', id, '${AT}' FROM contact WHERE id % ${Math.max(1, Math.floor(TOTAL / 10_000))} = 1`,
  );
  store.sqlite.exec('ANALYZE');

  const filters: [string, ContactListFilter][] = [
    ['no filter', {}],
    ['method PAPER', { method: 'PAPER' }],
    ['class TRANSFER_RISK', { classification: 'TRANSFER_RISK' }],
    ['search "bakkerij"', { search: 'bakkerij' }],
    ['method WEB_DOI + search "jansen"', { method: 'WEB_DOI', search: 'jansen' }],
    ['class TRANSFER_RISK + method CUSTOMER', { classification: 'TRANSFER_RISK', method: 'CUSTOMER' }],
    ['list (10,000 members)', { listId: 'nieuwsbrief' }],
    ['list + method WEB_DOI', { listId: 'nieuwsbrief', method: 'WEB_DOI' }],
    ['search "klant999999" (rare: scans)', { search: `klant${TOTAL - 1}` }],
  ];
  console.log(
    `filtered page of 50 at ${TOTAL.toLocaleString('en')} contacts (median of 9; first page and page after the middle):`,
  );
  for (const [label, filter] of filters) {
    const first: number[] = [];
    const deep: number[] = [];
    for (let run = 0; run < 9; run += 1) {
      let t = performance.now();
      const page = await listContacts(store.db, filter, { limit: 50 });
      first.push(performance.now() - t);
      t = performance.now();
      await listContacts(store.db, filter, { limit: 50, after: Math.floor(TOTAL / 2) });
      deep.push(performance.now() - t);
      if (run === 0 && page.items.length === 0) console.log(`  (no rows for ${label})`);
    }
    console.log(`  ${label.padEnd(40)} ${median(first).toFixed(2)} ms   deep: ${median(deep).toFixed(2)} ms`);
  }
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
