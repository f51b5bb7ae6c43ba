/**
 * Import throughput: generated Dutch Excel CSVs (windows-1252, `;`) of 100,000 and 1,000,000 rows, imported
 * the full way, as `imports.run` does (scan + parse + validate + store: createImportBatch, the address-hash
 * index set aside, writeImportChunk → importContacts in chunked transactions, the index rebuilt) against a raw baseline measured in the same run (papaparse + one prepared
 * better-sqlite3 insert in one transaction). Each measurement runs in its own child process so its peak
 * memory (max RSS) is its own. A third line, `validate`, runs the importer with a sink that stores nothing,
 * to show how the time splits between this package and the store. A `raw-schema` line does the same job
 * raw: papaparse + prepared inserts of the same contact and consent rows into the store's schema, in one
 * transaction. Prints medians, rows/s, the ratios to both baselines and peak memory.
 *
 * The children run this file bundled by esbuild on plain node, as the desktop app runs its bundled main
 * process: under tsx every child would carry ~80 MB of loader, which is not the product's memory.
 *
 *   pnpm --filter @consent-mailer/importer bench            # 100k ×3 and 1M ×1
 *   BENCH_SIZES=100000 BENCH_RUNS=5 pnpm --filter @consent-mailer/importer bench
 */
import { spawnSync } from 'node:child_process';
import { hash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createImportBatch,
  createSenderEntity,
  finishImportBatch,
  openStore,
  restoreImportIndexes,
  setAsideImportIndexes,
  withBulkWriteCache,
  writeImportChunk,
  type ImportContactRow,
} from '@consent-mailer/store';
import Database from 'better-sqlite3';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import {
  ImportConsent,
  previewContactFile,
  runContactImport,
  scanContactFile,
  type ImportedContact,
} from '../src/index.js';

const FIRST = [
  'Jan',
  'Zoë',
  'Hélène',
  'Kees',
  'Anouk',
  'Daan',
  'Eline',
  'Bram',
  'Fleur',
  'Sem',
  'Noë',
  'Tess',
];
const MIDDLE = ['', '', '', 'van', 'de', "van 't", 'van der', 'ten'];
const LAST = ['Jansen', 'Hek', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Dupré', 'Mulder', 'Bos', 'Vos'];
const DOMAINS = [
  'gmail.com',
  'hotmail.nl',
  'ziggo.nl',
  'kpnmail.nl',
  'outlook.com',
  'bakkerij.nl',
  'xs4all.nl',
];

function generate(path: string, rows: number): void {
  const lines = ['E-mailadres;Voornaam;Tussenvoegsel;Achternaam;Bedrijfsnaam;Aanmelddatum'];
  for (let i = 0; i < rows; i += 1) {
    const first = FIRST[i % FIRST.length] ?? '';
    const middle = MIDDLE[i % MIDDLE.length] ?? '';
    const last = LAST[(i * 7) % LAST.length] ?? '';
    const day = String((i % 28) + 1).padStart(2, '0');
    lines.push(
      `${first.toLowerCase()}.${i}@${DOMAINS[i % DOMAINS.length] ?? ''};${first};${middle};${last};${i % 5 === 0 ? `"${last} & Zn; B.V."` : ''};${day}-03-2024 09:30`,
    );
  }
  writeFileSync(path, iconv.encode(`${lines.join('\r\n')}\r\n`, 'windows-1252'));
}

async function baseline(file: string, dbPath: string): Promise<number> {
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE contact (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, first_name TEXT, last_name TEXT, organisation TEXT)',
  );
  const insert = db.prepare(
    'INSERT INTO contact (email, first_name, last_name, organisation) VALUES (?, ?, ?, ?)',
  );
  db.exec('BEGIN');
  const rows = await parseDataRows(file, ([email, first, middle, last, company]) => {
    insert.run(email, first, `${middle ?? ''} ${last ?? ''}`.trim(), company || null);
  });
  db.exec('COMMIT');
  db.close();
  return rows;
}

/** The baselines' parse: papaparse streaming the windows-1252 file; `onRow` gets each row after the header. */
async function parseDataRows(file: string, onRow: (cells: string[]) => void): Promise<number> {
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(createReadStream(file).pipe(iconv.decodeStream('windows-1252')), {
      delimiter: ';',
      skipEmptyLines: true,
      step: (result) => {
        rows += 1;
        if (rows > 1) onRow(result.data);
      },
      complete: () => resolve(),
      error: reject,
    });
  });
  return rows - 1;
}

/**
 * The same job done raw: papaparse, then one prepared better-sqlite3 insert per table (the contact with its
 * address hash, its PAPER consent with the file's sign-up date) into the store's migrated schema, in one
 * transaction. No validation, no merging, no events: the floor for writing these rows into this schema.
 */
async function rawSameSchema(file: string, dbPath: string): Promise<number> {
  const store = await openStore({ path: dbPath });
  const db = store.sqlite;
  const at = new Date().toISOString();
  db.prepare('INSERT INTO sender_entity (id, legal_name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(
    'bench',
    'Bench B.V.',
    at,
    at,
  );
  const insertContact = db.prepare(
    `INSERT INTO contact (email, address_hash, first_name, last_name, organisation, recipient_kind, address_kind, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'UNKNOWN', 'PERSONAL', ?, ?)`,
  );
  const insertConsent = db.prepare(
    `INSERT INTO consent (contact_id, sender_entity_id, method, scope_lists, signup_at, consent_text_version_id, paper_scan_ref, created_at, updated_at)
     VALUES (?, 'bench', 'PAPER', '"ALL"', ?, 'ctv-1', 'ordner', ?, ?)`,
  );
  db.exec('BEGIN');
  const rows = await parseDataRows(file, ([email = '', first, middle, last, company, signup]) => {
    const address = email.toLowerCase();
    const { lastInsertRowid } = insertContact.run(
      address,
      hash('sha256', address, 'hex'),
      first || null,
      `${middle ?? ''} ${last ?? ''}`.trim() || null,
      company || null,
      at,
      at,
    );
    insertConsent.run(lastInsertRowid, signup || null, at, at);
  });
  db.exec('COMMIT');
  await store.close();
  return rows;
}

function toRow(contact: ImportedContact): ImportContactRow {
  return {
    email: contact.email,
    recipientKind: contact.recipientKind,
    addressKind: contact.addressKind,
    method: contact.method,
    senderEntityId: 'bench',
    scopeLists: 'ALL',
    ...contact.evidence,
    firstName: contact.firstName ?? null,
    lastName: [contact.middleName, contact.lastName].filter(Boolean).join(' ') || null,
    organisation: contact.companyName ?? null,
  };
}

async function fullImport(file: string, dbPath: string): Promise<number> {
  const store = await openStore({ path: dbPath });
  const at = new Date().toISOString();
  await createSenderEntity(
    store.db,
    {
      id: 'bench',
      legalName: 'Bench B.V.',
      postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
      contactEmail: 'info@bench.example',
      kvkNumber: '12345678',
    },
    at,
  );
  const input = { path: file };
  const preview = await previewContactFile(input);
  const scan = await scanContactFile(input, { info: preview.info });
  const consent = ImportConsent.parse({
    method: 'PAPER',
    evidence: { paperScanRef: 'ordner', consentTextVersionId: 'ctv-1' },
  });
  await createImportBatch(store.db, {
    id: 'bench',
    fileName: 'bench.csv',
    fileSha256: '0'.repeat(64),
    fileSize: scan.info.sizeBytes,
    senderEntityId: 'bench',
    listId: null,
    mapping: preview.mapping,
    defaultMethod: 'PAPER',
    sourceTool: preview.tool,
    encoding: scan.info.encoding,
    delimiter: scan.info.delimiter,
    rowsTotal: scan.records - 1,
    at,
  });
  // As imports.run does: a large import sets the address-hash index aside and rebuilds it at the end, and
  // writes with the bulk page cache.
  const setAside = await setAsideImportIndexes(store.db, { rows: scan.records - 1 });
  const summary = await withBulkWriteCache(store.db, () =>
    runContactImport({
      input,
      info: scan.info,
      mapping: preview.mapping,
      consent,
      importedAt: at,
      ...(process.env.BENCH_CHUNK ? { chunkSize: Number(process.env.BENCH_CHUNK) } : {}),
      sink: {
        writeChunk: (chunk) =>
          writeImportChunk(
            store.db,
            'bench',
            {
              rows: chunk.contacts.map(toRow),
              suppress: [],
              duplicates: chunk.duplicates,
              rejected: chunk.rejects.length,
              rowsDone: chunk.rowsRead,
            },
            { at, listId: null },
          ),
      },
    }),
  );
  if (setAside) await restoreImportIndexes(store.db);
  await finishImportBatch(store.db, 'bench', { status: 'DONE', at });
  await store.close();
  if (summary.imported !== summary.rows) throw new Error(`imported ${summary.imported} of ${summary.rows}`);
  return summary.rows;
}

/** The importer alone (scan + parse + validate + dedupe, a sink that stores nothing): where the time goes. */
async function validateOnly(file: string): Promise<number> {
  const input = { path: file };
  const preview = await previewContactFile(input);
  const scan = await scanContactFile(input, { info: preview.info });
  const summary = await runContactImport({
    input,
    info: scan.info,
    mapping: preview.mapping,
    consent: ImportConsent.parse({ method: 'PAPER' }),
    importedAt: new Date().toISOString(),
    sink: {
      writeChunk: (chunk) =>
        Promise.resolve({ imported: chunk.contacts.length, updated: 0, unchanged: 0, suppressed: 0 }),
    },
  });
  return summary.rows;
}

type Kind = 'baseline' | 'raw-schema' | 'validate' | 'full';
const KINDS: Kind[] = ['baseline', 'raw-schema', 'validate', 'full'];

interface Measurement {
  rows: number;
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
}

/** Bundles this file for plain node (native and lazily loaded packages stay external) next to the package. */
async function bundleForChildren(): Promise<string> {
  const outfile = fileURLToPath(new URL('../node_modules/.cache/import-bench.mjs', import.meta.url));
  // Imported here, not at the top: the children run this bundle and must not load esbuild.
  const { build } = await import('esbuild');
  await build({
    entryPoints: [fileURLToPath(import.meta.url)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'exceljs', 'esbuild'],
    logLevel: 'error',
    // Bundled CommonJS dependencies call require(); an ES module has none of its own. The alias keeps the
    // banner apart from a bundled module's own `createRequire` import (the store has one).
    banner: {
      js: "import { createRequire as bannerCreateRequire } from 'node:module'; const require = bannerCreateRequire(import.meta.url);",
    },
  });
  return outfile;
}

function measure(bundle: string, kind: Kind, file: string, dir: string, run: number): Measurement {
  const child = spawnSync(
    process.execPath,
    [bundle, '--child', kind, file, join(dir, `${kind}-${file.length}-${run}.sqlite`)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  if (child.status !== 0) throw new Error(`${kind} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Measurement;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function child(kind: string, file: string, dbPath: string): Promise<void> {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const rows =
    kind === 'baseline'
      ? await baseline(file, dbPath)
      : kind === 'raw-schema'
        ? await rawSameSchema(file, dbPath)
        : kind === 'validate'
          ? await validateOnly(file)
          : await fullImport(file, dbPath);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // CPU time (user + system) of this process: on a machine shared with other work it varies far less than wall time.
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // maxRSS is in kilobytes.
  process.stdout.write(
    `${JSON.stringify({ rows, seconds, cpuSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

async function parent(): Promise<void> {
  const bundle = await bundleForChildren();
  const sizes = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'import-bench-'));
  try {
    console.log(
      'size       kind          median s     rows/s   vs baseline   vs raw-schema   cpu s   cpu vs raw-schema   peak MB',
    );
    for (const size of sizes) {
      const file = join(dir, `dutch-${size}.csv`);
      generate(file, size);
      const runs = Number(process.env.BENCH_RUNS ?? (size > 200_000 ? 1 : 3));
      const results: Record<Kind, Measurement[]> = {
        baseline: [],
        'raw-schema': [],
        validate: [],
        full: [],
      };
      for (let run = 0; run < runs; run += 1) {
        // Interleaved, so all see the same machine load.
        for (const kind of KINDS) results[kind].push(measure(bundle, kind, file, dir, run));
      }
      const base = median(results.baseline.map((m) => m.seconds));
      const raw = median(results['raw-schema'].map((m) => m.seconds));
      const rawCpu = median(results['raw-schema'].map((m) => m.cpuSeconds));
      for (const kind of KINDS) {
        const seconds = median(results[kind].map((m) => m.seconds));
        const cpu = median(results[kind].map((m) => m.cpuSeconds));
        const peak = Math.max(...results[kind].map((m) => m.maxRssMb));
        const rowsPerSecond = Math.round(size / seconds).toLocaleString('en-US');
        console.log(
          [
            String(size).padEnd(10),
            kind.padEnd(12),
            seconds.toFixed(2).padStart(9),
            rowsPerSecond.padStart(10),
            `${(seconds / base).toFixed(2)}x`.padStart(13),
            `${(seconds / raw).toFixed(2)}x`.padStart(15),
            cpu.toFixed(2).padStart(7),
            `${(cpu / rawCpu).toFixed(2)}x`.padStart(19),
            peak.toFixed(0).padStart(9),
          ].join(' '),
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1] ?? '', args[2] ?? '', args[3] ?? '');
else await parent();
