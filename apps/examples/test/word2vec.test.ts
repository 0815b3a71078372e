import { describe, expect, it } from 'vitest';
import { run } from '../src/word2vec.js';

describe('word2vec skip-gram on a corpus of topics', () => {
  it.each(['hierarchical', 'negative'] as const)('with %s output, puts words of one topic nearer each other than words of different topics', (output) => {
    const result = run({ output });
    expect(result.lastLoss).toBeLessThan(result.firstLoss);
    expect(result.sameTopicSimilarity).toBeGreaterThan(result.otherTopicSimilarity + 0.3);
    expect(result.nearestNeighbourInTopic).toBeGreaterThanOrEqual(0.9);
  });
});
