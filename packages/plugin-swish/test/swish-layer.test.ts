import * as layers from '@backprop/layers';
import { functionalCall, layerFromConfig, listLayers, Sequential, Linear, type LayerConfig } from '@backprop/layers';
import { Generator, copy_, randn, tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { Swish, register, swish } from '../src/index.js';

describe('Swish layer', () => {
  it('owns one parameter, beta [numFeatures], filled with the initial β', () => {
    const act = new Swish({ numFeatures: 3, beta: 0.5 });
    expect(act.namedParameters().map(([n, p]) => [n, p.shape, p.dtype])).toEqual([['beta', [3], 'float32']]);
    expect(act.beta.toFlatArray()).toEqual([0.5, 0.5, 0.5]);
    expect(act.beta.requiresGrad).toBe(true);
    expect(new Swish().beta.toFlatArray()).toEqual([1]);
  });

  it('applies one β per feature on axis 1 (after Linear [N, F] and Conv2d [N, C, H, W])', () => {
    const act = new Swish({ numFeatures: 2, dtype: 'float64' });
    copy_(act.beta, tensor([0.5, 2], { dtype: 'float64' }));
    const x2 = randn([3, 2], { dtype: 'float64', generator: new Generator(0) });
    expect(act.call(x2).toFlatArray()).toEqual(swish(x2, tensor([0.5, 2], 'float64')).toFlatArray());
    const x4 = randn([1, 2, 2, 2], { dtype: 'float64', generator: new Generator(1) });
    const expected = swish(x4, tensor([0.5, 2], 'float64').reshape([2, 1, 1]));
    expect(act.call(x4).toFlatArray()).toEqual(expected.toFlatArray());
    expect(act.call(tensor([1, 1], 'float64')).toFlatArray()).toEqual(swish(tensor([1, 1], 'float64'), tensor([0.5, 2], 'float64')).toFlatArray());
  });

  it('trains β: backward fills beta.grad', () => {
    const act = new Swish({ numFeatures: 2 });
    act.call(tensor([[1, -2], [3, 0.5]])).sum().backward();
    expect(act.beta.grad?.shape).toEqual([2]);
    expect(act.beta.grad!.toFlatArray().every((g) => g !== 0)).toBe(true);
  });

  it('works with functionalCall (β read through getParameter)', () => {
    const act = new Swish();
    const y = functionalCall(act, new Map([['beta', tensor([0])]]), tensor([2, -4]));
    expect(y.toFlatArray()).toEqual([1, -2]);
  });

  it('names the layer, what was given and what was expected on bad options and inputs', () => {
    expect(() => new Swish({ numFeatures: 0 })).toThrow(/Swish: numFeatures must be an integer ≥ 1, got 0/);
    expect(() => new Swish({ beta: Number.NaN })).toThrow(/Swish: beta must be a finite number, got NaN/);
    expect(() => new Swish({ dtype: 'int32' as 'float32' })).toThrow(/Swish: dtype must be one of 'float32', 'float64', got 'int32'/);
    expect(() => new Swish({ numFeatures: 3 }).call(tensor([[1, 2]]))).toThrow(/Swish: input of shape \[1, 2\] must have 3 features on axis 1/);
  });
});

describe('Swish configs', () => {
  it('is registered on import and register() can be called again', () => {
    expect(listLayers()).toContain('Swish');
    expect(() => register()).not.toThrow();
    expect(() => register()).not.toThrow();
  });

  it('accepts the CLI\'s host context when it shares this @backprop/layers, and says so when it does not', () => {
    // The CLI calls register({ registerLayer, layers }) with the @backprop/layers it runs on.
    expect(() => register({ layers })).not.toThrow();
    class OtherModule {}
    expect(() => register({ layers: { Module: OtherModule } })).toThrow(
      /@backprop\/plugin-swish: the host runs on a different copy of @backprop\/layers than this plugin imports; expected one shared copy/,
    );
  });

  it('round-trips through JSON and layerFromConfig, alone and inside a Sequential', () => {
    const act = new Swish({ numFeatures: 4, beta: 1.5, dtype: 'float64' });
    expect(act.toConfig()).toEqual({ type: 'Swish', numFeatures: 4, beta: 1.5, dtype: 'float64' });
    const copy = layerFromConfig(JSON.parse(JSON.stringify(act.toConfig())) as LayerConfig);
    expect(copy).toBeInstanceOf(Swish);
    expect(copy.toConfig()).toEqual(act.toConfig());
    expect((copy as Swish).beta.toFlatArray()).toEqual([1.5, 1.5, 1.5, 1.5]);

    const generator = new Generator(0);
    const model = new Sequential(new Linear(2, 4, { generator }), new Swish({ numFeatures: 4 }), new Linear(4, 1, { generator }));
    const rebuilt = layerFromConfig(JSON.parse(JSON.stringify(model.toConfig())) as LayerConfig);
    expect(rebuilt.toConfig()).toEqual(model.toConfig());
    expect(rebuilt.getSubmodule('1')).toBeInstanceOf(Swish);
  });

  it('fills defaults for missing options and rejects unknown ones', () => {
    expect(layerFromConfig({ type: 'Swish' }).toConfig()).toEqual({ type: 'Swish', numFeatures: 1, beta: 1, dtype: 'float32' });
    expect(() => layerFromConfig({ type: 'Swish', numFeature: 3 })).toThrow(/Swish: unknown option "numFeature" in config; expected numFeatures, beta, dtype/);
  });
});
