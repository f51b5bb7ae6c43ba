// Measurement (not a test yet): how long the desktop main process's event loop is blocked at a time while
// the api imports 100,000 rows and assesses a 100,000-recipient mailing, called in process exactly as the
// Electron main process calls it (a tRPC caller on one store). Prints JSON: the longest stall and the
// 99th percentile of event-loop delay per operation.
//   pnpm --filter @consent-mailer/cli exec tsx bench/main-process-busy.ts [rows]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  createApiContext,
  createCallerFactory,
  createMemorySecretStore,
  lazyAppRouter,
} from '@consent-mailer/api';
import { openStore } from '@consent-mailer/store';

const ROWS = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 100_000);

/**
 * Runs `work` while a 5 ms interval notes how late each tick comes: a synchronous stretch (better-sqlite3
 * calls resolve kysely's promises as microtasks, never yielding to timers) shows up as one late tick.
 * monitorEventLoopDelay's histogram gives the 99th percentile; the longest stall is measured directly
 * because the histogram may miss the last one.
 */
async function busy<T>(work: () => Promise<T>): Promise<{ maxMs: number; p99Ms: number; wallMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last = performance.now();
  let maxMs = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    maxMs = Math.max(maxMs, now - last - 5);
    last = now;
  }, 5);
  const started = performance.now();
  await work();
  const wallMs = performance.now() - started;
  // Let the tick that was held up by the last synchronous stretch run and be counted.
  await new Promise((done) => setTimeout(done, 20));
  clearInterval(tick);
  histogram.disable();
  return {
    maxMs: Math.round(maxMs),
    p99Ms: Math.round(histogram.percentile(99) / 1e6),
    wallMs: Math.round(wallMs),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'cm-busy-'));
try {
  const file = join(dir, 'export.csv');
  const lines = ['Email Address,First Name,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP'];
  for (let i = 0; i < ROWS; i += 1)
    lines.push(
      `klant${i}@bedrijf${i % 997}.nl,Klant${i},"2026-02-12 17:59:31",192.0.2.1,"2026-02-12 18:06:58",192.0.2.2`,
    );
  writeFileSync(file, `${lines.join('\n')}\n`);
  const store = await openStore({ path: join(dir, 'db.sqlite') });
  const ctx = createApiContext({ store, secrets: createMemorySecretStore(), dataDir: dir });
  const caller = createCallerFactory(lazyAppRouter)(ctx);
  await caller.entities.add({
    id: 'bakkerij',
    legalName: 'Bakkerij de Vries B.V.',
    postalAddress: 'Dorpsstraat 1',
    contactEmail: 'info@bakkerij.nl',
    kvkNumber: '12345678',
  });
  const list = await caller.settings.lists.create({ name: 'Nieuwsbrief', senderEntityId: 'bakkerij' });
  await caller.smtp.add({
    name: 'main',
    host: '127.0.0.1',
    port: 2525,
    security: 'NONE',
    fromAddress: 'nieuws@bakkerij.nl',
    spfDeclared: true,
    dmarcDeclared: true,
  });
  const importing = await busy(async () => {
    const started = await caller.imports.run({
      file: { path: file },
      senderEntityId: 'bakkerij',
      listId: list.id,
      method: 'WEB_DOI',
      evidence: { source: 'https://bakkerij.nl/nieuwsbrief' },
    });
    const job = await ctx.jobs.wait(started.jobId);
    if (job.state !== 'succeeded') throw new Error(`import ${job.state}`);
  });
  const mailing = await caller.mailings.create({
    name: 'Bench',
    senderEntityId: 'bakkerij',
    listId: list.id,
    smtpProfile: 'main',
    subject: 'Nieuws',
    html: '<p>Hallo {{firstName|klant}}</p>',
  });
  const assessing = await busy(() => caller.mailings.assess({ id: mailing.id, lang: 'en' }));
  await store.close();
  console.log(JSON.stringify({ rows: ROWS, import: importing, assess: assessing }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
