import { describe, expect, it } from 'vitest';
import { run } from '../src/nearest-neighbours.js';

describe('nearest neighbours of embeddings by topk of cosineSimilarity', () => {
  it.each([0, 1, 2])('finds exactly the items of each group (seed %i), where Euclidean distance does not', (seed) => {
    const result = run({ seed });
    expect(result.cosineAccuracy).toBe(1);
    expect(result.euclideanAccuracy).toBeLessThan(0.9);
    result.names.forEach((name, i) => {
      const group = name.split('-')[0];
      expect(result.neighbours[i]).toHaveLength(3);
      expect(result.neighbours[i].every((n) => n.startsWith(`${group}-`) && n !== name)).toBe(true);
    });
  });
});
