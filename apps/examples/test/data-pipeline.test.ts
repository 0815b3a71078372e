import { describe, expect, it } from 'vitest';
import { run } from '../src/data-pipeline.js';

describe('training from a streamed CSV and from shards', () => {
  it('learns the circle set from both, as from tensors in memory', async () => {
    const result = await run();
    expect(result.shards).toBe(5);
    expect(result.lastLoss).toBeLessThan(result.firstLoss);
    expect(result.streamedAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(result.shardedAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});
