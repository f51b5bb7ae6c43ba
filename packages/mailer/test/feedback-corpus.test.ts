import { describe, expect, it } from 'vitest';
import { judge, loadCorpus, type Judgement } from './feedback-corpus.js';

const corpus = await loadCorpus();
const families = [...new Set(corpus.map((entry) => entry.file.split('/')[0] ?? ''))];

describe.each(families)('the %s family of the fixture corpus', (family) => {
  it.each(corpus.filter((entry) => entry.file.startsWith(`${family}/`)).map((entry) => [entry.file, entry]))(
    '%s is read like its label says',
    async (_file, entry) => {
      const judgement = await judge(entry);
      expect(judgement.problems).toEqual([]);
    },
  );
});

describe('the whole fixture corpus', () => {
  it('is detected and classified hard/soft/blocked/complaint like its labels in at least 95%, recipients right in 99%', async () => {
    const judgements: Judgement[] = [];
    for (const entry of corpus) judgements.push(await judge(entry));
    const agreed = judgements.filter((j) => j.agrees).length;
    const expected = judgements.reduce((sum, j) => sum + j.recipientsExpected, 0);
    const right = judgements.reduce((sum, j) => sum + j.recipientsRight, 0);
    const figures = {
      messages: judgements.length,
      detected: judgements.filter((j) => j.detected).length,
      agreement: agreed / judgements.length,
      recipients: expected,
      recipientAccuracy: right / expected,
    };
    // Printed so the figure can be quoted (CI log); the assertion is the target of issue 16.
    console.info('feedback corpus', JSON.stringify(figures));
    expect(figures.messages).toBeGreaterThanOrEqual(70);
    expect(figures.agreement).toBeGreaterThanOrEqual(0.95);
    expect(figures.recipientAccuracy).toBeGreaterThanOrEqual(0.99);
  });
});
