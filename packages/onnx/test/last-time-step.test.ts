import { describe, expect, it } from 'vitest';
import { Generator } from '@backprop/tensor';
import { GRU, LSTM, LastTimeStep, Linear, RNN, Sequential, type Module } from '@backprop/layers';
import { decodeOnnx, exportOnnx } from '../src/index.js';
import { expectOrtMatches } from './helpers.js';

const generator = (seed = 3) => ({ generator: new Generator(seed) });
/** Recurrent layers return [output, state], which Sequential's types do not model; LastTimeStep takes it. */
const seq = (...layers: unknown[]) => new Sequential(...(layers as Module[]));

describe('LastTimeStep matches onnxruntime (Gather of the last step along the time axis)', () => {
  it('after a batch-first LSTM, as the CLI builds sequence classifiers', async () => {
    const model = seq(new LSTM(1, 6, { batchFirst: true, ...generator() }), new LastTimeStep(), new Linear(6, 2, generator(4)));
    const bytes = await expectOrtMatches(model, { inputShape: [2, 5, 1] });
    const ops = decodeOnnx(bytes).graph.node.map((n) => n.opType);
    expect(ops.slice(ops.indexOf('LSTM'))).toEqual(['LSTM', 'Transpose', 'Reshape', 'Transpose', 'Gather', 'Gemm']);
  });

  it('after a sequence-first GRU, a bidirectional two-layer LSTM and an RNN, at opsets 13 and 21', async () => {
    for (const opset of [13, 21]) {
      await expectOrtMatches(seq(new GRU(3, 4, generator()), new LastTimeStep({ batchFirst: false })), { inputShape: [5, 2, 3], batches: [5, 7], opset });
      await expectOrtMatches(seq(new LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true, ...generator() }), new LastTimeStep()), { inputShape: [2, 6, 3], opset });
      await expectOrtMatches(seq(new RNN(3, 4, { batchFirst: true, ...generator() }), new LastTimeStep(), new Linear(4, 1, generator(5))), { inputShape: [3, 4, 3], opset });
    }
  });

  it('on a tensor input, and on an unbatched [T, H] sequence', async () => {
    await expectOrtMatches(new LastTimeStep(), { inputShape: [2, 4, 3] });
    await expectOrtMatches(new LastTimeStep({ batchFirst: false }), { inputShape: [2, 4, 3], batches: [2] });
    await expectOrtMatches(seq(new LSTM(3, 4, generator()), new LastTimeStep()), { inputShape: [6, 3], dynamicBatch: false, batches: [6] });
  });

  it('names the layer when the input is not a sequence', () => {
    expect(() => exportOnnx(seq(new Linear(3, 3), new LastTimeStep()), { inputShape: [2, 3, 4, 3] })).toThrow(/LastTimeStep at "1" in the model: expected a sequence of rank 3/);
  });
});
