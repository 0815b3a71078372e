import { describe, expect, it } from 'vitest';
import { layerFromConfig, type LayerConfig } from '../src/index.js';
import { decode, expectClose, readFixture, type Encoded, decodeState } from './helpers.js';

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

const fixture = readFixture<Case>('mlp.json');

// Weights come in through torch's state_dict(), so a pass also proves that parameter names and layouts match.
describe('forward values and gradients match PyTorch (float64)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const model = layerFromConfig(c.config);
      expect(model.loadStateDict(decodeState(c.state))).toEqual({ missingKeys: [], unexpectedKeys: [] });
      const x = decode(c.input).requiresGrad_();
      const y = model.call(x) as ReturnType<typeof decode>;
      expectClose(y, decode(c.output));
      y.backward(decode(c.gradOutput));
      expectClose(x.grad, decode(c.inputGrad));
      const params = new Map(model.namedParameters());
      expect([...params.keys()].sort()).toEqual(Object.keys(c.paramGrads).sort());
      for (const [name, g] of Object.entries(c.paramGrads)) expectClose(params.get(name)!.grad, decode(g));
    });
  }
});
