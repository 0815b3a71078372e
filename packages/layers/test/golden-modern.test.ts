import { describe, expect, it } from 'vitest';
import type { Tensor } from '@backprop/tensor';
import { type AnyModule, type LayerConfig } from '../src/index.js';
import { decode, expectClose, layerFromCase, readFixture, type Encoded } from './helpers.js';

interface Case {
  name: string;
  config: LayerConfig;
  state: Record<string, Encoded>;
  training: boolean;
  input: Encoded;
  input2?: Encoded;
  gradOutput: Encoded;
  output: Encoded;
  inputGrad: Encoded;
  input2Grad?: Encoded;
  paramGrads: Record<string, Encoded>;
  buffers: Record<string, Encoded>;
}

describe('GroupNorm, InstanceNorm, PReLU, SELU, SiLU, Mish, Hardswish, Softsign, ConvTranspose1d, Unflatten and Bilinear match PyTorch (float64)', () => {
  for (const c of readFixture<Case>('modern.json').cases) {
    it(c.name, () => {
      const model = layerFromCase<AnyModule>(c).train(c.training);
      const x = decode(c.input).requiresGrad_();
      const x2 = c.input2 ? decode(c.input2).requiresGrad_() : null;
      const y = (x2 ? model.call(x, x2) : model.call(x)) as Tensor;
      expectClose(y, decode(c.output));
      y.backward(decode(c.gradOutput));
      expectClose(x.grad, decode(c.inputGrad));
      if (x2) expectClose(x2.grad, decode(c.input2Grad!));
      const params = new Map(model.namedParameters());
      expect([...params.keys()].sort()).toEqual(Object.keys(c.paramGrads).sort());
      for (const [name, g] of Object.entries(c.paramGrads)) expectClose(params.get(name)!.grad, decode(g));
      const buffers = new Map(model.namedBuffers());
      expect([...buffers.keys()].sort()).toEqual(Object.keys(c.buffers).sort());
      for (const [name, b] of Object.entries(c.buffers)) expectClose(buffers.get(name)!, decode(b));
    });
  }
});
