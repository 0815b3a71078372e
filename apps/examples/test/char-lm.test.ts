import { describe, expect, it } from 'vitest';
import { TEXT, run } from '../src/char-lm.js';

describe('character-level LSTM language model on a shipped rhyme', () => {
  const result = run({ sampleSeeds: [1, 1, 2] });

  it('learns: the loss per character falls clearly', () => {
    expect(result.lastLoss).toBeLessThan(0.5 * result.firstLoss);
  });

  it('samples the same text for the same seed and other text for another seed', () => {
    const [a, again, other] = result.samples;
    expect(again).toBe(a);
    expect(other).not.toBe(a);
    expect(a.startsWith('the ')).toBe(true);
    expect(a).toHaveLength(4 + 80);
  });

  it('writes mostly words of the rhyme', () => {
    const known = new Set(TEXT.split(/[^a-z]+/).filter(Boolean));
    // The last word may be cut off by the sample's length.
    const words = result.samples[0].split(/[^a-z]+/).filter(Boolean).slice(0, -1);
    expect(words.filter((w) => known.has(w)).length).toBeGreaterThanOrEqual(0.8 * words.length);
  });
});
