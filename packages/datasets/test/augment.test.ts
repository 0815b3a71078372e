import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '@backprop/tensor';
import { GaussianNoise, Standardize, compose, oneHot, randomCrop, randomHorizontalFlip, randomShift } from '../src/index.js';

/** N images [N, 1, 5, 5], each zero except a 1 at (2, 2), so every move is visible. */
const dots = (n: number): Tensor => {
  const data = new Float32Array(n * 25);
  for (let i = 0; i < n; i++) data[i * 25 + 12] = 1;
  return new Tensor(data, [n, 1, 5, 5], 'float32');
};
const dotPositions = (t: Tensor): [number, number][] => {
  const [n, , h, w] = t.shape;
  return Array.from({ length: n }, (_, i) => {
    const k = Array.from(t.dataSync().subarray(i * h * w, (i + 1) * h * w)).indexOf(1);
    return [Math.floor(k / w), k % w];
  });
};

describe('oneHot', () => {
  it('encodes labels as float32 rows with numClasses columns', () => {
    expect(oneHot(tensor([0, 2, 1], 'int32'), 3).toArray()).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    const inferred = oneHot([1, 3]);
    expect(inferred.shape).toEqual([2, 4]);
    expect(inferred.dtype).toBe('float32');
    expect(oneHot(tensor([[0], [1]], 'int32'), 2, { dtype: 'int32' }).shape).toEqual([2, 1, 2]);
    expect(() => oneHot([0, 3], 3)).toThrow(/label 3 does not fit numClasses 3/);
    expect(() => oneHot([0.5])).toThrow(/label 0.5 at index 0 is not a non-negative integer/);
  });
});

describe('GaussianNoise', () => {
  it('adds noise of the given std, reproducibly for a seed and freshly on every call', () => {
    const x = tensor(new Float32Array(20000), [100, 200]);
    const noise = new GaussianNoise(0.5, { seed: 1 });
    const a = noise.transform(x);
    const values = Array.from(a.dataSync());
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(std).toBeGreaterThan(0.49);
    expect(std).toBeLessThan(0.51);
    expect(noise.transform(x).toArray()).not.toEqual(a.toArray());
    expect(new GaussianNoise(0.5, { seed: 1 }).transform(x).toArray()).toEqual(a.toArray());
    expect(() => new GaussianNoise(-1)).toThrow(/std must be ≥ 0, got -1/);
  });
});

describe('image augmentation', () => {
  it('randomCrop pads with zeros and crops every image on its own', () => {
    const crop = randomCrop(5, 2, { seed: 0 });
    const out = crop(dots(40));
    expect(out.shape).toEqual([40, 1, 5, 5]);
    const moved = dotPositions(out);
    moved.forEach(([r, c]) => {
      expect(Math.abs(r - 2)).toBeLessThanOrEqual(2);
      expect(Math.abs(c - 2)).toBeLessThanOrEqual(2);
    });
    expect(new Set(moved.map(String)).size).toBeGreaterThan(5);
    expect(dotPositions(randomCrop(5, 2, { seed: 0 })(dots(40)))).toEqual(moved);
    expect(randomCrop(5)(dots(2)).toArray()).toEqual(dots(2).toArray());
    expect(randomCrop([3, 2], 0, { seed: 1 })(dots(1).reshape([1, 5, 5])).shape).toEqual([1, 3, 2]);
    expect(() => crop(tensor([[1]]))).toThrow(/randomCrop: expected images \[C, H, W\] or \[N, C, H, W\], got \[1, 1\]/);
    expect(() => randomCrop(10, 2)(dots(1))).toThrow(/crop 10×10 is larger than the padded image 9×9/);
  });

  it('randomHorizontalFlip mirrors with probability p', () => {
    const img = tensor([[[1, 2, 3], [4, 5, 6]]]);
    expect(randomHorizontalFlip(1)(img).toArray()).toEqual([[[3, 2, 1], [6, 5, 4]]]);
    expect(randomHorizontalFlip(0)(img).toArray()).toEqual(img.toArray());
    const batch = new Tensor(new Float32Array(1000 * 3).map((_, i) => i % 3), [1000, 1, 1, 3], 'float32');
    const flipped = randomHorizontalFlip(0.3, { seed: 2 })(batch);
    const count = Array.from({ length: 1000 }, (_, i) => flipped.dataSync()[i * 3]).filter((v) => v === 2).length;
    expect(count).toBeGreaterThan(250);
    expect(count).toBeLessThan(350);
    expect(randomHorizontalFlip(0.3, { seed: 2 })(batch).toArray()).toEqual(flipped.toArray());
  });

  it('randomShift moves content by at most maxShift, filling with zeros', () => {
    const out = randomShift(1, { seed: 3 })(dots(30));
    const moved = dotPositions(out);
    moved.forEach(([r, c]) => {
      expect(Math.abs(r - 2)).toBeLessThanOrEqual(1);
      expect(Math.abs(c - 2)).toBeLessThanOrEqual(1);
    });
    expect(new Set(moved.map(String)).size).toBe(9);
    expect(Array.from(out.dataSync()).reduce((s, v) => s + v, 0)).toBe(30);
    expect(randomShift(0)(dots(2)).toArray()).toEqual(dots(2).toArray());
    expect(randomShift(1, { seed: 3 })(dots(30)).toArray()).toEqual(out.toArray());
  });

  it('compose chains functions and fitted transforms', () => {
    const scaler = new Standardize().fit(tensor([[0], [2]]));
    const pipeline = compose((x) => x.mul(2), scaler);
    expect(pipeline(tensor([[1]])).toArray()).toEqual([[1]]);
  });
});
