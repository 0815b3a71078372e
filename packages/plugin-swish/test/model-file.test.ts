import { modelFromBytes, modelToBytes } from '@backprop/io';
import { Linear, Sequential, type AnyModule } from '@backprop/layers';
import { Generator, copy_, randn, tensor, type Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { Swish } from '../src/index.js';

describe('Swish in model files (@backprop/io)', () => {
  it('modelToBytes → modelFromBytes gives identical β and identical outputs', () => {
    const generator = new Generator(0);
    const model = new Sequential(new Linear(3, 5, { generator }), new Swish({ numFeatures: 5, beta: 0.8 }), new Linear(5, 2, { generator }));
    // A β that differs from its config's initial value, as after training, so the weights (not the config) must carry it.
    copy_(model.getSubmodule('1').getParameter('beta')!, tensor([0.1, 0.7, 1.3, -0.4, 2.5]));

    const bytes = modelToBytes(model, { metadata: { note: 'swish' } });
    const { model: copy, metadata } = modelFromBytes(bytes, { generator: new Generator(99) });

    expect(metadata).toEqual({ note: 'swish' });
    expect(copy.toConfig()).toEqual(model.toConfig());
    const swishOf = (m: AnyModule): Swish => m.getSubmodule('1') as Swish;
    expect(swishOf(copy)).toBeInstanceOf(Swish);
    expect(swishOf(copy).beta.toFlatArray()).toEqual(swishOf(model).beta.toFlatArray());
    expect([...copy.stateDict().keys()]).toEqual(['0.weight', '0.bias', '1.beta', '2.weight', '2.bias']);

    const x = randn([7, 3], { generator: new Generator(1) });
    expect((copy.call(x) as Tensor).toFlatArray()).toEqual(model.call(x).toFlatArray());
  });
});
