/**
 * Outbox overhead: N messages to a local SMTP server through the durable outbox (SQLite claims, a write
 * before and after every message, hash-chained events) against a raw nodemailer pool with the same number
 * of connections, composing the same messages, in one run. Rounds alternate; medians are compared.
 * Run: pnpm --filter @consent-mailer/mailer bench   (BENCH_MESSAGES, BENCH_ROUNDS, BENCH_CONNECTIONS to change)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addressHash,
  createList,
  createMailing,
  createSenderEntity,
  createSmtpProfile,
  createSqliteOutbox,
  openStore,
  queueDeliveries,
} from '@consent-mailer/store';
import {
  composeMessage,
  createSmtpPool,
  createUnsubscribeToken,
  runOutbox,
  type ComposeRecipient,
} from '../src/index.js';
import { startSmtpTestServer } from '../src/testing/index.js';

const N = Number(process.env.BENCH_MESSAGES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);

const sender = {
  legalName: 'Bakkerij de Vries B.V.',
  tradeName: 'Bakkerij de Vries',
  postalAddress: 'Dorpsstraat 1, 1234 AB Ergens',
  contactEmail: 'info@bakkerij.nl',
  kvkNumber: '12345678',
};
const settings = { fromAddress: 'nieuws@bakkerij.nl' };
const mailing = {
  subject: 'Nieuws voor {{firstName|u}}',
  html: `<html><body><h1>Hallo {{firstName|klant}}</h1>${'<p>Ons brood is vers, elke dag opnieuw. '.repeat(20)}</p></body></html>`,
  lang: 'nl' as const,
  content: 'MARKETING' as const,
};
const recipients: ComposeRecipient[] = Array.from({ length: N }, (_, i) => ({
  email: `klant${i}@example.nl`,
  merge: { firstName: `Klant${i}` },
  method: 'WEB_DOI',
  firstMailing: i % 3 === 0,
  unsubscribeToken: createUnsubscribeToken(),
}));

// CPU time of this process (the SMTP server runs in it too, for both sides alike): less at the mercy of other
// processes on a shared machine than the wall clock, so it shows what the outbox itself adds.
const cpuMs = { raw: [] as number[], outbox: [] as number[] };
const cpuSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const server = await startSmtpTestServer({ parse: false });
const smtp = { host: '127.0.0.1', port: server.port, security: 'NONE' as const, connections: CONNECTIONS };

async function rawPool(count = N): Promise<number> {
  server.messages.length = 0;
  const list = recipients.slice(0, count);
  const pool = createSmtpPool(smtp, undefined);
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    list.map((recipient) => pool.sendMail(composeMessage({ sender, settings, mailing, recipient }).options)),
  );
  const ms = performance.now() - start;
  cpuMs.raw.push(cpuSince(cpu));
  pool.close();
  if (server.messages.length !== count)
    throw new Error(`raw: server got ${server.messages.length} of ${count}`);
  return ms;
}

async function outbox(count = N): Promise<number> {
  server.messages.length = 0;
  const list = recipients.slice(0, count);
  const dir = mkdtempSync(join(tmpdir(), 'cm-bench-'));
  const store = await openStore({ path: join(dir, 'bench.sqlite'), check: false });
  const at = new Date().toISOString();
  await createSenderEntity(store.db, { id: 'bakkerij', ...sender }, at);
  const profile = await createSmtpProfile(
    store.db,
    {
      id: randomUUID(),
      name: 'bench',
      host: smtp.host,
      port: smtp.port,
      security: 'NONE',
      fromAddress: settings.fromAddress,
      connections: CONNECTIONS,
    },
    at,
  );
  await createList(store.db, { id: 'nb', name: 'Nieuwsbrief', at });
  const mailingId = randomUUID();
  await createMailing(
    store.db,
    {
      id: mailingId,
      name: 'bench',
      senderEntityId: 'bakkerij',
      listId: 'nb',
      smtpProfileId: profile.id,
      subject: mailing.subject,
      html: mailing.html,
      content: 'MARKETING',
      lang: 'nl',
    },
    at,
  );
  // Contacts straight into SQLite: seeding is not what is measured.
  const insert = store.sqlite.prepare(
    'INSERT INTO contact (email, address_hash, first_name, recipient_kind, address_kind, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
  );
  const ids = store.sqlite.transaction(() =>
    list.map(
      (r) =>
        (
          insert.get(r.email, addressHash(r.email), r.merge.firstName, 'CONSUMER', 'PERSONAL', at, at) as {
            id: number;
          }
        ).id,
    ),
  )();
  await queueDeliveries(store.db, {
    mailingId,
    at,
    recipients: list.map((r, i) => ({
      contactId: ids[i] ?? 0,
      email: r.email,
      classification: 'ALLOWED_PROVEN',
      method: r.method,
      firstMailing: r.firstMailing,
      unsubscribeToken: r.unsubscribeToken,
    })),
  });
  const pool = createSmtpPool(smtp, undefined);
  const workerId = randomUUID();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await runOutbox({
    store: createSqliteOutbox(store.db, {
      smtpProfileId: profile.id,
      workerId,
      clock: () => new Date(),
      sqlite: store.sqlite,
    }),
    transport: pool,
    mailingId,
    workerId,
    compose: (delivery) => composeMessage({ sender, settings, mailing, recipient: delivery.recipient }),
    connections: CONNECTIONS,
  });
  const ms = performance.now() - start;
  cpuMs.outbox.push(cpuSince(cpu));
  pool.close();
  if (result.deferred > 0) {
    const replies = await store.db
      .selectFrom('delivery')
      .select(['smtp_reply', 'attempts'])
      .where('attempts', '>', 1)
      .limit(3)
      .execute();
    console.log(`  outbox: ${result.deferred} temporary failures retried, e.g. ${JSON.stringify(replies)}`);
  }
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  if (result.sent !== count || server.messages.length !== count)
    throw new Error(`outbox: sent ${result.sent}, server got ${server.messages.length} of ${count}`);
  return ms;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const raw: number[] = [];
const out: number[] = [];
// A short warm-up of each (JIT, connection set-up), not counted.
await rawPool(Math.min(N, 1000));
await outbox(Math.min(N, 1000));
for (let round = 0; round < ROUNDS; round++) {
  // Alternate the order so neither side always runs on a warmer machine.
  if (round % 2 === 0) {
    raw.push(await rawPool());
    out.push(await outbox());
  } else {
    out.push(await outbox());
    raw.push(await rawPool());
  }
  console.log(`round ${round + 1}: raw ${raw.at(-1)?.toFixed(0)} ms, outbox ${out.at(-1)?.toFixed(0)} ms`);
}
await server.close();
const rawMs = median(raw);
const outMs = median(out);
console.log(`messages: ${N}, connections: ${CONNECTIONS}, rounds: ${ROUNDS}`);
console.log(`raw nodemailer pool: median ${rawMs.toFixed(0)} ms (${(N / (rawMs / 1000)).toFixed(0)} msg/s)`);
console.log(`durable outbox:      median ${outMs.toFixed(0)} ms (${(N / (outMs / 1000)).toFixed(0)} msg/s)`);
console.log(`ratio outbox/raw: ${(outMs / rawMs).toFixed(3)} (target <= 1.10)`);
// The same, paired: each round's outbox run against the raw run next to it, then the median. The load of a
// shared machine drifts over minutes; a pair of neighbouring runs sees about the same load.
const paired = median(out.map((ms, i) => ms / (raw[i] ?? Number.NaN)));
console.log(`median of paired ratios: ${paired.toFixed(3)}`);
// The warm-up runs are the first entry of each; they are left out.
const cpuRaw = median(cpuMs.raw.slice(1));
const cpuOut = median(cpuMs.outbox.slice(1));
console.log(
  `process CPU: raw ${cpuRaw.toFixed(0)} ms, outbox ${cpuOut.toFixed(0)} ms (outbox adds ${(cpuOut - cpuRaw).toFixed(0)} ms, ratio ${(cpuOut / cpuRaw).toFixed(3)})`,
);
