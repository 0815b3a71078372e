import { noGrad } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { type LayerConfig, type Module } from '../src/index.js';
import { decode, expectClose, readFixture, type Encoded, layerFromCase } from './helpers.js';

interface Case {
  name: string;
  config: LayerConfig;
  state: Record<string, Encoded>;
  training: boolean;
  warmup: Encoded[];
  input: Encoded;
  gradOutput: Encoded;
  output: Encoded;
  inputGrad?: Encoded;
  paramGrads: Record<string, Encoded>;
  buffers: Record<string, Encoded>;
}

const fixture = readFixture<Case>('normalization.json');

describe('BatchNorm, LayerNorm and Embedding match PyTorch (float64), running statistics included', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const model = layerFromCase<Module>(c);
      model.train();
      for (const batch of c.warmup) noGrad(() => model.call(decode(batch)));
      model.train(c.training);
      const x = decode(c.input);
      if (c.inputGrad) x.requiresGrad_();
      const y = model.call(x);
      expectClose(y, decode(c.output));
      y.backward(decode(c.gradOutput));
      if (c.inputGrad) expectClose(x.grad, decode(c.inputGrad));
      const params = new Map(model.namedParameters());
      expect([...params.keys()].sort()).toEqual(Object.keys(c.paramGrads).sort());
      for (const [name, g] of Object.entries(c.paramGrads)) expectClose(params.get(name)!.grad, decode(g));
      const buffers = new Map(model.namedBuffers());
      expect([...buffers.keys()].sort()).toEqual(Object.keys(c.buffers).sort());
      for (const [name, b] of Object.entries(c.buffers)) expectClose(buffers.get(name)!, decode(b));
    });
  }
});
