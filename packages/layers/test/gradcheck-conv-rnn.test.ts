import { gradCheck } from '@backprop/autograd';
import { Generator, concat, randn, tensor, type Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import * as L from '../src/index.js';

const g = () => ({ generator: new Generator(1), dtype: 'float64' as const });
const sample = (shape: number[], seed = 7) => randn(shape, { dtype: 'float64', generator: new Generator(seed) });

/** Every output of a layer, flattened into one vector: the output, and for recurrent layers the final states too. */
function flat(out: unknown): Tensor {
  const parts: Tensor[] = [];
  const walk = (v: unknown) => (Array.isArray(v) ? v.forEach(walk) : parts.push((v as Tensor).flatten()));
  walk(out);
  return parts.length === 1 ? parts[0] : concat(parts, 0);
}

const CASES: [string, () => L.AnyModule, Tensor[]][] = [
  ['Conv1d stride 2 padding 1 dilation 2 groups 2', () => new L.Conv1d(2, 4, 3, { ...g(), stride: 2, padding: 1, dilation: 2, groups: 2 }), [sample([2, 2, 7])]],
  ['Conv2d padding same', () => new L.Conv2d(2, 3, [2, 3], { ...g(), padding: 'same' }), [sample([1, 2, 4, 4])]],
  ['Conv2d stride 2 groups 2 no bias', () => new L.Conv2d(2, 4, 3, { ...g(), stride: 2, padding: 1, groups: 2, bias: false }), [sample([2, 2, 5, 5])]],
  ['ConvTranspose2d stride 2 outputPadding 1', () => new L.ConvTranspose2d(2, 3, 3, { ...g(), stride: 2, padding: 1, outputPadding: 1 }), [sample([1, 2, 3, 3])]],
  ['MaxPool1d', () => new L.MaxPool1d(3, { stride: 2, padding: 1 }), [sample([2, 2, 7])]],
  ['MaxPool2d', () => new L.MaxPool2d(2, { stride: 1 }), [sample([1, 2, 4, 4])]],
  ['AvgPool2d', () => new L.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }), [sample([1, 2, 5, 5])]],
  ['AdaptiveAvgPool2d', () => new L.AdaptiveAvgPool2d([2, 3]), [sample([1, 2, 5, 4])]],
  ['Upsample', () => new L.Upsample({ scaleFactor: 2 }), [sample([1, 2, 2, 3])]],
  ['BatchNorm1d [N, C, L], training', () => new L.BatchNorm1d(3, { dtype: 'float64' }), [sample([4, 3, 2])]],
  ['BatchNorm2d, training', () => new L.BatchNorm2d(2, { dtype: 'float64' }), [sample([2, 2, 2, 3])]],
  ['LayerNorm', () => new L.LayerNorm([2, 3], { dtype: 'float64' }), [sample([3, 2, 3])]],
  ['RNN tanh 2 layers, given h0', () => new L.RNN(2, 3, { ...g(), numLayers: 2 }), [sample([3, 2, 2]), sample([2, 2, 3], 8)]],
  ['LSTM bidirectional, given h0 and c0', () => new L.LSTM(2, 2, { ...g(), bidirectional: true }), [sample([3, 2, 2]), sample([2, 2, 2], 8), sample([2, 2, 2], 9)]],
  ['GRU 2 layers, batch first', () => new L.GRU(2, 3, { ...g(), numLayers: 2, batchFirst: true }), [sample([2, 3, 2])]],
];

describe('gradCheck of the new layers, for the inputs and every parameter (float64)', () => {
  for (const [name, make, inputs] of CASES) {
    it(name, () => {
      const model = make();
      const names = model.namedParameters().map(([n]) => n);
      const k = inputs.length;
      const f = (...args: Tensor[]) => {
        const params = new Map(names.map((n, i) => [n, args[k + i]]));
        const [x, ...state] = args.slice(0, k);
        // An LSTM takes its two initial states as one [h0, c0] argument.
        const rest = model instanceof L.LSTM ? [state] : state;
        return flat(L.functionalCall(model, params, x, ...(rest as [])));
      };
      const result = gradCheck(f, [...inputs, ...model.parameters()]);
      expect(result.ok, result.message).toBe(true);
    });
  }

  // Without a padding index: the padding row's gradient is zero by definition (PyTorch's rule), not by calculus.
  it('Embedding, repeated indices included: the weight gradient', () => {
    const emb = new L.Embedding(5, 2, g());
    const idx = tensor([[0, 1, 3], [3, 1, 4]], undefined, 'int32');
    const result = gradCheck((w) => L.functionalCall(emb, new Map([['weight', w]]), idx), [emb.weight]);
    expect(result.ok, result.message).toBe(true);
  });

  it('Dropout in training, with the mask fixed by a fresh seeded generator per call', () => {
    const result = gradCheck((x) => new L.Dropout(0.4, { generator: new Generator(3) }).call(x), [sample([3, 4])]);
    expect(result.ok, result.message).toBe(true);
  });
});
