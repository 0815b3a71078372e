import type { Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import {
  scaledDotProductAttention, type AnyModule, type LayerConfig, type MultiheadAttention, type Transformer, type TransformerDecoderLayer,
  type TransformerEncoder, type TransformerEncoderLayer,
} from '../src/index.js';
import { decode, expectClose, layerFromCase, readFixture, type Encoded } from './helpers.js';

interface Case {
  name: string;
  kind: 'sdpa' | 'mha' | 'mhaSelf' | 'encoderLayer' | 'decoderLayer' | 'encoder' | 'transformer';
  config?: LayerConfig;
  state?: Record<string, Encoded>;
  inputs: Encoded[];
  options: Record<string, Encoded | number | boolean>;
  outputs: Encoded[];
  gradOutput: Encoded;
  inputGrads: Encoded[];
  paramGrads: Record<string, Encoded>;
  rtol: number;
  atol: number;
}

/** The case's options with its tensors decoded (masks), numbers and flags as they are. */
function options(c: Case): Record<string, unknown> {
  return Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, typeof v === 'object' ? decode(v) : v]));
}

/** Calls what the case describes; returns its outputs (a layer's weights after its output, when it returns them). */
function run(c: Case, model: AnyModule | null, x: Tensor[]): Tensor[] {
  const o = options(c);
  switch (c.kind) {
    case 'sdpa':
      return [scaledDotProductAttention(x[0], x[1], x[2], o)];
    case 'mha':
    case 'mhaSelf': {
      const [q, k, v] = c.kind === 'mha' ? x : [x[0], x[0], x[0]];
      const [out, weights] = (model as MultiheadAttention).call(q, k, v, o);
      return weights ? [out, weights] : [out];
    }
    case 'encoderLayer':
      return [(model as TransformerEncoderLayer).call(x[0], o)];
    case 'encoder':
      return [(model as TransformerEncoder).call(x[0], o)];
    case 'decoderLayer':
      return [(model as TransformerDecoderLayer).call(x[0], x[1], o)];
    case 'transformer':
      return [(model as Transformer).call(x[0], x[1], o)];
  }
}

function check(c: Case): void {
  const model = c.config ? layerFromCase<AnyModule>({ config: c.config, state: c.state! }).eval() : null;
  const x = c.inputs.map((e) => decode(e).requiresGrad_());
  const outs = run(c, model, x);
  expect(outs.length).toBe(c.outputs.length);
  outs.forEach((o, i) => expectClose(o, decode(c.outputs[i]), c.rtol, c.atol));
  outs[0].mul(decode(c.gradOutput)).sum().backward();
  x.forEach((t, i) => expectClose(t.grad, decode(c.inputGrads[i]), c.rtol, c.atol));
  if (!model) return;
  const params = new Map(model.namedParameters());
  expect([...params.keys()].sort()).toEqual(Object.keys(c.paramGrads).sort());
  for (const [name, g] of Object.entries(c.paramGrads)) expectClose(params.get(name)!.grad, decode(g), c.rtol, c.atol);
}

describe('scaledDotProductAttention and MultiheadAttention match PyTorch (float64): outputs, weights and gradients', () => {
  for (const c of readFixture<Case>('attention.json').cases) it(c.name, () => check(c));
});

describe('transformer layers loaded from PyTorch state_dicts match PyTorch in eval mode (float64): outputs and gradients', () => {
  for (const c of readFixture<Case>('transformer.json').cases) it(c.name, () => check(c));
});
