import { describe, expect, it } from 'vitest';
import { Generator, randint, randn, Tensor } from '@backprop/tensor';
import { noGrad } from '@backprop/autograd';
import * as L from '@backprop/layers';
import { modelFromBytes, modelToBytes } from '../src/index.js';

const g = new Generator(23);
const x = (shape: number[]) => randn(shape, { generator: g });
const first = (y: unknown): Tensor => (Array.isArray(y) ? first(y[0]) : (y as Tensor));
const encoderLayer = () => new L.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, normFirst: true, activation: 'gelu', generator: g });

// The attention and transformer layers and the newer layers of @backprop/layers, each with an input it takes.
const CASES: [string, () => L.AnyModule, () => Tensor][] = [
  ['MultiheadAttention', () => new L.MultiheadAttention(8, 2, { batchFirst: true, generator: g }), () => x([2, 5, 8])],
  ['TransformerEncoderLayer', encoderLayer, () => x([2, 5, 8])],
  ['TransformerEncoder', () => new L.TransformerEncoder(encoderLayer(), 2, { norm: new L.LayerNorm(8) }), () => x([2, 5, 8])],
  ['SinusoidalPositionalEmbedding', () => new L.SinusoidalPositionalEmbedding(8, { maxLen: 16 }), () => x([5, 2, 8])],
  ['LearnedPositionalEmbedding', () => new L.LearnedPositionalEmbedding(16, 8, { generator: g }), () => x([5, 2, 8])],
  ['GroupNorm', () => new L.GroupNorm(2, 4), () => x([2, 4, 3])],
  ['InstanceNorm2d', () => new L.InstanceNorm2d(2, { affine: true, trackRunningStats: true }), () => x([2, 2, 3, 3])],
  ['PReLU', () => new L.PReLU(3), () => x([2, 3, 4])],
  ['ConvTranspose1d', () => new L.ConvTranspose1d(3, 2, 3, { stride: 2, generator: g }), () => x([2, 3, 5])],
  ['Unflatten', () => new L.Unflatten(1, [2, 3]), () => x([2, 6])],
  ['LSTM with projSize and a learned initial state', () => new L.LSTM(3, 5, { projSize: 2, learnInitialState: true, generator: g }), () => x([4, 2, 3])],
  ['Sequential(Embedding, LSTM outputOnly, Linear)', () => new L.Sequential(
    new L.Embedding(10, 4, { generator: g }) as L.Module,
    new L.LSTM(4, 6, { batchFirst: true, outputOnly: true, generator: g }) as unknown as L.Module,
    new L.Linear(6, 10, { generator: g }),
  ), () => randint(0, 10, [2, 5], { generator: g })],
];

describe('model files round-trip the attention, transformer and newer layers', () => {
  for (const [name, make, input] of CASES) {
    it(name, () => {
      const layer = make();
      const sample = input();
      noGrad(() => (layer as L.Module<unknown[], unknown>).call(sample)); // moves instance norm's running statistics
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
