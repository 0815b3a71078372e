import { describe, expect, it } from 'vitest';
import { Generator, randint, randn, Tensor } from '@backprop/tensor';
import { noGrad } from '@backprop/autograd';
import * as L from '@backprop/layers';
import { modelFromBytes, modelToBytes } from '../src/index.js';

const g = new Generator(17);
const x = (shape: number[]) => randn(shape, { generator: g });

/** The first tensor of a layer's output (recurrent layers return [output, state]). */
const first = (y: unknown): Tensor => (Array.isArray(y) ? first(y[0]) : (y as Tensor));

// Convolution, normalization and recurrent layers, each with an input of the shape it takes; every one
// is trained a little first for batch norm so running statistics are not at their initial values.
const CASES: [string, () => L.AnyModule, () => Tensor][] = [
  ['Conv1d', () => new L.Conv1d(2, 3, 3, { stride: 2, padding: 1, generator: g }), () => x([2, 2, 9])],
  ['Conv2d', () => new L.Conv2d(2, 4, 3, { padding: 'same', dilation: 1, groups: 2, generator: g }), () => x([2, 2, 6, 6])],
  ['ConvTranspose2d', () => new L.ConvTranspose2d(3, 2, 3, { stride: 2, outputPadding: 1, generator: g }), () => x([1, 3, 4, 4])],
  ['MaxPool1d', () => new L.MaxPool1d(2), () => x([2, 3, 8])],
  ['MaxPool2d', () => new L.MaxPool2d(2, { ceilMode: true }), () => x([1, 2, 5, 5])],
  ['AvgPool2d', () => new L.AvgPool2d(3, { stride: 2, padding: 1 }), () => x([1, 2, 6, 6])],
  ['AdaptiveAvgPool2d', () => new L.AdaptiveAvgPool2d(1), () => x([2, 3, 4, 5])],
  ['Upsample', () => new L.Upsample({ scaleFactor: 2 }), () => x([1, 1, 3, 3])],
  ['BatchNorm1d', () => new L.BatchNorm1d(3), () => x([4, 3])],
  ['BatchNorm2d', () => new L.BatchNorm2d(2), () => x([3, 2, 4, 4])],
  ['LayerNorm', () => new L.LayerNorm([4]), () => x([3, 4])],
  ['Dropout', () => new L.Dropout(0.3, { generator: g }), () => x([3, 4])],
  ['Embedding', () => new L.Embedding(10, 4, { paddingIdx: 0, generator: g }), () => randint(0, 10, [2, 5], { generator: g })],
  ['RNN', () => new L.RNN(3, 5, { numLayers: 2, generator: g }), () => x([4, 2, 3])],
  ['LSTM', () => new L.LSTM(3, 5, { batchFirst: true, generator: g }), () => x([2, 4, 3])],
  ['GRU', () => new L.GRU(3, 5, { bidirectional: true, generator: g }), () => x([4, 2, 3])],
];

describe('model files round-trip every convolution, normalization and recurrent layer', () => {
  for (const [name, make, input] of CASES) {
    it(name, () => {
      const layer = make();
      const sample = input();
      // A training-mode pass updates batch-norm running statistics, which must survive the round trip.
      noGrad(() => (layer as L.Module<unknown[], unknown>).call(sample));
      layer.eval();
      const { model } = modelFromBytes(modelToBytes(layer));
      model.eval();
      const want = first(noGrad(() => (layer as L.Module<unknown[], unknown>).call(sample)));
      const got = first(noGrad(() => (model as L.Module<unknown[], unknown>).call(sample)));
      expect(got.shape).toEqual(want.shape);
      expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
      expect([...model.stateDict().keys()]).toEqual([...layer.stateDict().keys()]);
    });
  }
});
