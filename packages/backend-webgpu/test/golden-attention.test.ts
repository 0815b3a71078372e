// The PyTorch golden cases of attention and the transformer layers (packages/layers/test/fixtures:
// attention.json and transformer.json, written by tooling/fixtures/layers/gen_attention.py) with webgpu
// active: scaledDotProductAttention, MultiheadAttention and the encoder/decoder layers and stacks, loaded
// from torch's state_dicts, on inputs and masks in GPU buffers; outputs (and attention weights), input and
// parameter gradients read with `await t.read()`. The cases are float64 and run in float32, at `FLOAT32`
// tolerances.
import '@backprop/autograd';
import * as L from '@backprop/layers';
import type { AnyModule, LayerConfig } from '@backprop/layers';
import type { Tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { attentionOptions, runAttention, type AttentionCase } from '../../layers/test/attention-table.js';
import { decodeGpu, decodeHost, expectGolden, float32Config, onWebGpu, readFixture, type Encoded } from './golden.js';
import { startWebGpu } from './helpers.js';

type Case = AttentionCase<Encoded>;

async function check(c: Case): Promise<void> {
  const x = c.inputs.map((e) => decodeGpu(e).requiresGrad_());
  const options = attentionOptions(c, decodeGpu);
  const gradOutput = decodeGpu(c.gradOutput);
  const tol = { rtol: c.rtol, atol: c.atol };
  const { model, outs } = onWebGpu(() => {
    let layer: AnyModule | null = null;
    if (c.config) {
      layer = L.layerFromConfig(float32Config(c.config) as LayerConfig);
      const state = Object.fromEntries(Object.entries(c.state!).map(([k, v]) => [k, decodeHost(v)]));
      expect(layer.loadStateDict(state)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      layer.eval();
    }
    const results = runAttention(L, c, layer, x, options) as Tensor[];
    results[0].mul(gradOutput).sum().backward();
    return { model: layer, outs: results };
  });
  expect(outs).toHaveLength(c.outputs.length);
  for (const [i, o] of outs.entries()) await expectGolden(o, c.outputs[i], tol, `output ${i}`);
  for (const [i, t] of x.entries()) await expectGolden(t.grad!, c.inputGrads[i], tol, `gradient of input ${i}`);
  if (!model) return;
  const params = new Map(model.namedParameters());
  expect([...params.keys()].sort()).toEqual(Object.keys(c.paramGrads).sort());
  for (const [name, g] of Object.entries(c.paramGrads)) await expectGolden(params.get(name)!.grad!, g, tol, `gradient of ${name}`);
}

beforeAll(startWebGpu);

describe('scaledDotProductAttention and MultiheadAttention match PyTorch on webgpu', () => {
  for (const c of readFixture<Case>('../../layers/test/fixtures/attention.json').cases) it(c.name, () => check(c));
});

describe('transformer layers loaded from PyTorch state_dicts match PyTorch on webgpu in eval mode', () => {
  for (const c of readFixture<Case>('../../layers/test/fixtures/transformer.json').cases) it(c.name, () => check(c));
});
