// The PyTorch golden cases of one forward and backward pass through a layer (packages/layers/test/fixtures:
// mlp.json, conv.json, normalization.json, modern.json and recurrent.json, written by
// tooling/fixtures/layers/gen_*.py): each layer is rebuilt from its config with torch's state_dict loaded,
// then run with webgpu active on inputs in GPU buffers; outputs, final states, input and parameter
// gradients and running statistics are read with `await t.read()`. The cases are float64 and run in
// float32 (the config's dtype, the weights and the inputs), at `FLOAT32` tolerances.
import '@backprop/autograd';
import { noGrad } from '@backprop/autograd';
import { layerFromConfig, LSTM, type AnyModule, type LayerConfig } from '@backprop/layers';
import type { Tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeGpu, decodeHost, expectGolden, float32Config, onWebGpu, readFixture, type Encoded } from './golden.js';
import type { PassCase } from '../../layers/test/helpers.js';
import { startWebGpu } from './helpers.js';


// The fixtures' own tolerance is the float64 default of the layers' golden tests; float results widen it.
const TOLERANCE = { rtol: 1e-10, atol: 1e-12 };

beforeAll(startWebGpu);

/** A layer as the case describes it, in float32 with torch's weights, built with webgpu active. */
function layerOf(c: { config: LayerConfig; state: Record<string, Encoded> }): AnyModule {
  const layer = layerFromConfig(float32Config(c.config) as LayerConfig);
  const state = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decodeHost(v)]));
  expect(layer.loadStateDict(state)).toEqual({ missingKeys: [], unexpectedKeys: [] });
  return layer;
}

/** Expects every parameter's gradient, and every buffer the case lists (running statistics), to be torch's. */
async function expectState(model: AnyModule, c: { paramGrads: Record<string, Encoded>; buffers?: Record<string, Encoded> }): Promise<void> {
  const params = new Map(model.namedParameters());
  expect([...params.keys()].sort()).toEqual(Object.keys(c.paramGrads).sort());
  for (const [name, g] of Object.entries(c.paramGrads)) await expectGolden(params.get(name)!.grad!, g, TOLERANCE, `gradient of ${name}`);
  if (!c.buffers) return;
  const buffers = new Map(model.namedBuffers());
  expect([...buffers.keys()].sort()).toEqual(Object.keys(c.buffers).sort());
  // Running statistics are updated in place on the GPU; a counter such as BatchNorm's batches seen may
  // stay a host integer.
  for (const [name, b] of Object.entries(c.buffers)) await expectGolden(buffers.get(name)!, b, TOLERANCE, `buffer ${name}`, null);
}

for (const file of ['mlp.json', 'conv.json']) {
  describe(`layers of ${file} match PyTorch on webgpu`, () => {
    for (const c of readFixture<PassCase>(`../../layers/test/fixtures/${file}`).cases) {
      it(c.name, async () => {
        const x = decodeGpu(c.input).requiresGrad_();
        const gradOutput = decodeGpu(c.gradOutput);
        const { model, y } = onWebGpu(() => {
          const layer = layerOf(c);
          const out = layer.call(x) as Tensor;
          out.backward(gradOutput);
          return { model: layer, y: out };
        });
        await expectGolden(y, c.output, TOLERANCE, 'output');
        await expectGolden(x.grad!, c.inputGrad, TOLERANCE, 'input gradient');
        await expectState(model, c);
      });
    }
  });
}

interface StatefulCase extends PassCase {
  training: boolean;
  /** normalization.json: batches run in training mode first, to move the running statistics. */
  warmup?: Encoded[];
  /** modern.json: a second input (Bilinear). */
  input2?: Encoded;
  input2Grad?: Encoded;
  inputGrad: Encoded;
  buffers: Record<string, Encoded>;
}

for (const file of ['normalization.json', 'modern.json']) {
  describe(`layers of ${file} match PyTorch on webgpu, running statistics included`, () => {
    for (const c of readFixture<StatefulCase>(`../../layers/test/fixtures/${file}`).cases) {
      it(c.name, async () => {
        const warmup = (c.warmup ?? []).map(decodeGpu);
        // Embedding's input is indices, which take no gradient (its case has no inputGrad).
        const x = c.inputGrad ? decodeGpu(c.input).requiresGrad_() : decodeGpu(c.input);
        const x2 = c.input2 ? decodeGpu(c.input2).requiresGrad_() : null;
        const gradOutput = decodeGpu(c.gradOutput);
        const { model, y } = onWebGpu(() => {
          const layer = layerOf(c).train();
          for (const batch of warmup) noGrad(() => layer.call(batch));
          layer.train(c.training);
          const out = (x2 ? layer.call(x, x2) : layer.call(x)) as Tensor;
          out.backward(gradOutput);
          return { model: layer, y: out };
        });
        await expectGolden(y, c.output, TOLERANCE, 'output');
        if (c.inputGrad) await expectGolden(x.grad!, c.inputGrad, TOLERANCE, 'input gradient');
        if (x2) await expectGolden(x2.grad!, c.input2Grad!, TOLERANCE, 'second input gradient');
        await expectState(model, c);
      });
    }
  });
}

interface RecurrentCase extends PassCase {
  /** [h0] or [h0, c0], or empty for zero initial states. */
  initial: Encoded[];
  /** [hN] or [hN, cN]. */
  final: Encoded[];
  gradFinal: Encoded[];
  initialGrads: Encoded[];
}

describe('RNN, LSTM and GRU of recurrent.json match PyTorch on webgpu: outputs, final states and gradients through time', () => {
  for (const c of readFixture<RecurrentCase>('../../layers/test/fixtures/recurrent.json').cases) {
    it(c.name, async () => {
      const x = decodeGpu(c.input).requiresGrad_();
      const initial = c.initial.map((e) => decodeGpu(e).requiresGrad_());
      const gradOutput = decodeGpu(c.gradOutput);
      const gradFinal = c.gradFinal.map(decodeGpu);
      const { model, output, final } = onWebGpu(() => {
        const layer = layerOf(c);
        // An RNN or GRU returns [output, hN], an LSTM [output, [hN, cN]].
        const [out, state] = layer.call(x, ...(initial.length === 0 ? [] : [layer instanceof LSTM ? initial : initial[0]])) as [Tensor, Tensor | Tensor[]];
        const states = Array.isArray(state) ? state : [state];
        let loss = out.mul(gradOutput).sum();
        states.forEach((s, i) => (loss = loss.add(s.mul(gradFinal[i]).sum())));
        loss.backward();
        return { model: layer, output: out, final: states };
      });
      await expectGolden(output, c.output, TOLERANCE, 'output');
      expect(final).toHaveLength(c.final.length);
      for (const [i, f] of final.entries()) await expectGolden(f, c.final[i], TOLERANCE, `final state ${i}`);
      await expectGolden(x.grad!, c.inputGrad, TOLERANCE, 'input gradient');
      for (const [i, s] of initial.entries()) await expectGolden(s.grad!, c.initialGrads[i], TOLERANCE, `gradient of initial state ${i}`);
      await expectState(model, c);
    });
  }
});
