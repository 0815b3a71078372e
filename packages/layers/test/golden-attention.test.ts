import type { Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import * as L from '../src/index.js';
import type { AnyModule, LayerConfig } from '../src/index.js';
import { attentionOptions, runAttention, type AttentionCase } from './attention-table.js';
import { decode, expectClose, layerFromCase, readFixture, type Encoded } from './helpers.js';

type Case = AttentionCase<Encoded> & { config?: LayerConfig };

function check(c: Case): void {
  const model = c.config ? layerFromCase<AnyModule>({ config: c.config, state: c.state! }).eval() : null;
  const x = c.inputs.map((e) => decode(e).requiresGrad_());
  const outs = runAttention(L, c, model, x, attentionOptions(c, decode)) as Tensor[];
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
