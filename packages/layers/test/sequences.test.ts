import { Generator, randn, tensor, zeros, type Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import {
  Embedding, GRU, LSTM, LastTimeStep, Linear, RNN, Sequential, layerFromConfig, packPaddedSequence, padPackedSequence, padSequence,
  type LayerConfig, type Module,
} from '../src/index.js';

const g = (seed = 0) => ({ generator: new Generator(seed) });
const tokens = tensor([[1, 2, 3, 4], [5, 6, 7, 8]], [2, 4], 'int32');

describe('recurrent layers in a Sequential', () => {
  it('outputOnly passes the whole output sequence on: Sequential(Embedding, LSTM, Linear) works and rebuilds from its config', () => {
    const model = new Sequential(
      new Embedding(10, 3, g(1)) as Module,
      new LSTM(3, 5, { batchFirst: true, outputOnly: true, ...g(2) }) as unknown as Module,
      new Linear(5, 10, g(3)),
    );
    expect(model.call(tokens).shape).toEqual([2, 4, 10]);
    const config = JSON.parse(JSON.stringify(model.toConfig())) as LayerConfig;
    expect((config.layers as LayerConfig[])[1].outputOnly).toBe(true);
    const copy = layerFromConfig(config) as Module;
    copy.loadStateDict(model.stateDict());
    expect(Array.from(copy.call(tokens).dataSync())).toEqual(Array.from(model.call(tokens).dataSync()));
  });

  it('without outputOnly, Sequential(Embedding, LSTM, Linear) fails with one sentence saying what to do', () => {
    const model = new Sequential(new Embedding(10, 3, g(1)) as Module, new LSTM(3, 5, g(2)) as unknown as Module, new Linear(5, 2, g(3)));
    expect(() => model.call(tokens)).toThrow(
      'Sequential: layer 1 (LSTM) returns [output, state], which layer 2 (Linear) cannot read: build the recurrent layer with outputOnly: true to pass its whole output sequence on, or put a LastTimeStep after it to keep the last step',
    );
  });

  it('LastTimeStep follows the recurrent layer before it: LSTM (sequence-first) → LastTimeStep → Linear gives [N, out]', () => {
    const model = new Sequential(new LSTM(2, 4, g(1)) as unknown as Module, new LastTimeStep(), new Linear(4, 3, g(2)));
    const x = randn([5, 6, 2], g(3)); // T = 5, N = 6
    expect(model.call(x).shape).toEqual([6, 3]);
    expect((model.at(1) as LastTimeStep).batchFirst).toBe(false);
    const rebuilt = layerFromConfig(JSON.parse(JSON.stringify(model.toConfig())) as LayerConfig) as Module;
    expect(rebuilt.call(x).shape).toEqual([6, 3]);
    // And batch-first layers still give batch-first steps, from a config without batchFirst on LastTimeStep.
    const cli = layerFromConfig({ type: 'Sequential', layers: [{ type: 'GRU', inputSize: 2, hiddenSize: 4, batchFirst: true }, { type: 'LastTimeStep' }] }) as Module;
    expect(cli.call(randn([6, 5, 2], g(4))).shape).toEqual([6, 4]);
  });

  it('an explicit batchFirst that disagrees with the recurrent layer is an error when the Sequential is built', () => {
    expect(() => new Sequential(new RNN(2, 4) as unknown as Module, new LastTimeStep({ batchFirst: true }))).toThrow(
      /LastTimeStep: batchFirst is true but the RNN before it has batchFirst false/,
    );
  });

  it('LastTimeStep on a PackedSequence keeps each sequence\'s own last step (hN for one layer)', () => {
    const gru = new GRU(2, 3, g(1));
    const x = padSequence([randn([2, 2], g(2)), randn([4, 2], g(3)), randn([1, 2], g(4))]);
    const [out, hN] = gru.call(packPaddedSequence(x, [2, 4, 1], { enforceSorted: false }));
    const last = new LastTimeStep().call([out, hN]);
    expect(last.shape).toEqual([3, 3]);
    Array.from(last.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(hN.dataSync()[i], 6));
  });
});

describe('packed sequences', () => {
  it('pack and pad are inverse, with lengths in the original order', () => {
    const x = randn([3, 2, 2], g(1));
    const packed = packPaddedSequence(x, [1, 3], { enforceSorted: false });
    expect(packed.batchSizes).toEqual([2, 1, 1]);
    expect(packed.sortedIndices).toEqual([1, 0]);
    expect(packed.data.shape).toEqual([4, 2]);
    const [padded, lengths] = padPackedSequence(packed, { totalLength: 4, paddingValue: 9 });
    expect(lengths.toArray()).toEqual([1, 3]);
    expect(padded.shape).toEqual([4, 2, 2]);
    expect(padded.narrow(0, 0, 1).toArray()).toEqual(x.narrow(0, 0, 1).toArray());
    expect(padded.narrow(0, 1, 1).narrow(1, 0, 1).toFlatArray()).toEqual([9, 9]);
  });

  it('checks lengths and their order', () => {
    expect(() => packPaddedSequence(zeros([3, 2, 1]), [1, 3])).toThrow(/decreasing order when enforceSorted is true/);
    expect(() => packPaddedSequence(zeros([3, 2, 1]), [4, 1])).toThrow(/each an integer in \[1, 3\]/);
    expect(() => padSequence([zeros([2, 3]), zeros([2, 4])])).toThrow(/every sequence must be \[L, 3\]/);
  });
});

describe('LSTM projSize and learned initial states', () => {
  it('projSize gives weight_hr_l{k} and P-sized h and outputs; configs round-trip', () => {
    const lstm = new LSTM(3, 6, { projSize: 2, numLayers: 2, ...g(1) });
    expect(lstm.namedParameters().filter(([n]) => n.endsWith('_l1')).map(([n, p]) => [n, p.shape])).toEqual([
      ['weight_ih_l1', [24, 2]], ['weight_hh_l1', [24, 2]], ['bias_ih_l1', [24]], ['bias_hh_l1', [24]], ['weight_hr_l1', [2, 6]],
    ]);
    const [out, [h, c]] = lstm.call(randn([4, 3, 3], g(2)));
    expect([out.shape, h.shape, c.shape]).toEqual([[4, 3, 2], [2, 3, 2], [2, 3, 6]]);
    expect(lstm.toConfig().projSize).toBe(2);
    expect((layerFromConfig(lstm.toConfig()) as LSTM).projSize).toBe(2);
    expect(() => new LSTM(3, 4, { projSize: 4 })).toThrow(/projSize must be smaller than hiddenSize \(4\)/);
  });

  it('learnInitialState registers h0 (and c0), zeros at first, used when no state is given, and trained', () => {
    const lstm = new LSTM(2, 3, { learnInitialState: true, bidirectional: true, ...g(1) });
    const h0 = lstm.getParameter('h0')!;
    const c0 = lstm.getParameter('c0')!;
    expect([h0.shape, c0.shape]).toEqual([[2, 3], [2, 3]]);
    const x = randn([4, 5, 2], g(2));
    const plain = new LSTM(2, 3, { bidirectional: true, ...g(1) });
    expect(lstm.call(x)[0].toFlatArray()).toEqual(plain.call(x)[0].toFlatArray());
    lstm.call(x)[0].sum().backward();
    expect(h0.grad!.abs().sum().item()).toBeGreaterThan(0);
    expect(c0.grad!.abs().sum().item()).toBeGreaterThan(0);
    const copy = layerFromConfig(JSON.parse(JSON.stringify(lstm.toConfig())) as LayerConfig) as LSTM;
    expect([...copy.stateDict().keys()]).toEqual([...lstm.stateDict().keys()]);
    const gru = new GRU(2, 3, { learnInitialState: true });
    expect(gru.namedParameters().map(([n]) => n)).toContain('h0');
    const state: Tensor = gru.call(x)[1];
    expect(state.shape).toEqual([1, 5, 3]);
  });
});
