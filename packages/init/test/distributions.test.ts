import { DTypeError, Generator, ValueError, erf, manualSeed, tensor, zeros } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import * as init from '../src/index.js';
import { moments } from './helpers.js';

// 40 000 draws: the sample std of a mean is σ/200, so 1% of σ is a 2σ-or-more margin for every check below.
const SHAPE = [200, 200];
const gen = (seed = 7) => ({ generator: new Generator(seed) });

describe('basic fills', () => {
  it('constant_, zeros_, ones_ and their creating forms', () => {
    expect(init.constant_(zeros([2, 2]), 0.5).toFlatArray()).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(init.ones_(zeros([3], { dtype: 'int32' })).toFlatArray()).toEqual([1, 1, 1]);
    expect(init.zeros_(init.ones([2])).toFlatArray()).toEqual([0, 0]);
    const c = init.constant([2, 1], 3, { dtype: 'float64' });
    expect(c.dtype).toBe('float64');
    expect(c.shape).toEqual([2, 1]);
    expect(c.toFlatArray()).toEqual([3, 3]);
    expect(() => init.constant_(zeros([1]), Number.NaN)).toThrow(/constant_: value must be a finite number/);
  });

  it('uniform_ draws from [a, b) with mean (a+b)/2 and std (b−a)/√12', () => {
    const m = moments(init.uniform(SHAPE, { a: -3, b: 5, ...gen() }));
    expect(m.min).toBeGreaterThanOrEqual(-3);
    expect(m.max).toBeLessThan(5);
    expect(m.mean).toBeCloseTo(1, 1);
    expect(m.std).toBeCloseTo(8 / Math.sqrt(12), 1);
    expect(() => init.uniform([2], { a: 1, b: 0 })).toThrow(/uniform_: b must be a finite number ≥ 1, got 0/);
  });

  it('normal_ has the given mean and std', () => {
    const m = moments(init.normal(SHAPE, { mean: 2, std: 0.5, ...gen() }));
    expect(Math.abs(m.mean - 2)).toBeLessThan(0.01);
    expect(Math.abs(m.std - 0.5) / 0.5).toBeLessThan(0.01);
    expect(() => init.normal([2], { std: -1 })).toThrow(/normal_: std must be a finite number ≥ 0, got -1/);
  });

  it('random initializers refuse integer tensors, naming themselves', () => {
    expect(() => init.kaimingUniform_(zeros([2, 2], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => init.normal_(zeros([2], { dtype: 'int32' }))).toThrow(/normal_: needs a float32 or float64 tensor, got int32/);
  });
});

/** Mean and std of N(μ, σ²) truncated to [a, b], from the closed forms. */
function truncatedMoments(mu: number, sigma: number, a: number, b: number): { mean: number; std: number } {
  const pdf = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
  const cdf = (x: number) => (1 + erf(tensor([x / Math.SQRT2], 'float64')).item()) / 2;
  const alpha = (a - mu) / sigma;
  const beta = (b - mu) / sigma;
  const z = cdf(beta) - cdf(alpha);
  const shift = (pdf(alpha) - pdf(beta)) / z;
  const variance = 1 + (alpha * pdf(alpha) - beta * pdf(beta)) / z - shift * shift;
  return { mean: mu + sigma * shift, std: sigma * Math.sqrt(variance) };
}

describe('truncatedNormal_', () => {
  it.each([
    [0, 1, -2, 2],
    [1, 2, 0, 3],
    [0, 0.02, -0.04, 0.04],
  ])('N(%f, %f²) on [%f, %f] stays in bounds with the truncated mean and std', (mu, sigma, a, b) => {
    const m = moments(init.truncatedNormal(SHAPE, { mean: mu, std: sigma, a, b, dtype: 'float64', ...gen() }));
    const want = truncatedMoments(mu, sigma, a, b);
    expect(m.min).toBeGreaterThanOrEqual(a);
    expect(m.max).toBeLessThanOrEqual(b);
    expect(Math.abs(m.mean - want.mean)).toBeLessThan(0.01 * want.std);
    expect(Math.abs(m.std - want.std)).toBeLessThan(0.01 * want.std);
  });

  it('maps each uniform draw through the exact inverse CDF (float64 precision)', () => {
    const g = new Generator(3);
    const replay = g.clone();
    const x = init.truncatedNormal_(zeros([50], { dtype: 'float64' }), { generator: g });
    const lo = erf(tensor([-Math.SQRT2], 'float64')).item();
    const hi = -lo;
    const back = erf(x.div(Math.SQRT2)).dataSync();
    for (let i = 0; i < 50; i++) expect(back[i]).toBeCloseTo(lo + (hi - lo) * replay.random(), 13);
  });

  it('with std 0 gives the mean clamped into [a, b]', () => {
    expect(init.truncatedNormal([2], { mean: 5, std: 0, a: -1, b: 1 }).toFlatArray()).toEqual([1, 1]);
  });
});

describe('variance-scaling initializers', () => {
  const fanIn = 300;
  const fanOut = 150;
  const shape = [fanOut, fanIn];

  it('xavierUniform: U(±gain·√(6/(fanIn+fanOut)))', () => {
    const bound = (5 / 3) * Math.sqrt(6 / (fanIn + fanOut));
    const m = moments(init.xavierUniform(shape, { gain: 5 / 3, ...gen() }));
    expect(m.min).toBeGreaterThanOrEqual(-bound);
    expect(m.max).toBeLessThan(bound);
    expect(m.max).toBeGreaterThan(0.99 * bound);
    expect(Math.abs(m.std - bound / Math.sqrt(3)) / m.std).toBeLessThan(0.01);
  });

  it('xavierNormal: std gain·√(2/(fanIn+fanOut))', () => {
    const m = moments(init.xavierNormal(shape, { gain: 2, ...gen() }));
    expect(Math.abs(m.std - 2 * Math.sqrt(2 / (fanIn + fanOut))) / m.std).toBeLessThan(0.01);
    expect(Math.abs(m.mean)).toBeLessThan(0.01 * m.std);
  });

  it.each([
    ['fanIn', 'relu', 0, fanIn, Math.SQRT2],
    ['fanOut', 'relu', 0, fanOut, Math.SQRT2],
    ['fanIn', 'leaky_relu', Math.sqrt(5), fanIn, Math.sqrt(1 / 3)],
    ['fanIn', 'tanh', 0, fanIn, 5 / 3],
  ] as const)('kaimingUniform and kaimingNormal, mode %s, %s, a=%f: std gain/√fan', (mode, nonlinearity, a, fan, gain) => {
    const std = gain / Math.sqrt(fan);
    const u = moments(init.kaimingUniform(shape, { mode, nonlinearity, a, ...gen() }));
    expect(u.max).toBeLessThan(Math.sqrt(3) * std);
    expect(u.min).toBeGreaterThanOrEqual(-Math.sqrt(3) * std);
    expect(Math.abs(u.std - std) / std).toBeLessThan(0.01);
    const n = moments(init.kaimingNormal(shape, { mode, nonlinearity, a, ...gen() }));
    expect(Math.abs(n.std - std) / std).toBeLessThan(0.01);
  });

  it("kaiming's defaults (a=0, fanIn, leaky_relu) give bound √(6/fanIn); a=√5 gives PyTorch's Linear bound 1/√fanIn", () => {
    expect(moments(init.kaimingUniform(shape, gen())).max).toBeGreaterThan(0.99 * Math.sqrt(6 / fanIn));
    const linear = moments(init.kaimingUniform(shape, { a: Math.sqrt(5), ...gen() }));
    expect(linear.max).toBeLessThan(1 / Math.sqrt(fanIn));
    expect(linear.max).toBeGreaterThan(0.99 / Math.sqrt(fanIn));
  });

  it('lecunUniform: U(±√(3/fanIn)); lecunNormal: truncated at 2σ with std √(1/fanIn)', () => {
    const u = moments(init.lecunUniform(shape, gen()));
    expect(u.max).toBeLessThan(Math.sqrt(3 / fanIn));
    expect(Math.abs(u.std - Math.sqrt(1 / fanIn)) * Math.sqrt(fanIn)).toBeLessThan(0.01);
    const n = moments(init.lecunNormal(shape, gen()));
    const sigma = Math.sqrt(1 / fanIn) / 0.8796256610342398;
    expect(n.max).toBeLessThanOrEqual(2 * sigma);
    expect(n.min).toBeGreaterThanOrEqual(-2 * sigma);
    expect(Math.abs(n.std - Math.sqrt(1 / fanIn)) * Math.sqrt(fanIn)).toBeLessThan(0.01);
  });

  it('uses the receptive field of convolution weights', () => {
    const m = moments(init.kaimingNormal([64, 16, 3, 3], { nonlinearity: 'relu', ...gen() }));
    expect(Math.abs(m.std - Math.SQRT2 / Math.sqrt(16 * 9)) / m.std).toBeLessThan(0.02);
  });

  it('names the bad option', () => {
    expect(() => init.kaimingUniform([3, 3], { mode: 'fan_in' as never })).toThrow(/kaimingUniform_: mode must be 'fanIn' or 'fanOut', got "fan_in"/);
    expect(() => init.xavierNormal([3, 3], { gain: Number.POSITIVE_INFINITY })).toThrow(/xavierNormal_: gain must be a finite number/);
    expect(() => init.xavierUniform([3])).toThrow(ValueError);
  });

  it('Glorot and He are the same functions as Xavier and Kaiming', () => {
    expect(init.glorotUniform).toBe(init.xavierUniform);
    expect(init.glorotNormal_).toBe(init.xavierNormal_);
    expect(init.heUniform).toBe(init.kaimingUniform);
    expect(init.heNormal_).toBe(init.kaimingNormal_);
  });
});

describe('reproducibility', () => {
  const all = {
    uniform: init.uniform,
    normal: init.normal,
    truncatedNormal: init.truncatedNormal,
    xavierUniform: init.xavierUniform,
    xavierNormal: init.xavierNormal,
    kaimingUniform: init.kaimingUniform,
    kaimingNormal: init.kaimingNormal,
    lecunUniform: init.lecunUniform,
    lecunNormal: init.lecunNormal,
    orthogonal: init.orthogonal,
  };
  for (const [name, create] of Object.entries(all)) {
    it(`${name}: same seed gives the same numbers, another seed others; in place equals creating`, () => {
      const a = create([5, 4], gen(11)).toFlatArray();
      expect(create([5, 4], gen(11)).toFlatArray()).toEqual(a);
      expect(create([5, 4], gen(12)).toFlatArray()).not.toEqual(a);
      const inPlace = (init as unknown as Record<string, (t: unknown, o: unknown) => { toFlatArray(): number[] }>)[`${name}_`];
      expect(inPlace(zeros([5, 4]), gen(11)).toFlatArray()).toEqual(a);
      manualSeed(5);
      const fromDefault = create([5, 4]).toFlatArray();
      manualSeed(5);
      expect(create([5, 4]).toFlatArray()).toEqual(fromDefault);
    });
  }
});
