import { describe, expect, it } from 'vitest';
import {
  HELD_OUT_2_DIR,
  HELD_OUT_DIR,
  judge,
  judgeCorpus,
  loadCorpus,
  REAL_WORLD_DIR,
  type Judgement,
} from './feedback-corpus.js';

const corpus = await loadCorpus();

/**
 * The held-out corpus as collected (fixtures/real-world-heldout/README.md) and its figures then, rounded down:
 * 58/61 detected, 52/61 alike, 60/63 recipients right.
 */
const HELD_OUT_MESSAGES = 61;
const HELD_OUT_FLOOR = { detected: 0.95, agreement: 0.85, recipientAccuracy: 0.95 };

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
    // Issue 16's targets, reached on 136 messages (130 alike; the six misses are listed in the README and
    // printed above). A new real-world message that drops the figure below them is a parser bug to fix.
    expect(figures.messages).toBeGreaterThanOrEqual(136);
    expect(figures.agreement).toBeGreaterThanOrEqual(0.95);
    expect(figures.recipientAccuracy).toBeGreaterThanOrEqual(0.99);
  });
});

/**
 * Messages from the same public source that the parser was never tuned on (fixtures/real-world-heldout/README.md):
 * the honest out-of-sample figure for issue 16.
 */
describe('the held-out real-world corpus', async () => {
  const heldOut = await loadCorpus(HELD_OUT_DIR, 'labels.json');

  it('is read like sisimai reads it at least as often as when it was collected', async () => {
    const { figures, judgements } = await judgeCorpus(heldOut);
    const { perFamily, misses } = summarise(judgements);
    console.info('held-out corpus', JSON.stringify(figures), JSON.stringify(perFamily));
    if (misses.length > 0) console.info(`held-out misses:\n${misses.join('\n')}`);
    // A floor at the figures measured when the set was collected (rounded down), not issue 16's 95% target:
    // these messages exist to measure the parser, so fixing a miss here would make them in-sample. The floor
    // only catches a change elsewhere that makes the parser worse on mail it has never seen.
    expect(figures.messages).toBeGreaterThanOrEqual(HELD_OUT_MESSAGES);
    expect(figures.detected).toBeGreaterThanOrEqual(HELD_OUT_FLOOR.detected);
    expect(figures.agreement).toBeGreaterThanOrEqual(HELD_OUT_FLOOR.agreement);
    expect(figures.recipientAccuracy).toBeGreaterThanOrEqual(HELD_OUT_FLOOR.recipientAccuracy);
  });
});

/**
 * The second held-out set (fixtures/real-world-heldout-2/README.md), collected after the first became
 * in-sample. Only its figures are printed, never which messages it misses: seeing them while changing the
 * parser would make this set in-sample as well. The floor is the blind figure when the set was collected,
 * rounded down: 63/63 detected, 50/63 alike, 63/67 recipients right.
 */
const HELD_OUT_2_MESSAGES = 63;
const HELD_OUT_2_FLOOR = { detected: 1, agreement: 0.79, recipientAccuracy: 0.94 };

describe('the second held-out real-world corpus', async () => {
  const heldOut2 = await loadCorpus(HELD_OUT_2_DIR, 'labels.json');

  it('is read like sisimai reads it at least as often as when it was last measured', async () => {
    const { figures } = await judgeCorpus(heldOut2);
    console.info('held-out-2 corpus', JSON.stringify(figures));
    expect(figures.messages).toBeGreaterThanOrEqual(HELD_OUT_2_MESSAGES);
    expect(figures.detected).toBeGreaterThanOrEqual(HELD_OUT_2_FLOOR.detected);
    expect(figures.agreement).toBeGreaterThanOrEqual(HELD_OUT_2_FLOOR.agreement);
    expect(figures.recipientAccuracy).toBeGreaterThanOrEqual(HELD_OUT_2_FLOOR.recipientAccuracy);
  });
});
