import { Generator, ShapeError, ValueError, arange, randn } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { GRU, LSTM, LastTimeStep, Linear, Sequential, layerFromConfig, listLayers, type LayerConfig, type Module } from '../src/index.js';

const g = (seed = 0) => ({ generator: new Generator(seed) });

describe('LastTimeStep', () => {
  it('is a built-in layer', () => {
    expect(listLayers()).toContain('LastTimeStep');
  });

  it('picks output[:, -1] of [N, T, H], output[-1] of [T, N, H] and of unbatched [T, H]', () => {
    const x = arange(24).reshape([2, 3, 4]);
    expect(new LastTimeStep().call(x).toArray()).toEqual([[8, 9, 10, 11], [20, 21, 22, 23]]);
    expect(new LastTimeStep({ batchFirst: false }).call(x).toArray()).toEqual([[12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]]);
    expect(new LastTimeStep().call(arange(6).reshape([3, 2])).toArray()).toEqual([4, 5]);
  });

  it("takes a recurrent layer's [output, state]: LSTM → LastTimeStep → Linear is a Sequential", () => {
    const lstm = new LSTM(2, 5, { batchFirst: true, ...g(1) });
    const model = new Sequential(lstm as unknown as Module, new LastTimeStep(), new Linear(5, 3, g(2)));
    const x = randn([4, 6, 2], g(3));
    expect(model.call(x).shape).toEqual([4, 3]);
    const [output, [h]] = lstm.call(x);
    // The last step of a one-layer forward LSTM's output is its final hidden state.
    expect(new LastTimeStep().call([output, null]).toFlatArray()).toEqual(h.squeeze(0).toFlatArray());
  });

  it('passes gradients to the last step only', () => {
    const x = randn([2, 3, 4], g(4)).requiresGrad_();
    new LastTimeStep().call(x).sum().backward();
    const grad = x.grad!.toArray() as number[][][];
    expect(grad.map((seq) => seq.map((step) => step.every((v) => v === 1)))).toEqual([[false, false, true], [false, false, true]]);
  });

  it('round-trips its config, inside a Sequential too', () => {
    for (const layer of [new LastTimeStep(), new LastTimeStep({ batchFirst: false })]) {
      const config = JSON.parse(JSON.stringify(layer.toConfig())) as LayerConfig;
      const rebuilt = layerFromConfig(config);
      expect(rebuilt).toBeInstanceOf(LastTimeStep);
      expect(rebuilt.toConfig()).toEqual(layer.toConfig());
    }
    expect(new LastTimeStep().toConfig()).toEqual({ type: 'LastTimeStep', batchFirst: true });
    expect((layerFromConfig({ type: 'LastTimeStep' }) as LastTimeStep).batchFirst).toBe(true);

    const model = new Sequential(new GRU(3, 4, g(5)) as unknown as Module, new LastTimeStep({ batchFirst: false }), new Linear(4, 2, g(6)));
    const rebuilt = layerFromConfig(JSON.parse(JSON.stringify(model.toConfig())) as LayerConfig, g(7)) as Module;
    rebuilt.loadStateDict(model.stateDict());
    const x = randn([5, 2, 3], g(8));
    expect(rebuilt.call(x).toFlatArray()).toEqual(model.call(x).toFlatArray());
  });

  it('names the layer and what it expected in its errors', () => {
    expect(() => new LastTimeStep().call(randn([2, 3, 4, 5]))).toThrow(ShapeError);
    expect(() => new LastTimeStep().call(randn([2, 3, 4, 5]))).toThrow(/LastTimeStep: expected a sequence .* got shape \[2, 3, 4, 5\]/);
    expect(() => layerFromConfig({ type: 'LastTimeStep', batchfirst: true })).toThrow(/LastTimeStep: unknown option "batchfirst" in config; expected batchFirst/);
    expect(() => layerFromConfig({ type: 'LastTimeStep', batchFirst: 'yes' })).toThrow(ValueError);
  });
});
