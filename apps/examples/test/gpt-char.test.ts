import { describe, expect, it } from 'vitest';
import { TEXT } from '../src/char-lm.js';
import { run } from '../src/gpt-char.js';

describe('GPT-style character model (causal TransformerEncoder)', () => {
  const result = run({ steps: 120 });

  it('learns: the loss per character falls far below chance and below a third of where it started', () => {
    expect(result.lastLoss).toBeLessThan(result.firstLoss / 3);
    expect(result.lastLoss).toBeLessThan(0.3 * result.chanceLoss);
  });

  it('is causal: later characters do not change earlier logits', () => {
    expect(result.leakage).toBeLessThan(1e-5);
  });

  it('writes mostly words of the rhyme', () => {
    expect(result.sample.startsWith('the ')).toBe(true);
    const known = new Set(TEXT.split(/[^a-z]+/).filter(Boolean));
    const words = result.sample.split(/[^a-z]+/).filter(Boolean).slice(0, -1);
    expect(words.filter((w) => known.has(w)).length).toBeGreaterThanOrEqual(0.6 * words.length);
  });
});
