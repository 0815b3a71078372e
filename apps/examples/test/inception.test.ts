import { Generator, zeros } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { InceptionBlock, run } from '../src/inception.js';

describe('inception blocks on the shipped 8×8 digits', () => {
  it('a block concatenates its four branches and keeps the spatial size', () => {
    const block = new InceptionBlock(5, [2, [3, 4], [1, 3], 2], new Generator(0));
    expect(block.call(zeros([2, 5, 6, 6])).shape).toEqual([2, 11, 6, 6]);
    expect(block.namedChildren().map(([n]) => n)).toEqual(['branch1', 'branch2', 'branch3', 'branch4']);
  });

  it('learns: held-out accuracy goes from chance to at least 90% in two epochs', () => {
    const result = run({ epochs: 2 });
    expect(result.accuracyBefore).toBeLessThan(0.3);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(result.lastLoss).toBeLessThan(result.firstLoss / 3);
    expect(result.channels).toEqual([28, 48]);
  });
});
