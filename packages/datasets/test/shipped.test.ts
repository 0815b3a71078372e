import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@backprop/tensor';
import { loadDigits, loadIris } from '../src/index.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const counts = (y: Tensor, k: number): number[] => Array.from({ length: k }, (_, c) => Array.from(y.dataSync()).filter((v) => v === c).length);

// Digests printed by tooling/scripts/datasets/build-shipped-data.mjs, and equal to those of scikit-learn's
// load_digits().data.astype(uint8) and round(load_iris().data * 10).astype(uint8).
const DIGITS_PIXELS_SHA256 = '8f26b2bd9d135c256808f68f14fdabddde6d9c7f869ae419704b051f0f14b3b3';
const DIGITS_LABELS_SHA256 = '8ba4f891220f5e4c9c819638d1602d74b83618f167043c6da52a2a247841ddf0';
const IRIS_X10_SHA256 = '9f83d709ff543630793c65970cd232a7b86de6f44338e64fb2847e5b5d757634';

describe('loadIris', () => {
  it('gives 150×4 float32 measurements and 50 of each of 3 species', () => {
    const { x, y, classNames, featureNames, description } = loadIris();
    expect(x.shape).toEqual([150, 4]);
    expect(x.dtype).toBe('float32');
    expect(y.dtype).toBe('int32');
    expect(counts(y, 3)).toEqual([50, 50, 50]);
    expect(classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(featureNames).toHaveLength(4);
    expect(description).toMatch(/CC BY 4.0/);
    expect(Array.from(x.dataSync().subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    expect(sha256(Uint8Array.from(x.dataSync(), (v) => Math.round(v * 10)))).toBe(IRIS_X10_SHA256);
    // numpy: iris.data.sum(axis=0)
    [876.5, 458.6, 563.7, 179.9].forEach((s, j) => {
      let sum = 0;
      for (let i = 0; i < 150; i++) sum += x.dataSync()[i * 4 + j];
      expect(sum).toBeCloseTo(s, 3);
    });
  });
});

describe('loadDigits', () => {
  it('gives 1,797 unscaled 8×8 images (0..16) with 174..183 of each digit', () => {
    const { x, y, classNames, description } = loadDigits();
    expect(x.shape).toEqual([1797, 64]);
    expect(x.dtype).toBe('float32');
    expect(counts(y, 10)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(classNames).toHaveLength(10);
    expect(description).toMatch(/Alpaydin/);
    const pixels = Uint8Array.from(x.dataSync());
    expect(Math.max(...pixels)).toBe(16);
    expect(pixels.reduce((s, v) => s + v, 0)).toBe(561718); // numpy: load_digits().data.sum()
    expect(sha256(pixels)).toBe(DIGITS_PIXELS_SHA256);
    expect(sha256(Uint8Array.from(y.dataSync()))).toBe(DIGITS_LABELS_SHA256);
  });

  it('gives [N, 1, 8, 8] images with flatten: false', () => {
    const flat = loadDigits().x;
    const images = loadDigits({ flatten: false }).x;
    expect(images.shape).toEqual([1797, 1, 8, 8]);
    expect(Array.from(images.dataSync())).toEqual(Array.from(flat.dataSync()));
  });
});
