import { Generator, ValueError, randn, type Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import * as L from '../src/index.js';
import type { BuildContext, LayerConfig } from '../src/index.js';

const g = (seed = 0) => ({ generator: new Generator(seed) });

const EVERY_LAYER: [L.Module, number[]][] = [
  [new L.Linear(3, 4, g()), [2, 3]],
  [new L.Linear(3, 2, { ...g(), bias: false, dtype: 'float64' }), [2, 3]],
  [new L.Maxout(3, 2, 4, g()), [2, 3]],
  [new L.Sigmoid(), [2, 3]],
  [new L.Tanh(), [2, 3]],
  [new L.HardTanh(-2, 0.5), [2, 3]],
  [new L.ReLU(), [2, 3]],
  [new L.LeakyReLU(0.3), [2, 3]],
  [new L.ELU(0.7), [2, 3]],
  [new L.GELU('tanh'), [2, 3]],
  [new L.Softplus(2, 10), [2, 3]],
  [new L.Softmax(0), [2, 3]],
  [new L.LogSoftmax(-1), [2, 3]],
  [new L.Flatten(0, -1), [2, 3]],
  [new L.Reshape([3, 1]), [2, 3]],
  [new L.Identity(), [2, 3]],
  [new L.Residual(new L.Sequential(new L.Linear(3, 3, g()), new L.ReLU())), [2, 3]],
  [new L.Sequential(new L.Linear(3, 5, g()), new L.GELU(), new L.Maxout(5, 2, 2, g()), new L.LogSoftmax(1)), [2, 3]],
];

/** toConfig → JSON text → layerFromConfig (other seed) → loadStateDict: same config, same outputs. */
function expectRoundTrip(model: L.Module, inputShape: number[]): void {
  const config = model.toConfig();
  const rebuilt = L.layerFromConfig(JSON.parse(JSON.stringify(config)) as LayerConfig, g(99)) as L.Module;
  expect(rebuilt.constructor).toBe(model.constructor);
  expect(rebuilt.toConfig()).toEqual(config);
  expect([...rebuilt.stateDict().keys()]).toEqual([...model.stateDict().keys()]);
  rebuilt.loadStateDict(model.stateDict());
  const x = randn(inputShape, { generator: new Generator(5) });
  expect(rebuilt.call(x).toFlatArray()).toEqual(model.call(x).toFlatArray());
}

describe('config round trip', () => {
  for (const [model, shape] of EVERY_LAYER) {
    it(`${model.constructor.name}: ${JSON.stringify(model.toConfig()).slice(0, 80)}`, () => expectRoundTrip(model, shape));
  }

  it('covers every built-in layer', () => {
    const tested = new Set(EVERY_LAYER.map(([m]) => m.toConfig().type));
    // Convolution, normalization and recurrent layers have their round trips in config-conv-rnn.test.ts, LastTimeStep in last-time-step.test.ts.
    const elsewhere = new Set(['Conv1d', 'Conv2d', 'ConvTranspose2d', 'MaxPool1d', 'MaxPool2d', 'AvgPool2d', 'AdaptiveAvgPool2d', 'Upsample', 'BatchNorm1d', 'BatchNorm2d', 'LayerNorm', 'Dropout', 'Embedding', 'RNN', 'LSTM', 'GRU', 'LastTimeStep']);
    // AvgPool1d and the adaptive max-pooling layers: pooling-1d-adaptive-max.test.ts.
    for (const name of ['AvgPool1d', 'AdaptiveMaxPool1d', 'AdaptiveMaxPool2d']) elsewhere.add(name);
    // The attention and transformer layers, positional embeddings and module containers: attention.test.ts; the newer layers: modern-layers.test.ts.
    for (const name of ['GroupNorm', 'InstanceNorm1d', 'InstanceNorm2d', 'PReLU', 'SELU', 'SiLU', 'Mish', 'Hardswish', 'Softsign', 'Dropout1d', 'Dropout2d', 'ConvTranspose1d', 'Bilinear', 'Unflatten']) elsewhere.add(name);
    for (const name of ['MultiheadAttention', 'TransformerEncoderLayer', 'TransformerDecoderLayer', 'TransformerEncoder', 'TransformerDecoder', 'Transformer', 'SinusoidalPositionalEmbedding', 'LearnedPositionalEmbedding', 'ModuleList', 'ModuleDict']) elsewhere.add(name);
    expect(L.listLayers().filter((name) => !tested.has(name) && !elsewhere.has(name) && !name.startsWith('test.'))).toEqual([]);
  });

  it('nests Sequential layers in `layers` and fills defaults in', () => {
    const config = new L.Sequential(new L.Linear(2, 1, g()), new L.LeakyReLU()).toConfig();
    expect(config).toEqual({
      type: 'Sequential',
      layers: [
        { type: 'Linear', inFeatures: 2, outFeatures: 1, bias: true, dtype: 'float32' },
        { type: 'LeakyReLU', negativeSlope: 0.01 },
      ],
    });
    const relu = L.layerFromConfig({ type: 'LeakyReLU' }) as L.LeakyReLU;
    expect(relu.negativeSlope).toBe(0.01);
  });

  it('draws fresh weights from the given generator', () => {
    const config = { type: 'Linear', inFeatures: 3, outFeatures: 2 };
    const a = L.layerFromConfig(config, g(1)).stateDict().get('weight')!.toFlatArray();
    expect(L.layerFromConfig(config, g(1)).stateDict().get('weight')!.toFlatArray()).toEqual(a);
    expect(L.layerFromConfig(config, g(2)).stateDict().get('weight')!.toFlatArray()).not.toEqual(a);
  });
});

/** A plugin layer: y = factor · x, with the factor as a learnable parameter. */
class Scale extends L.Module {
  constructor(readonly initial: number) {
    super();
    this.registerParameter('factor', randn([1], g()).mul(0).add(initial).detach().requiresGrad_());
  }
  forward(x: Tensor): Tensor {
    return x.mul(this.getParameter('factor')!);
  }
  override toConfig(): LayerConfig {
    return { type: 'test.Scale', initial: this.initial };
  }
  static fromConfig(config: LayerConfig): Scale {
    const { initial } = config;
    if (typeof initial !== 'number') throw new ValueError('test.Scale', `initial must be a number, got ${JSON.stringify(initial)}`);
    return new Scale(initial);
  }
}

/** A plugin registered as a factory that builds a nested layer through the context. */
class Twice extends L.Module {
  constructor(readonly inner: L.Module) {
    super();
    this.registerModule('inner', inner);
  }
  forward(x: Tensor): Tensor {
    return this.inner.call(this.inner.call(x));
  }
  override toConfig(): LayerConfig {
    return { type: 'test.Twice', inner: this.inner.toConfig() };
  }
}

describe('registry', () => {
  L.registerLayer('test.Scale', Scale);
  L.registerLayer('test.Twice', (config: LayerConfig, context: BuildContext) => new Twice(context.build(config.inner as LayerConfig) as L.Module));

  it('rebuilds plugin layers like built-ins, also nested in built-ins', () => {
    expect(L.listLayers()).toContain('test.Scale');
    expect(L.listLayers()).toContain('test.Twice');
    expectRoundTrip(new L.Sequential(new L.Linear(3, 3, g()), new Scale(2.5), new Twice(new L.Linear(3, 3, g(4)))), [2, 3]);
    const rebuilt = L.layerFromConfig({ type: 'Sequential', layers: [{ type: 'test.Scale', initial: 3 }] }) as L.Sequential;
    expect(rebuilt.at(0)).toBeInstanceOf(Scale);
    expect(rebuilt.stateDict().get('0.factor')!.toFlatArray()).toEqual([3]);
  });

  it('refuses a second layer with the same name, and things that cannot build', () => {
    expect(() => L.registerLayer('Linear', Scale)).toThrow(/registerLayer: a layer named "Linear" is already registered/);
    expect(() => L.registerLayer('test.Scale', Scale)).toThrow(ValueError);
    expect(() => L.registerLayer('test.Bad', class {} as never)).toThrow(/"test.Bad" must be a factory .* or a class with a static fromConfig/);
    expect(() => L.registerLayer('', Scale)).toThrow(/name must be a non-empty string/);
  });

  it('names an unknown type and lists the known ones', () => {
    expect(() => L.layerFromConfig({ type: 'Dense', units: 3 })).toThrow(/layerFromConfig: unknown layer type "Dense"; known types: AdaptiveAvgPool2d, .*ELU, Embedding, Flatten, GELU, .*Linear.*test\.Twice/);
    expect(() => L.layerFromConfig({ type: 'Sequential', layers: [{ type: 'Conv9d' }] })).toThrow(/unknown layer type "Conv9d"/);
    expect(() => L.layerFromConfig(null as never)).toThrow(/expected a config object/);
  });

  it('names the bad option', () => {
    expect(() => L.layerFromConfig({ type: 'Linear', inFeatures: 3, outFeatures: -1 })).toThrow(/Linear: outFeatures must be an integer ≥ 1, got -1/);
    expect(() => L.layerFromConfig({ type: 'Linear', inFeatures: 3 })).toThrow(/Linear: outFeatures must be an integer ≥ 1, got undefined/);
    expect(() => L.layerFromConfig({ type: 'Linear', inFeatures: 3, outFeature: 2 })).toThrow(/Linear: unknown option "outFeature" in config; expected inFeatures, outFeatures, bias, dtype/);
    expect(() => L.layerFromConfig({ type: 'Linear', inFeatures: 3, outFeatures: 2, bias: 'yes' })).toThrow(/Linear: bias must be true or false, got 'yes'/);
    expect(() => L.layerFromConfig({ type: 'Linear', inFeatures: 3, outFeatures: 2, dtype: 'int32' })).toThrow(/Linear: dtype must be one of 'float32', 'float64', got 'int32'/);
    expect(() => L.layerFromConfig({ type: 'Maxout', inFeatures: 3, outFeatures: 2, pieces: 1.5 })).toThrow(/Maxout: pieces must be an integer ≥ 1, got 1.5/);
    expect(() => L.layerFromConfig({ type: 'GELU', approximate: 'erf' })).toThrow(/GELU: approximate must be one of 'none', 'tanh', got 'erf'/);
    expect(() => L.layerFromConfig({ type: 'LeakyReLU', negativeSlope: '0.1' })).toThrow(/LeakyReLU: negativeSlope must be a finite number, got '0.1'/);
    expect(() => L.layerFromConfig({ type: 'Softplus', beta: 0 })).toThrow(/Softplus: beta must be a finite number ≥/);
    expect(() => L.layerFromConfig({ type: 'HardTanh', minVal: 1, maxVal: 0 })).toThrow(/HardTanh: maxVal must be greater than minVal/);
    expect(() => L.layerFromConfig({ type: 'Softmax' })).toThrow(/Softmax: dim must be an integer, got undefined/);
    expect(() => L.layerFromConfig({ type: 'Reshape', shape: [2, 'x'] })).toThrow(/Reshape: shape must be an array of integers ≥ -1/);
    expect(() => L.layerFromConfig({ type: 'ReLU', inplace: true })).toThrow(/ReLU: unknown option "inplace" in config; expected no options/);
    expect(() => L.layerFromConfig({ type: 'Sequential', layers: 3 })).toThrow(/Sequential: layers must be an array of layer configs, got 3/);
    expect(() => L.layerFromConfig({ type: 'Residual', module: [] })).toThrow(/Residual: module must be a layer config/);
  });
});
