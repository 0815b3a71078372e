import { describe, expect, it } from 'vitest';
import { type LayerConfig, type Module } from '../src/index.js';
import { decode, expectClose, readFixture, type Encoded, layerFromCase } from './helpers.js';

interface Case {
  name: string;
  config: LayerConfig;
  state: Record<string, Encoded>;
  input: Encoded;
  gradOutput: Encoded;
  output: Encoded;
  inputGrad: Encoded;
  paramGrads: Record<string, Encoded>;
}

const fixture = readFixture<Case>('conv.json');

// Configs are derived from the torch modules' own attributes, so toConfig() matching them shows that every
// option kept PyTorch's meaning; the weights come in through torch's state_dict().
describe('convolution, pooling and upsampling layers match PyTorch (float64)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const model = layerFromCase<Module>(c);
      const x = decode(c.input).requiresGrad_();
      const y = model.call(x);
      expectClose(y, decode(c.output));
      y.backward(decode(c.gradOutput));
      expectClose(x.grad, decode(c.inputGrad));
      const params = new Map(model.namedParameters());
      expect([...params.keys()].sort()).toEqual(Object.keys(c.paramGrads).sort());
      for (const [name, g] of Object.entries(c.paramGrads)) expectClose(params.get(name)!.grad, decode(g));
    });
  }
});
