import { describe, it } from 'vitest';
import { Generator } from '@backprop/tensor';
import { Embedding, GRU, LSTM, RNN } from '@backprop/layers';
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

  it('Embedding as Gather on int32 indices', async () => {
    await expectOrtMatches(new Embedding(10, 4, { paddingIdx: 0, generator: generator() }), { inputShape: [2, 7], inputDtype: 'int32', vocab: 10 });
  });
});
