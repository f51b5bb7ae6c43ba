// Benchmark: classify 1,000,000 generated contacts against one mailing, and assess a 100,000-recipient
// mailing. Prints medians of several runs and the ratio against a raw baseline measured in the same run
// (a bare loop reading the same fields the rules read). Not part of `test`: run `pnpm bench`.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  assessMailing,
  createContactClassifier,
  classifyContact,
  type ContactRecord,
  type MailingContext,
  type MailingFacts,
} from '../src/index.js';
import { MAILING as KIT_MAILING, NOW, goodFacts } from '../src/testing/index.js';

const RUNS = 7;
const CONTACTS = 1_000_000;
const RECIPIENTS = 100_000;

const MAILING: MailingContext = { ...KIT_MAILING, id: 'bench' };
const FACTS: MailingFacts = goodFacts({ expectedDailyVolumeToBigProvider: 20_000 });

/** A small deterministic generator, so every run and machine judges the same list. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

function isoDaysAgo(days: number): string {
  return new Date(Date.parse(NOW) - days * 86_400_000).toISOString();
}

/** A realistic mix: mostly double opt-in and customers, some single opt-in, imports, bounces, unsubscribes. */
function generate(count: number): ContactRecord[] {
  const next = random(42);
  const dates = Array.from({ length: 2000 }, (_, i) => isoDaysAgo(i));
  const date = (): string => dates[Math.floor(next() * dates.length)] ?? NOW;
  const contacts: ContactRecord[] = new Array<ContactRecord>(count);
  for (let i = 0; i < count; i++) {
    const email = `user${i}@example${i % 97}.nl`;
    const roll = next();
    let contact: ContactRecord;
    if (roll < 0.55) {
      const at = date();
      contact = {
        email,
        recipientKind: 'CONSUMER',
        method: 'WEB_DOI',
        senderEntityId: 'shop',
        scopeLists: ['news'],
        signupAt: at,
        signupIp: '203.0.113.1',
        signupUserAgent: 'Firefox',
        source: 'https://shop.nl/form',
        consentTextVersionId: 'text-3',
        confirmMailSentAt: at,
        confirmTokenId: `t${i}`,
        confirmedAt: at,
        confirmIp: '203.0.113.1',
        confirmUserAgent: 'Firefox',
      };
    } else if (roll < 0.8) {
      contact = {
        email,
        recipientKind: 'CONSUMER',
        method: 'CUSTOMER',
        senderEntityId: 'shop',
        scopeLists: 'ALL',
        orderRef: `o${i}`,
        orderPaid: next() < 0.95,
        lastPurchaseAt: date(),
        purchaseCategories: next() < 0.8 ? ['coffee'] : ['tea'],
        optOutOfferedAtCollection: next() < 0.9 ? 'YES' : 'UNKNOWN',
        collectionTextVersionId: 'checkout-1',
      };
    } else if (roll < 0.9) {
      contact = {
        email,
        recipientKind: 'UNKNOWN',
        method: 'WEB_SOI',
        senderEntityId: 'shop',
        scopeLists: ['news'],
        signupAt: date(),
        source: 'import',
        consentTextVersionId: 'text-1',
      };
    } else if (roll < 0.96) {
      contact =
        next() < 0.5
          ? {
              email,
              recipientKind: 'CONSUMER',
              method: 'IMPORTED_UNKNOWN',
              senderEntityId: 'shop',
              scopeLists: 'ALL',
              attestationId: 'att-1',
            }
          : {
              email: `info@b${i}.nl`,
              recipientKind: 'LEGAL_PERSON',
              method: 'B2B_PUBLISHED',
              senderEntityId: 'shop',
              scopeLists: 'ALL',
              publishedUrl: 'https://b.nl',
              publishedCapturedAt: date(),
              publishedPurpose: 'offers',
            };
    } else {
      contact = {
        email,
        recipientKind: 'CONSUMER',
        method: 'WEB_DOI',
        senderEntityId: 'shop',
        scopeLists: ['news'],
        signupAt: date(),
        confirmedAt: date(),
        unsubscribedAt: next() < 0.5 ? date() : undefined,
        hardBounceAt: next() < 0.3 ? date() : undefined,
        softBounces: [
          { at: isoDaysAgo(30), mailingId: 'a' },
          { at: isoDaysAgo(20), mailingId: 'b' },
          { at: isoDaysAgo(10), mailingId: 'c' },
        ],
      };
    }
    contacts[i] = contact;
  }
  return contacts;
}

/** The raw baseline: read the fields the rules read (and parse the dates they parse), nothing else. */
function baseline(contacts: readonly ContactRecord[]): number {
  let sum = 0;
  for (const contact of contacts) {
    if (
      contact.unsubscribedAt !== undefined ||
      contact.objectedAt !== undefined ||
      contact.complaintAt !== undefined
    )
      sum++;
    if (contact.hardBounceAt !== undefined) sum++;
    if (contact.senderEntityId === MAILING.senderEntityId) sum++;
    if (contact.scopeLists === 'ALL' || contact.scopeLists.includes(MAILING.listId)) sum++;
    switch (contact.method) {
      case 'WEB_DOI':
        if (contact.confirmedAt !== undefined) sum += Date.parse(contact.confirmedAt) > 0 ? 1 : 0;
        if (
          contact.signupIp !== undefined &&
          contact.confirmIp !== undefined &&
          contact.consentTextVersionId !== undefined
        )
          sum++;
        break;
      case 'CUSTOMER':
        if (contact.lastPurchaseAt !== undefined) sum += Date.parse(contact.lastPurchaseAt) > 0 ? 1 : 0;
        if (contact.orderPaid === true && contact.optOutOfferedAtCollection === 'YES') sum++;
        break;
      default:
        if (contact.signupAt !== undefined) sum += Date.parse(contact.signupAt) > 0 ? 1 : 0;
    }
  }
  return sum;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface Measurement {
  median: number;
  all: number[];
  /** Median CPU time (user + system) of this process: less disturbed than wall time on a shared machine. */
  cpuMedian: number;
}

function measure(run: () => unknown): Measurement {
  run(); // warm-up: JIT and caches
  const all: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = run();
    all.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
    if (result === undefined) throw new Error('the benchmark must use its result');
  }
  return { median: median(all), all, cpuMedian: median(cpu) };
}

function report(name: string, subject: Measurement, raw: Measurement, count: number): void {
  const rate = Math.round((count / subject.median) * 1000).toLocaleString('en-GB');
  const runs = subject.all.map((t) => t.toFixed(0)).join(', ');
  console.log(name);
  console.log(
    `  wall median ${subject.median.toFixed(1)} ms (${rate}/s; runs ${runs}); raw baseline ${raw.median.toFixed(1)} ms; ratio ${(subject.median / raw.median).toFixed(1)}x`,
  );
  console.log(
    `  cpu  median ${subject.cpuMedian.toFixed(1)} ms; raw baseline ${raw.cpuMedian.toFixed(1)} ms; ratio ${(subject.cpuMedian / raw.cpuMedian).toFixed(1)}x`,
  );
}

const contacts = generate(CONTACTS);
const recipients = contacts
  .slice(0, RECIPIENTS)
  .map((contact, i) => ({ contact, firstMarketingMailing: i % 10 === 0 }));
const load = loadavg()
  .map((value) => value.toFixed(1))
  .join(' ');
console.log(
  `node ${process.version}, ${RUNS} runs each after one warm-up, ${CONTACTS.toLocaleString('en-GB')} contacts; load average ${load} on ${cpus().length} cores`,
);

const rawAll = measure(() => baseline(contacts));
const classifier = measure(() => {
  const classify = createContactClassifier(MAILING, { now: NOW });
  let blocked = 0;
  for (const contact of contacts) if (classify(contact).classification === 'BLOCKED') blocked++;
  return blocked;
});
report('classify 1,000,000 contacts (createContactClassifier)', classifier, rawAll, CONTACTS);
const single = measure(() => {
  const options = { now: NOW };
  let blocked = 0;
  for (const contact of contacts)
    if (classifyContact(contact, MAILING, options).classification === 'BLOCKED') blocked++;
  return blocked;
});
report('classify 1,000,000 contacts (classifyContact per contact)', single, rawAll, CONTACTS);

const recipientContacts = recipients.map((r) => r.contact);
const rawAssess = measure(() => baseline(recipientContacts));
const assess = measure(() => assessMailing({ mailing: MAILING, facts: FACTS, recipients }, { now: NOW }));
report('assessMailing, 100,000 recipients', assess, rawAssess, RECIPIENTS);

const sample = assessMailing({ mailing: MAILING, facts: FACTS, recipients }, { now: NOW });
console.log(
  `  partition: ${JSON.stringify({ included: sample.counts.included, excluded: sample.counts.excluded, needsAcknowledgement: sample.counts.needsAcknowledgement })}`,
);
console.log(`  by class: ${JSON.stringify(sample.counts.byClassification)}`);
const verdict = (ms: number, limit: number): string => (ms < limit ? 'met' : 'NOT met');
console.log(
  `targets, wall: classify 1,000,000 < 2000 ms ${verdict(classifier.median, 2000)}; assess 100,000 < 1000 ms ${verdict(assess.median, 1000)}`,
);
console.log(
  `targets, cpu:  classify 1,000,000 < 2000 ms ${verdict(classifier.cpuMedian, 2000)}; assess 100,000 < 1000 ms ${verdict(assess.cpuMedian, 1000)}`,
);
