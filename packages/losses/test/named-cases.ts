// Golden cases of losses with several named inputs (tooling/fixtures/losses/loss_cases.py).
import { gradients } from '@backprop/autograd';
import type { Tensor } from '@backprop/tensor';
import { expect, it } from 'vitest';
import { fromFixture, type FixtureTensor } from './fixture-helpers.js';
import { readFileSync } from 'node:fs';

export interface NamedCase {
  name: string;
  loss: string;
  options: Record<string, unknown>;
  inputs: Record<string, FixtureTensor>;
  output: FixtureTensor;
  upstream: FixtureTensor;
  grads: Record<string, FixtureTensor>;
}

export function loadNamedCases(file: string): NamedCase[] {
  const url = new URL(`./fixtures/${file}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: NamedCase[] }).cases;
}

const decode = (t: FixtureTensor): Tensor => fromFixture({ ...t, data: t.data.map(Number) });

/** Expects `actual` to have the fixture's shape and values to |Δ| ≤ atol + rtol·|want| (∞ must match exactly). */
export function expectClose(actual: Tensor, expected: FixtureTensor, what: string, rtol = 1e-10, atol = 1e-13): void {
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  const got = actual.dataSync();
  expected.data.forEach((raw, i) => {
    const want = Number(raw);
    const ok = want === got[i] || Math.abs(got[i] - want) <= rtol * Math.abs(want) + atol;
    if (!ok) expect.fail(`${what}: element ${i} is ${got[i]}, PyTorch gives ${want}`);
  });
}

/**
 * One `it` per case: `call(loss, inputs, options)` computes the loss from the decoded inputs; its value and
 * the gradients of (output·upstream).sum() must match PyTorch's.
 */
export function itMatchesEachCase(
  cases: NamedCase[],
  call: (loss: string, inputs: Record<string, Tensor>, options: Record<string, unknown>) => Tensor,
): void {
  for (const c of cases) {
    it(c.name, () => {
      const inputs = Object.fromEntries(Object.entries(c.inputs).map(([role, t]) => [role, decode(t)]));
      const wrt = Object.keys(c.grads);
      for (const role of wrt) inputs[role].requiresGrad_();
      const output = call(c.loss, inputs, c.options);
      expectClose(output, c.output, 'value');
      const found = gradients(output.mul(decode(c.upstream)).sum(), wrt.map((role) => inputs[role]));
      wrt.forEach((role, i) => expectClose(found[i], c.grads[role], `gradient w.r.t. ${role}`));
    });
  }
}
