// The PyTorch golden cases of one forward and backward pass through a layer (packages/layers/test/fixtures:
// mlp.json, conv.json, normalization.json, modern.json, cnn.json, recurrent.json and sequences.json, written by
// tooling/fixtures/layers/gen_*.py): each layer is rebuilt from its config with torch's state_dict loaded,
// then run with webgpu active on inputs in GPU buffers; outputs, final states, input and parameter
// gradients and running statistics are read with `await t.read()`. The cases are float64 and run in
// float32 (the config's dtype, the weights and the inputs), at `FLOAT32` tolerances.
import '@backprop/autograd';
import { noGrad } from '@backprop/autograd';
import * as Layers from '@backprop/layers';
import {
  layerFromConfig, LSTM, PackedSequence, packPaddedSequence, padPackedSequence, padSequence, type AnyModule, type LayerConfig,
} from '@backprop/layers';
import type { Tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { basicBlockFor } from '../../layers/test/basic-block.js';
import { decodeGpu, decodeHost, expectGolden, float32Config, onWebGpu, readFixture, type Encoded } from './golden.js';
import type { PassCase } from '../../layers/test/helpers.js';
import { startWebGpu } from './helpers.js';


// The fixtures' own tolerance is the float64 default of the layers' golden tests; float results widen it.
const TOLERANCE = { rtol: 1e-10, atol: 1e-12 };

beforeAll(startWebGpu);

/** A layer as the case describes it (its config, or `build`), in float32 with torch's weights, built with webgpu active. */
function layerOf(c: { config: LayerConfig | null; state: Record<string, Encoded>; build?: () => AnyModule }): AnyModule {
  const layer = c.build ? c.build() : layerFromConfig(float32Config(c.config) as LayerConfig);
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

interface CnnCase extends Omit<PassCase, 'config'> {
  /** null: torchvision's ResNet BasicBlock (layers/test/basic-block.ts), built from the state's sizes. */
  config: LayerConfig | null;
  buffers: Record<string, Encoded>;
  evalInput: Encoded;
  evalOutput: Encoded;
}

describe('networks of cnn.json (LeNet-5, ResNet basic blocks) match PyTorch on webgpu: a training step, running statistics, then eval', () => {
  for (const c of readFixture<CnnCase>('../../layers/test/fixtures/cnn.json').cases) {
    it(c.name, async () => {
      const x = decodeGpu(c.input).requiresGrad_();
      const gradOutput = decodeGpu(c.gradOutput);
      const evalInput = decodeGpu(c.evalInput);
      const { model, y, evaluated } = onWebGpu(() => {
        const layer = layerOf({ ...c, build: c.config ? undefined : () => basicBlockFor(Layers, c, 'float32') as AnyModule });
        const out = layer.call(x) as Tensor;
        out.backward(gradOutput);
        layer.eval();
        return { model: layer, y: out, evaluated: noGrad(() => layer.call(evalInput) as Tensor) };
      });
      await expectGolden(y, c.output, TOLERANCE, 'output');
      await expectGolden(x.grad!, c.inputGrad, TOLERANCE, 'input gradient');
      await expectState(model, c);
      await expectGolden(evaluated, c.evalOutput, TOLERANCE, 'eval output');
    });
  }
});

interface RecurrentCase extends PassCase {
  /** [h0] or [h0, c0], or empty for zero initial states. */
  initial: Encoded[];
  /** [hN] or [hN, cN]. */
  final: Encoded[];
  gradFinal: Encoded[];
  initialGrads: Encoded[];
  /** sequences.json: the lengths to pack the input by (null: not packed), with the case's own tolerance. */
  lengths?: number[] | null;
  enforceSorted?: boolean;
  rtol?: number;
  atol?: number;
}

/** Runs the case's layer (packing its input first when it has lengths), then backward through time. */
async function expectRecurrentCase(c: RecurrentCase): Promise<void> {
  const x = decodeGpu(c.input).requiresGrad_();
  const initial = c.initial.map((e) => decodeGpu(e).requiresGrad_());
  const gradOutput = decodeGpu(c.gradOutput);
  const gradFinal = c.gradFinal.map(decodeGpu);
  const tol = c.rtol === undefined ? TOLERANCE : { rtol: c.rtol, atol: c.atol! };
  const { model, output, final } = onWebGpu(() => {
    const layer = layerOf(c);
    const batchFirst = (c.config as { batchFirst?: boolean }).batchFirst ?? false;
    const feed = c.lengths ? packPaddedSequence(x, c.lengths, { batchFirst, enforceSorted: c.enforceSorted }) : x;
    // An RNN or GRU returns [output, hN], an LSTM [output, [hN, cN]].
    const [out, state] = layer.call(feed, ...(initial.length === 0 ? [] : [layer instanceof LSTM ? initial : initial[0]])) as [Tensor | PackedSequence, Tensor | Tensor[]];
    const padded = out instanceof PackedSequence ? padPackedSequence(out, { batchFirst })[0] : out;
    const states = Array.isArray(state) ? state : [state];
    let loss = padded.mul(gradOutput).sum();
    states.forEach((h, i) => (loss = loss.add(h.mul(gradFinal[i]).sum())));
    loss.backward();
    return { model: layer, output: padded, final: states };
  });
  await expectGolden(output, c.output, tol, 'output');
  expect(final).toHaveLength(c.final.length);
  for (const [i, f] of final.entries()) await expectGolden(f, c.final[i], tol, `final state ${i}`);
  await expectGolden(x.grad!, c.inputGrad, tol, 'input gradient');
  for (const [i, h] of initial.entries()) await expectGolden(h.grad!, c.initialGrads[i], tol, `gradient of initial state ${i}`);
  const params = new Map(model.namedParameters());
  expect([...params.keys()]).toEqual(Object.keys(c.paramGrads));
  for (const [name, g] of Object.entries(c.paramGrads)) await expectGolden(params.get(name)!.grad!, g, tol, `gradient of ${name}`);
}

describe('RNN, LSTM and GRU of recurrent.json match PyTorch on webgpu: outputs, final states and gradients through time', () => {
  for (const c of readFixture<RecurrentCase>('../../layers/test/fixtures/recurrent.json').cases) it(c.name, () => expectRecurrentCase(c));
});

interface PadCase {
  name: string;
  sequences: Encoded[];
  batchFirst: boolean;
  paddingValue: number;
  padded: Encoded;
}

describe('packed sequences, LSTM projections and padSequence of sequences.json match PyTorch on webgpu', () => {
  for (const c of readFixture<RecurrentCase | PadCase>('../../layers/test/fixtures/sequences.json').cases) {
    if ('config' in c) {
      it(c.name, () => expectRecurrentCase(c));
    } else {
      it(c.name, async () => {
        const sequences = c.sequences.map(decodeGpu);
        const padded = onWebGpu(() => padSequence(sequences, { batchFirst: c.batchFirst, paddingValue: c.paddingValue }));
        await expectGolden(padded, c.padded, TOLERANCE, 'padded');
      });
    }
  }
});
