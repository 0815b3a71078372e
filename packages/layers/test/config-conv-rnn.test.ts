import { Generator, randint, randn, type Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import * as L from '../src/index.js';
import type { LayerConfig } from '../src/index.js';

const g = (seed = 0) => ({ generator: new Generator(seed) });

/** Every layer of issue 5, with options away from the defaults where it has them, and an input for it. */
const NEW_LAYERS: [L.AnyModule, () => Tensor][] = [
  [new L.Conv1d(2, 4, 3, { ...g(), stride: 2, padding: 1, dilation: 2, groups: 2 }), () => randn([2, 2, 9], g(5))],
  [new L.Conv2d(3, 4, [2, 3], { ...g(), padding: 'same', bias: false, dtype: 'float64' }), () => randn([2, 3, 5, 5], g(5))],
  [new L.Conv2d(2, 2, 3, { ...g(), stride: [2, 1], padding: 'valid' }), () => randn([1, 2, 6, 6], g(5))],
  [new L.ConvTranspose2d(4, 2, 3, { ...g(), stride: 2, padding: 1, outputPadding: 1, groups: 2 }), () => randn([1, 4, 3, 3], g(5))],
  [new L.MaxPool1d(3, { stride: 2, padding: 1 }), () => randn([2, 3, 8], g(5))],
  [new L.MaxPool2d([2, 3], { dilation: [1, 2], ceilMode: true }), () => randn([2, 2, 7, 8], g(5))],
  [new L.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false, divisorOverride: 4 }), () => randn([1, 2, 6, 6], g(5))],
  [new L.AdaptiveAvgPool2d([null, 2]), () => randn([1, 2, 3, 5], g(5))],
  [new L.Upsample({ scaleFactor: [2, 1.5] }), () => randn([1, 2, 3, 4], g(5))],
  [new L.Upsample({ size: 5 }), () => randn([1, 1, 3, 2], g(5))],
  [new L.BatchNorm1d(3, { eps: 1e-3, momentum: null }), () => randn([4, 3, 2], g(5))],
  [new L.BatchNorm2d(2, { affine: false, trackRunningStats: false, dtype: 'float64' }), () => randn([2, 2, 3, 3], g(5))],
  [new L.LayerNorm([2, 3], { eps: 1e-4, elementwiseAffine: false }), () => randn([4, 2, 3], g(5))],
  [new L.Dropout(0.3).eval(), () => randn([4, 5], g(5))],
  [new L.Embedding(7, 3, { ...g(), paddingIdx: -2 }), () => randint(0, 7, [2, 4], g(5))],
  [new L.RNN(3, 4, { ...g(), nonlinearity: 'relu', numLayers: 2, bias: false }), () => randn([5, 2, 3], g(5))],
  [new L.LSTM(3, 4, { ...g(), batchFirst: true, bidirectional: true, dropout: 0.25 }).eval(), () => randn([2, 5, 3], g(5))],
  [new L.GRU(2, 3, { ...g(), numLayers: 2, dtype: 'float64' }), () => randn([4, 1, 2], g(5))],
];

/** The first tensor a layer returns (recurrent layers return [output, state]). */
function firstOutput(out: unknown): Tensor {
  return (Array.isArray(out) ? out[0] : out) as Tensor;
}

describe('config round trip of the convolution, pooling, normalization, dropout, embedding and recurrent layers', () => {
  for (const [model, input] of NEW_LAYERS) {
    it(`${model.constructor.name}: ${JSON.stringify(model.toConfig()).slice(0, 100)}`, () => {
      const config = model.toConfig();
      const rebuilt = L.layerFromConfig(JSON.parse(JSON.stringify(config)) as LayerConfig, g(99));
      expect(rebuilt.constructor).toBe(model.constructor);
      expect(rebuilt.toConfig()).toEqual(config);
      expect([...rebuilt.stateDict().keys()]).toEqual([...model.stateDict().keys()]);
      rebuilt.loadStateDict(model.stateDict());
      rebuilt.train(model.training);
      const x = input();
      expect(firstOutput(rebuilt.call(x)).toFlatArray()).toEqual(firstOutput(model.call(x)).toFlatArray());
    });
  }

  it('covers every layer this issue registers', () => {
    const tested = new Set(NEW_LAYERS.map(([m]) => m.toConfig().type));
    const added = ['Conv1d', 'Conv2d', 'ConvTranspose2d', 'MaxPool1d', 'MaxPool2d', 'AvgPool2d', 'AdaptiveAvgPool2d', 'Upsample',
      'BatchNorm1d', 'BatchNorm2d', 'LayerNorm', 'Dropout', 'Embedding', 'RNN', 'LSTM', 'GRU'];
    expect(added.filter((name) => !L.listLayers().includes(name))).toEqual([]);
    expect(added.filter((name) => !tested.has(name))).toEqual([]);
  });

  it('fills defaults in, as PyTorch: Conv2d(3, 8, 3) and LSTM(4, 8)', () => {
    expect(new L.Conv2d(3, 8, 3, g()).toConfig()).toEqual({
      type: 'Conv2d', inChannels: 3, outChannels: 8, kernelSize: [3, 3], stride: [1, 1], padding: [0, 0],
      dilation: [1, 1], groups: 1, bias: true, dtype: 'float32',
    });
    expect(new L.LSTM(4, 8, g()).toConfig()).toEqual({
      type: 'LSTM', inputSize: 4, hiddenSize: 8, numLayers: 1, bias: true, batchFirst: false, dropout: 0,
      bidirectional: false, dtype: 'float32',
    });
    expect(new L.BatchNorm2d(4).toConfig()).toEqual({
      type: 'BatchNorm2d', numFeatures: 4, eps: 1e-5, momentum: 0.1, affine: true, trackRunningStats: true, dtype: 'float32',
    });
  });

  it('rejects unknown and invalid options by name', () => {
    expect(() => L.layerFromConfig({ type: 'Conv2d', inChannels: 1, outChannels: 2, kernelSize: 3, strides: 2 })).toThrow(/Conv2d.*"strides"/);
    expect(() => L.layerFromConfig({ type: 'LSTM', inputSize: 1, hiddenSize: 0 })).toThrow(/LSTM.*hiddenSize/);
    expect(() => L.layerFromConfig({ type: 'MaxPool2d', kernelSize: [2, 2, 2] })).toThrow(/MaxPool2d.*kernelSize/);
  });
});
