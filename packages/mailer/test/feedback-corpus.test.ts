import { describe, expect, it } from 'vitest';
import {
  HELD_OUT_2_DIR,
  HELD_OUT_3_DIR,
  HELD_OUT_4_DIR,
  HELD_OUT_DIR,
  judge,
  judgeCorpus,
  loadCorpus,
  REAL_WORLD_DIR,
  type Judgement,
} from './feedback-corpus.js';

const corpus = await loadCorpus();

/**
 * The first held-out corpus (fixtures/real-world-heldout/README.md). It was out-of-sample until the parser was
 * changed on its misses (the general rules in that README), so it is in-sample now and its floor is the
 * figure after those changes, rounded down: 61/61 detected, 60/61 alike, 63/63 recipients right.
 */
const HELD_OUT_MESSAGES = 61;
const HELD_OUT_FLOOR = { detected: 1, agreement: 0.98, recipientAccuracy: 1 };

/** Per family `alike/total`, and every message read differently, for the CI log. */
function summarise(judgements: Judgement[]): { perFamily: Record<string, string>; misses: string[] } {
  const byFamily = new Map<string, Judgement[]>();
  for (const judgement of judgements) {
    const family = judgement.entry.file.split('/')[0] ?? '';
    byFamily.set(family, [...(byFamily.get(family) ?? []), judgement]);
  }
  const perFamily = Object.fromEntries(
    [...byFamily].map(([family, list]) => [family, `${list.filter((j) => j.agrees).length}/${list.length}`]),
  );
  const misses = judgements.filter((j) => !j.agrees).map((j) => `${j.entry.file}: ${j.problems.join('; ')}`);
  return { perFamily, misses };
}

const families = [...new Set(corpus.entries.map((entry) => entry.file.split('/')[0] ?? ''))];

describe.each(families)('the %s family of the fixture corpus', (family) => {
  it.each(
    corpus.entries.filter((entry) => entry.file.startsWith(`${family}/`)).map((entry) => [entry.file, entry]),
  )('%s is read like its label says', async (_file, entry) => {
    const judgement = await judge(entry, corpus.dir);
    expect(judgement.problems).toEqual([]);
  });
});

describe('the whole fixture corpus', () => {
  it('is detected and classified hard/soft/blocked/complaint like its labels in at least 95%, recipients right in 99%', async () => {
    const { figures } = await judgeCorpus(corpus);
    // Printed so the figure can be quoted (CI log); the assertion is the target of issue 16.
    console.info('feedback corpus', JSON.stringify(figures));
    expect(figures.messages).toBeGreaterThanOrEqual(70);
    expect(figures.agreement).toBeGreaterThanOrEqual(0.95);
    expect(figures.recipientAccuracy).toBeGreaterThanOrEqual(0.99);
  });
});

/**
 * Real reports from sisimai's public set-of-emails, labelled with sisimai's own expected reasons
 * (fixtures/real-world/README.md): a measurement on mail the parser was not written from.
 */
describe('the real-world corpus', async () => {
  const realWorld = await loadCorpus(REAL_WORLD_DIR, 'labels.json');

  it('agrees with the reference classifier (sisimai) in at least 95% of the messages, recipients right in 99%', async () => {
    const { figures, judgements } = await judgeCorpus(realWorld);
    const { perFamily, misses } = summarise(judgements);
    console.info('real-world corpus', JSON.stringify(figures), JSON.stringify(perFamily));
    if (misses.length > 0) console.info(`real-world misses:\n${misses.join('\n')}`);
    // Issue 16's targets, reached on 136 messages (131 alike; the five misses are listed in the README and
    // printed above). A new real-world message that drops the figure below them is a parser bug to fix.
    expect(figures.messages).toBeGreaterThanOrEqual(136);
    expect(figures.agreement).toBeGreaterThanOrEqual(0.95);
    expect(figures.recipientAccuracy).toBeGreaterThanOrEqual(0.99);
  });
});

/**
 * Messages from the same public source collected after the parser was tuned on the real-world set
 * (fixtures/real-world-heldout/README.md); in-sample since the parser was changed on its misses.
 */
describe('the held-out real-world corpus', async () => {
  const heldOut = await loadCorpus(HELD_OUT_DIR, 'labels.json');

  it('is read like sisimai reads it at least as often as after the rules found on it', async () => {
    const { figures, judgements } = await judgeCorpus(heldOut);
    const { perFamily, misses } = summarise(judgements);
    console.info('held-out corpus', JSON.stringify(figures), JSON.stringify(perFamily));
    if (misses.length > 0) console.info(`held-out misses:\n${misses.join('\n')}`);
    // In-sample since its misses were fixed with general rules; the out-of-sample figure is now the second
    // held-out set's. A drop below this floor is a regression of one of those rules.
    expect(figures.messages).toBeGreaterThanOrEqual(HELD_OUT_MESSAGES);
    expect(figures.detected).toBeGreaterThanOrEqual(HELD_OUT_FLOOR.detected);
    expect(figures.agreement).toBeGreaterThanOrEqual(HELD_OUT_FLOOR.agreement);
    expect(figures.recipientAccuracy).toBeGreaterThanOrEqual(HELD_OUT_FLOOR.recipientAccuracy);
  });
});

/**
 * The second held-out set (fixtures/real-world-heldout-2/README.md). It was out-of-sample (77.8% alike blind)
 * until the parser was changed on its misses, so it is in-sample now and its floor is the figure after those
 * changes, rounded down: 63/63 detected, 59/63 alike, 67/67 recipients right.
 */
const HELD_OUT_2_MESSAGES = 63;
const HELD_OUT_2_FLOOR = { detected: 1, agreement: 0.93, recipientAccuracy: 1 };

describe('the second held-out real-world corpus', async () => {
  const heldOut2 = await loadCorpus(HELD_OUT_2_DIR, 'labels.json');

  it('is read like sisimai reads it at least as often as after the rules found on it', async () => {
    const { figures, judgements } = await judgeCorpus(heldOut2);
    const { perFamily, misses } = summarise(judgements);
    console.info('held-out-2 corpus', JSON.stringify(figures), JSON.stringify(perFamily));
    if (misses.length > 0) console.info(`held-out-2 misses:\n${misses.join('\n')}`);
    expect(figures.messages).toBeGreaterThanOrEqual(HELD_OUT_2_MESSAGES);
    expect(figures.detected).toBeGreaterThanOrEqual(HELD_OUT_2_FLOOR.detected);
    expect(figures.agreement).toBeGreaterThanOrEqual(HELD_OUT_2_FLOOR.agreement);
    expect(figures.recipientAccuracy).toBeGreaterThanOrEqual(HELD_OUT_2_FLOOR.recipientAccuracy);
  });
});

/**
 * The third held-out set (fixtures/real-world-heldout-3/README.md). It was out-of-sample (80.4% alike blind) until
 * the parser was changed on its misses, so it is in-sample now and its floor is the figure after those changes,
 * rounded down: 51/51 detected, 48/51 alike, 53/53 recipients right.
 */
const HELD_OUT_3_MESSAGES = 51;
const HELD_OUT_3_FLOOR = { detected: 1, agreement: 0.94, recipientAccuracy: 1 };

describe('the third held-out real-world corpus', async () => {
  const heldOut3 = await loadCorpus(HELD_OUT_3_DIR, 'labels.json');

  it('is read like sisimai reads it at least as often as after the rules found on it', async () => {
    const { figures, judgements } = await judgeCorpus(heldOut3);
    const { perFamily, misses } = summarise(judgements);
    console.info('held-out-3 corpus', JSON.stringify(figures), JSON.stringify(perFamily));
    if (misses.length > 0) console.info(`held-out-3 misses:\n${misses.join('\n')}`);
    expect(figures.messages).toBeGreaterThanOrEqual(HELD_OUT_3_MESSAGES);
    expect(figures.detected).toBeGreaterThanOrEqual(HELD_OUT_3_FLOOR.detected);
    expect(figures.agreement).toBeGreaterThanOrEqual(HELD_OUT_3_FLOOR.agreement);
    expect(figures.recipientAccuracy).toBeGreaterThanOrEqual(HELD_OUT_3_FLOOR.recipientAccuracy);
  });
});

/**
 * The fourth held-out set (fixtures/real-world-heldout-4/README.md), collected before held-out-3's misses were
 * looked at. Like the third was, only its figures are printed, never which messages it misses.
 */
const HELD_OUT_4_MESSAGES = 10;
/**
 * The figure measured once, blind, after the rules found on held-out-3 (10/10 detected, 9/10 alike, 11/11
 * recipients). It is the estimate for mail the parser was not written from, coarse with 10 messages; raising it
 * needs a new blind set, not fixes made here.
 */
const HELD_OUT_4_FLOOR = { detected: 1, agreement: 0.9, recipientAccuracy: 1 };

describe('the fourth held-out real-world corpus', async () => {
  const heldOut4 = await loadCorpus(HELD_OUT_4_DIR, 'labels.json');

  it('is read like sisimai reads it at least as often as when it was measured', async () => {
    const { figures } = await judgeCorpus(heldOut4);
    console.info('held-out-4 corpus', JSON.stringify(figures));
    expect(figures.messages).toBeGreaterThanOrEqual(HELD_OUT_4_MESSAGES);
    expect(figures.detected).toBeGreaterThanOrEqual(HELD_OUT_4_FLOOR.detected);
    expect(figures.agreement).toBeGreaterThanOrEqual(HELD_OUT_4_FLOOR.agreement);
    expect(figures.recipientAccuracy).toBeGreaterThanOrEqual(HELD_OUT_4_FLOOR.recipientAccuracy);
  });
});
