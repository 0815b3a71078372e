import type { Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { LSTM, type LayerConfig, type RecurrentBase } from '../src/index.js';
import { decode, expectClose, readFixture, type Encoded, layerFromCase } from './helpers.js';

interface Case {
  name: string;
  config: LayerConfig;
  state: Record<string, Encoded>;
  input: Encoded;
  /** [h0] or [h0, c0], or empty for zero initial states. */
  initial: Encoded[];
  output: Encoded;
  /** [hN] or [hN, cN]. */
  final: Encoded[];
  gradOutput: Encoded;
  gradFinal: Encoded[];
  inputGrad: Encoded;
  initialGrads: Encoded[];
  paramGrads: Record<string, Encoded>;
}

const fixture = readFixture<Case>('recurrent.json');

/** Runs an RNN/GRU (`[output, hN]`) or an LSTM (`[output, [hN, cN]]`) and returns the output and the final states as a list. */
function run(model: RecurrentBase<unknown>, x: Tensor, initial: Tensor[]): [Tensor, Tensor[]] {
  if (model instanceof LSTM) {
    const [output, [h, c]] = (model as LSTM).call(x, initial.length > 0 ? [initial[0], initial[1]] : undefined);
    return [output, [h, c]];
  }
  const [output, h] = (model as RecurrentBase<Tensor>).call(x, initial[0]);
  return [output, [h]];
}

describe('RNN, LSTM and GRU match PyTorch (float64): outputs, final states and gradients through time', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const model = layerFromCase<RecurrentBase<unknown>>(c);
      const x = decode(c.input).requiresGrad_();
      const initial = c.initial.map((s) => decode(s).requiresGrad_());
      const [output, final] = run(model, x, initial);
      expectClose(output, decode(c.output));
      expect(final.length).toBe(c.final.length);
      final.forEach((f, i) => expectClose(f, decode(c.final[i])));
      let loss = output.mul(decode(c.gradOutput)).sum();
      final.forEach((f, i) => (loss = loss.add(f.mul(decode(c.gradFinal[i])).sum())));
      loss.backward();
      expectClose(x.grad, decode(c.inputGrad));
      initial.forEach((s, i) => expectClose(s.grad, decode(c.initialGrads[i])));
      const params = new Map(model.namedParameters());
      expect([...params.keys()]).toEqual(Object.keys(c.paramGrads));
      for (const [name, g] of Object.entries(c.paramGrads)) expectClose(params.get(name)!.grad, decode(g));
    });
  }
});
