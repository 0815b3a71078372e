import { describe, expect, it } from 'vitest';
import type { Tensor } from '@backprop/tensor';
import { blobs, circle, gaussians, moons, multiGaussian, plane, spiral, xor, type SyntheticData } from '../src/index.js';

const points = ({ x }: SyntheticData): [number, number][] =>
  Array.from({ length: x.shape[0] }, (_, i) => [x.dataSync()[2 * i], x.dataSync()[2 * i + 1]]);
const counts = (y: Tensor, k: number): number[] => Array.from({ length: k }, (_, c) => Array.from(y.dataSync()).filter((v) => v === c).length);

const generators = { circle, xor, gaussians, spiral, plane, multiGaussian, moons, blobs: (n: number, o: object) => blobs(3, n, o) };

describe('synthetic sets: shapes and determinism', () => {
  for (const [name, make] of Object.entries(generators)) {
    it(`${name}: x float32 [n, 2], y [n], same seed same data, other seed other data`, () => {
      const a = make(101, { noise: 0.1, seed: 3 });
      expect(a.x.shape).toEqual([101, 2]);
      expect(a.x.dtype).toBe('float32');
      expect(a.y.shape).toEqual([101]);
      expect(a.y.dtype).toBe(name === 'plane' || name === 'multiGaussian' ? 'float32' : 'int32');
      const b = make(101, { noise: 0.1, seed: 3 });
      expect(b.x.toArray()).toEqual(a.x.toArray());
      expect(b.y.toArray()).toEqual(a.y.toArray());
      expect(make(101, { noise: 0.1, seed: 4 }).x.toArray()).not.toEqual(a.x.toArray());
      points(a).forEach(([p, q]) => expect(Math.max(Math.abs(p), Math.abs(q))).toBeLessThanOrEqual(6.6));
    });
  }

  it('validates n and noise', () => {
    expect(() => circle(0)).toThrow(/circle: n must be a positive integer, got 0/);
    expect(() => xor(10, { noise: -1 })).toThrow(/xor: noise must be a finite number ≥ 0, got -1/);
    expect(() => blobs(1)).toThrow(/blobs: nClasses must be an integer ≥ 2, got 1/);
  });
});

describe('synthetic sets: geometry', () => {
  it('circle: class 0 inside radius 2.5, class 1 in the ring 3.5..5; noise flips labels near the border only', () => {
    const clean = circle(400, { seed: 0 });
    expect(counts(clean.y, 2)).toEqual([200, 200]);
    points(clean).forEach(([p, q], i) => {
      const r = Math.hypot(p, q);
      if (clean.y.dataSync()[i] === 0) expect(r).toBeLessThan(2.5);
      else expect(r >= 3.5 - 1e-5 && r <= 5 + 1e-5).toBe(true);
    });
    const noisy = circle(400, { noise: 0.3, seed: 0 });
    const flipped = points(noisy).filter(([p, q], i) => (Math.hypot(p, q) < 2.5 ? 0 : 1) !== noisy.y.dataSync()[i]).length;
    expect(flipped).toBeGreaterThan(0);
    expect(flipped).toBeLessThan(200);
  });

  it('xor: class 1 exactly where x1·x2 < 0 without noise, points kept 0.3 from the axes', () => {
    const { x, y } = xor(500, { seed: 1 });
    points({ x, y }).forEach(([p, q], i) => {
      expect(y.dataSync()[i]).toBe(p * q < 0 ? 1 : 0);
      expect(Math.min(Math.abs(p), Math.abs(q))).toBeGreaterThanOrEqual(0.3 - 1e-6);
      expect(Math.max(Math.abs(p), Math.abs(q))).toBeLessThanOrEqual(5.3 + 1e-6);
    });
    const [c0, c1] = counts(y, 2);
    expect(Math.min(c0, c1)).toBeGreaterThan(200);
  });

  it('gaussians: clouds around (−2, −2) and (2, 2) whose spread grows with noise', () => {
    const spread = (noise: number): number => {
      const d = gaussians(2000, { noise, seed: 2 });
      const ps = points(d);
      const m0 = ps.filter((_, i) => d.y.dataSync()[i] === 0).reduce((s, [p, q]) => [s[0] + p / 1000, s[1] + q / 1000], [0, 0]);
      expect(m0[0]).toBeCloseTo(-2, 0);
      expect(m0[1]).toBeCloseTo(-2, 0);
      return ps.reduce((s, [p], i) => s + (p - (d.y.dataSync()[i] === 0 ? -2 : 2)) ** 2, 0) / 2000;
    };
    expect(spread(0)).toBeCloseTo(0.5, 1); // the playground's variance 0.5 at noise 0 …
    expect(spread(0.5)).toBeCloseTo(4, 0); // … and 4 at noise 0.5
  });

  it('spiral: two arms of radius up to 5, one the other turned by π', () => {
    const d = spiral(200, { seed: 0 });
    const ps = points(d);
    expect(counts(d.y, 2)).toEqual([100, 100]);
    for (let i = 0; i < 100; i++) {
      expect(Math.hypot(...ps[i])).toBeLessThan(5);
      expect(ps[100 + i][0]).toBeCloseTo(-ps[i][0], 5);
      expect(ps[100 + i][1]).toBeCloseTo(-ps[i][1], 5);
    }
  });

  it('plane: y = (x1 + x2) / 10 without noise; multiGaussian: ±1 at the bump centres, 0 far away', () => {
    const p = plane(300, { seed: 5 });
    points(p).forEach(([a, b], i) => expect(p.y.dataSync()[i]).toBeCloseTo((a + b) / 10, 5));
    const m = multiGaussian(3000, { seed: 6 });
    let nearPositive = 0;
    let nearNegative = 0;
    points(m).forEach(([a, b], i) => {
      const v = m.y.dataSync()[i];
      expect(Math.abs(v)).toBeLessThanOrEqual(1);
      if (Math.hypot(a + 4, b - 2.5) < 0.3) {
        nearPositive++;
        expect(v).toBeGreaterThan(0.84);
      }
      if (Math.hypot(a, b - 2.5) < 0.3) {
        nearNegative++;
        expect(v).toBeLessThan(-0.84);
      }
      if (Math.abs(b) < 0.4) expect(v).toBe(0); // every bump is 2.5 above or below the axis, radius 2
    });
    expect(Math.min(nearPositive, nearNegative)).toBeGreaterThan(0);
  });

  it('moons: two half circles without noise', () => {
    const d = moons(100, { seed: 0 });
    expect(counts(d.y, 2)).toEqual([50, 50]);
    points(d).forEach(([a, b], i) => {
      const r = d.y.dataSync()[i] === 0 ? Math.hypot(a, b) : Math.hypot(a - 1, b - 0.5);
      expect(r).toBeCloseTo(1, 5);
      expect(d.y.dataSync()[i] === 0 ? b >= -1e-6 : b <= 0.5 + 1e-6).toBe(true);
    });
  });

  it('blobs: every point is nearest its own centre (linearly separable), even with large noise', () => {
    for (const k of [2, 3, 5]) {
      const d = blobs(k, 301, { noise: 3, seed: k });
      expect(counts(d.y, k).reduce((a, b) => a + b, 0)).toBe(301);
      expect(Math.max(...counts(d.y, k)) - Math.min(...counts(d.y, k))).toBeLessThanOrEqual(1);
      const centres = Array.from({ length: k }, (_, c) => [3 * Math.cos((2 * Math.PI * c) / k), 3 * Math.sin((2 * Math.PI * c) / k)]);
      points(d).forEach(([a, b], i) => {
        const dists = centres.map(([cx, cy]) => Math.hypot(a - cx, b - cy));
        expect(dists.indexOf(Math.min(...dists))).toBe(d.y.dataSync()[i]);
      });
    }
  });
});
