import { readFileSync } from 'node:fs';
import { Tensor } from '@backprop/tensor';
import { expect } from 'vitest';

export interface FixtureTensor {
  shape: number[];
  dtype: 'float64' | 'int32';
  data: number[];
}

export interface LossCase {
  id: string;
  loss: string;
  options: Record<string, unknown>;
  tensorOptions: Record<string, FixtureTensor>;
  input: FixtureTensor;
  target: FixtureTensor;
  upstream: FixtureTensor | null;
  output: FixtureTensor;
  grads: { input: FixtureTensor; target: FixtureTensor | null };
}

/** The PyTorch golden cases written by tooling/fixtures/losses/gen_losses.py. */
export function loadCases(): LossCase[] {
  const url = new URL('./fixtures/losses.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: LossCase[] }).cases;
}

export function fromFixture(t: FixtureTensor): Tensor {
  const data = t.dtype === 'int32' ? Int32Array.from(t.data) : Float64Array.from(t.data);
  return new Tensor(data, t.shape, t.dtype);
}

// rtol 1e-10 as the goal; the 1e-14 floor admits values that are zero up to rounding (softmax − one-hot).
const RTOL = 1e-10;
const ATOL = 1e-14;

/** Expects `actual` to have the fixture's shape and values to rtol 1e-10. */
export function expectMatches(actual: Tensor, expected: FixtureTensor, what: string): void {
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  expected.data.forEach((want, i) => {
    const got = Number(actual.dataSync()[i]);
    const ok = Math.abs(got - want) <= RTOL * Math.abs(want) + ATOL;
    if (!ok) expect.fail(`${what}: element ${i} is ${got}, PyTorch gives ${want}`);
  });
}
