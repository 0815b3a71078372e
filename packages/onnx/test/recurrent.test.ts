import { describe, expect, it } from 'vitest';
import { Generator, copy_, randn, setGradEnabled } from '@backprop/tensor';
import { Embedding, GRU, LSTM, RNN } from '@backprop/layers';
import { exportOnnx } from '../src/index.js';
import { expectOrtMatches } from './helpers.js';

const generator = () => new Generator(21);

describe('recurrent layers and Embedding match onnxruntime (output sequence)', () => {
  it('LSTM: sequence-first, batch-first, two layers, bidirectional, no bias, unbatched', async () => {
    await expectOrtMatches(new LSTM(4, 5, { generator: generator() }), { inputShape: [6, 2, 4], batches: [6, 3] });
    await expectOrtMatches(new LSTM(4, 5, { batchFirst: true, generator: generator() }), { inputShape: [2, 6, 4] });
    await expectOrtMatches(new LSTM(4, 5, { numLayers: 2, bidirectional: true, batchFirst: true, dropout: 0.3, generator: generator() }), { inputShape: [2, 6, 4] });
    await expectOrtMatches(new LSTM(4, 3, { bias: false, batchFirst: true, generator: generator() }), { inputShape: [2, 5, 4] });
    await expectOrtMatches(new LSTM(4, 3, { generator: generator() }), { inputShape: [5, 4] });
  });

  it('GRU: one and two layers, bidirectional, batch-first', async () => {
    await expectOrtMatches(new GRU(3, 4, { generator: generator() }), { inputShape: [5, 2, 3], batches: [5, 7] });
    await expectOrtMatches(new GRU(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true, generator: generator() }), { inputShape: [2, 5, 3] });
  });

  it('RNN with tanh and relu, bidirectional', async () => {
    await expectOrtMatches(new RNN(3, 4, { batchFirst: true, generator: generator() }), { inputShape: [2, 5, 3] });
    await expectOrtMatches(new RNN(3, 4, { nonlinearity: 'relu', bidirectional: true, numLayers: 2, batchFirst: true, generator: generator() }), { inputShape: [2, 5, 3] });
  });

  it('learned initial states become initial_h/initial_c expanded to the batch; projSize is refused', async () => {
    const lstm = new LSTM(3, 4, { learnInitialState: true, numLayers: 2, bidirectional: true, batchFirst: true, generator: generator() });
    const gru = new GRU(3, 4, { learnInitialState: true, bias: false, generator: generator() });
    // Away from their zero start, so a mix-up of directions, layers or h and c shows.
    setGradEnabled(false);
    for (const layer of [lstm, gru]) {
      for (const name of ['h0', 'c0']) {
        const p = layer.getParameter(name);
        if (p) copy_(p, randn([...p.shape], { generator: generator() }));
      }
    }
    setGradEnabled(true);
    await expectOrtMatches(lstm, { inputShape: [2, 5, 3] });
    await expectOrtMatches(gru, { inputShape: [5, 2, 3], batches: [5, 3] });
    expect(() => exportOnnx(new LSTM(3, 4, { projSize: 2 }), { inputShape: [5, 2, 3] })).toThrow(/projSize 2: ONNX's LSTM op has no projection/);
  });

  it('Embedding as Gather on int32 indices', async () => {
    await expectOrtMatches(new Embedding(10, 4, { paddingIdx: 0, generator: generator() }), { inputShape: [2, 7], inputDtype: 'int32', vocab: 10 });
  });
});
