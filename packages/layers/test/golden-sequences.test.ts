import type { Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import {
  LSTM, PackedSequence, packPaddedSequence, padPackedSequence, padSequence, type LayerConfig, type RecurrentBase,
} from '../src/index.js';
import { decode, expectClose, layerFromCase, readFixture, type Encoded } from './helpers.js';

interface LayerCase {
  name: string;
  config: LayerConfig & { batchFirst: boolean };
  state: Record<string, Encoded>;
  input: Encoded;
  lengths: number[] | null;
  enforceSorted: boolean;
  initial: Encoded[];
  output: Encoded;
  final: Encoded[];
  gradOutput: Encoded;
  gradFinal: Encoded[];
  inputGrad: Encoded;
  initialGrads: Encoded[];
  paramGrads: Record<string, Encoded>;
  rtol: number;
  atol: number;
}

interface PadCase {
  name: string;
  sequences: Encoded[];
  batchFirst: boolean;
  paddingValue: number;
  padded: Encoded;
}

const cases = readFixture<LayerCase | PadCase>('sequences.json').cases;

/** The layer's output (padded back when the input was packed) and its final states as a list. */
function run(model: RecurrentBase<unknown>, c: LayerCase, x: Tensor, initial: Tensor[]): [Tensor, Tensor[]] {
  const batchFirst = c.config.batchFirst;
  const feed = c.lengths ? packPaddedSequence(x, c.lengths, { batchFirst, enforceSorted: c.enforceSorted }) : x;
  const [out, final] = (model as RecurrentBase<Tensor | [Tensor, Tensor]>).call(
    feed as Tensor,
    (initial.length === 0 ? undefined : model instanceof LSTM ? [initial[0], initial[1]] : initial[0]) as Tensor,
  );
  let output = out as Tensor | PackedSequence;
  if (c.lengths) {
    expect(output).toBeInstanceOf(PackedSequence);
    [output] = padPackedSequence(output as PackedSequence, { batchFirst });
  }
  return [output as Tensor, Array.isArray(final) ? final : [final]];
}

describe('packed sequences and LSTM projections match PyTorch (float64): outputs, final states and gradients', () => {
  for (const c of cases) {
    if (!('config' in c)) continue;
    it(c.name, () => {
      const model = layerFromCase<RecurrentBase<unknown>>(c);
      const x = decode(c.input).requiresGrad_();
      const initial = c.initial.map((s) => decode(s).requiresGrad_());
      const [output, final] = run(model, c, x, initial);
      expectClose(output, decode(c.output), c.rtol, c.atol);
      final.forEach((f, i) => expectClose(f, decode(c.final[i]), c.rtol, c.atol));
      let loss = output.mul(decode(c.gradOutput)).sum();
      final.forEach((f, i) => (loss = loss.add(f.mul(decode(c.gradFinal[i])).sum())));
      loss.backward();
      expectClose(x.grad, decode(c.inputGrad), c.rtol, c.atol);
      initial.forEach((s, i) => expectClose(s.grad, decode(c.initialGrads[i]), c.rtol, c.atol));
      const params = new Map(model.namedParameters());
      expect([...params.keys()]).toEqual(Object.keys(c.paramGrads));
      for (const [name, g] of Object.entries(c.paramGrads)) expectClose(params.get(name)!.grad, decode(g), c.rtol, c.atol);
    });
  }

  for (const c of cases) {
    if (!('sequences' in c)) continue;
    it(c.name, () => {
      const padded = padSequence(c.sequences.map(decode), { batchFirst: c.batchFirst, paddingValue: c.paddingValue });
      expectClose(padded, decode(c.padded));
    });
  }
});
