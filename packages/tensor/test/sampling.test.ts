import { describe, expect, it } from 'vitest';
import { Generator, bernoulli, categorical, multinomial, tensor, type Tensor } from '../src/index.js';

const counts = (t: Tensor, k: number): number[] => {
  const c = new Array<number>(k).fill(0);
  for (const v of t.dataSync()) c[v]++;
  return c;
};
// With n = 20000 draws a frequency's standard deviation is at most 0.0036; 0.015 is over 4 of them.
const N = 20000;
const expectFrequencies = (c: number[], probs: number[]): void => {
  const n = c.reduce((a, b) => a + b, 0);
  probs.forEach((p, i) => expect(Math.abs(c[i] / n - p), `category ${i}: ${c[i] / n} vs ${p}`).toBeLessThan(0.015));
};

describe('multinomial', () => {
  const weights = tensor([1, 2, 3, 4]);
  it('gives the same samples for the same seed, and other samples for another', () => {
    const a = multinomial(weights, 50, true, { generator: new Generator(3) });
    const b = multinomial(weights, 50, true, { generator: new Generator(3) });
    const c = multinomial(weights, 50, true, { generator: new Generator(4) });
    expect(a.dtype).toBe('int32');
    expect(a.toArray()).toEqual(b.toArray());
    expect(a.toArray()).not.toEqual(c.toArray());
  });
  it('draws with replacement at the frequencies of the normalized weights', () => {
    expectFrequencies(counts(multinomial(weights, N, true, { generator: new Generator(11) }), 4), [0.1, 0.2, 0.3, 0.4]);
  });
  it('never draws a zero weight', () => {
    const c = counts(multinomial(tensor([0, 1, 0, 3]), 2000, true, { generator: new Generator(5) }), 4);
    expect(c[0] + c[2]).toBe(0);
  });
  it('draws distinct categories without replacement; the first draw follows the weights', () => {
    const g = new Generator(12);
    const firsts: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const s = Array.from(multinomial(weights, 4, false, { generator: g }).dataSync());
      expect([...s].sort()).toEqual([0, 1, 2, 3]);
      firsts.push(s[0]);
    }
    const c = [0, 0, 0, 0];
    for (const f of firsts) c[f]++;
    // 4000 draws: standard deviation at most 0.008, so allow 0.035.
    [0.1, 0.2, 0.3, 0.4].forEach((p, i) => expect(Math.abs(c[i] / 4000 - p)).toBeLessThan(0.035));
  });
  it('samples each row of a 2-d tensor', () => {
    const s = multinomial(tensor([[1, 0, 0], [0, 0, 1]]), 3, true, { generator: new Generator(1) });
    expect(s.shape).toEqual([2, 3]);
    expect(s.toArray()).toEqual([[0, 0, 0], [2, 2, 2]]);
    expect(tensor([0.5, 0.5]).multinomial(2, false, { generator: new Generator(1) }).shape).toEqual([2]);
  });
  it('rejects bad weights and sample counts, naming the problem', () => {
    expect(() => multinomial(tensor([1, -1]), 1)).toThrow(/multinomial: weight -1 of row 0, category 1 must be finite and non-negative/);
    expect(() => multinomial(tensor([0, 0]), 1)).toThrow(/sum to 0/);
    expect(() => multinomial(tensor([1, 0, 1]), 3)).toThrow(/only 2 positive weight/);
    expect(() => multinomial(tensor([1, 1]), 0)).toThrow(/numSamples must be a positive integer/);
    expect(() => multinomial(tensor([[[1]]]), 1)).toThrow(/1-d or 2-d/);
  });
});

describe('categorical', () => {
  it('samples from probabilities and from logits with shape [...sampleShape, ...batch]', () => {
    const probs = tensor([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]);
    const s = categorical({ probs }, [5, 4], { generator: new Generator(2) });
    expect(s.shape).toEqual([5, 4, 2]);
    const logits = tensor([Math.log(0.5), Math.log(0.25), Math.log(0.25)]);
    const draws = categorical({ logits }, [N], { generator: new Generator(9) });
    expect(draws.shape).toEqual([N]);
    expectFrequencies(counts(draws, 3), [0.5, 0.25, 0.25]);
  });
  it('draws each batch entry from its own row', () => {
    const s = categorical({ probs: tensor([[1, 0], [0, 1]]) }, [3], { generator: new Generator(0) });
    expect(s.toArray()).toEqual([[0, 1], [0, 1], [0, 1]]);
  });
  it('is reproducible with the same seed', () => {
    const logits = tensor([0.3, -1, 2, 0]);
    const a = categorical({ logits }, [30], { generator: new Generator(8) });
    expect(a.toArray()).toEqual(categorical({ logits }, [30], { generator: new Generator(8) }).toArray());
  });
  it('needs exactly one of probs and logits', () => {
    expect(() => categorical({} as never)).toThrow(/categorical: give exactly one of/);
  });
});

describe('bernoulli with a tensor of probabilities', () => {
  it('is reproducible and its frequencies match each probability', () => {
    const p = tensor([0.1, 0.5, 0.9]);
    const a = bernoulli(p.reshape([1, 3]).expand([N, 3]), undefined, { generator: new Generator(4) });
    expect(a.toArray()).toEqual(bernoulli(p.reshape([1, 3]).expand([N, 3]), undefined, { generator: new Generator(4) }).toArray());
    const means = a.mean(0).dataSync();
    [0.1, 0.5, 0.9].forEach((q, i) => expect(Math.abs(means[i] - q)).toBeLessThan(0.015));
    expect(p.bernoulli({ generator: new Generator(1) }).shape).toEqual([3]);
  });
});
