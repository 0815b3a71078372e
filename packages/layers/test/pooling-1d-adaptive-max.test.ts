import { gradCheck } from '@backprop/autograd';
import { Generator, adaptiveMaxPool2dWithIndices, avgPool1d, randn, tensor, type Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import * as L from '../src/index.js';
import type { LayerConfig } from '../src/index.js';

const sample = (shape: number[], seed = 1): Tensor => randn(shape, { generator: new Generator(seed), dtype: 'float64' });

const LAYERS: [L.AnyModule, number[]][] = [
  [new L.AvgPool1d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), [2, 3, 8]],
  [new L.AvgPool1d(2), [3, 7]],
  [new L.AdaptiveMaxPool1d(3), [2, 2, 7]],
  [new L.AdaptiveMaxPool2d([null, 2]), [1, 2, 3, 5]],
  [new L.AdaptiveMaxPool2d(4), [2, 9, 6]],
];

describe('AvgPool1d, AdaptiveMaxPool1d and AdaptiveMaxPool2d', () => {
  for (const [model, shape] of LAYERS) {
    it(`round-trips its config and matches after rebuilding: ${JSON.stringify(model.toConfig())}`, () => {
      const config = model.toConfig();
      const rebuilt = L.layerFromConfig(JSON.parse(JSON.stringify(config)) as LayerConfig);
      expect(rebuilt.constructor).toBe(model.constructor);
      expect(rebuilt.toConfig()).toEqual(config);
      const x = sample(shape);
      expect((rebuilt.call(x) as Tensor).toFlatArray()).toEqual((model.call(x) as Tensor).toFlatArray());
    });
    it(`passes gradCheck: ${model.constructor.name}`, () => {
      const result = gradCheck((x) => model.call(x) as Tensor, [sample(shape, 2)]);
      expect(result.ok, result.message).toBe(true);
    });
  }

  it('fills PyTorch defaults in and calls the ops', () => {
    expect(new L.AvgPool1d(3).toConfig()).toEqual({
      type: 'AvgPool1d', kernelSize: [3], stride: [3], padding: [0], ceilMode: false, countIncludePad: true,
    });
    const x = tensor([[[1, 2, 3, 4, 5, 6]]]);
    expect((new L.AvgPool1d(2).call(x) as Tensor).toArray()).toEqual([[[1.5, 3.5, 5.5]]]);
    expect((new L.AvgPool1d(2).call(x) as Tensor).toFlatArray()).toEqual(avgPool1d(x, { kernelSize: 2 }).toFlatArray());
    expect((new L.AdaptiveMaxPool1d(2).call(tensor([[[1, 5, 2, 4, 3]]])) as Tensor).toArray()).toEqual([[[5, 4]]]);
    const image = sample([1, 2, 5, 4]);
    expect((new L.AdaptiveMaxPool2d([2, 3]).call(image) as Tensor).toFlatArray())
      .toEqual(adaptiveMaxPool2dWithIndices(image, [2, 3]).values.toFlatArray());
  });

  it('names the layer and the option in its errors', () => {
    expect(() => new L.AvgPool1d(2, { padding: 2 })).toThrow(/AvgPool1d: padding \[2\] must be at most half of kernelSize \[2\]/);
    expect(() => new L.AdaptiveMaxPool2d([2, 0])).toThrow(/AdaptiveMaxPool2d: outputSize must be/);
    expect(() => new L.AdaptiveMaxPool1d(0)).toThrow(/AdaptiveMaxPool1d: outputSize must be an integer ≥ 1, got 0/);
    expect(() => new L.AdaptiveMaxPool1d(2).call(randn([2, 3, 4, 5]))).toThrow(/AdaptiveMaxPool1d: expected input of shape \[N, C, L\] or \[C, L\]/);
  });
});
