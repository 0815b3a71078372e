// The PyTorch golden cases of packages/tensor/test/fixtures/ops-b.json (pooling, interpolation, distances,
// counting, linear algebra; written by tooling/fixtures/tensor/gen_ops_b.py), values and gradients, run
// with the wasm backend active: its matmul, elementwise, reduction and pooling kernels take part, and the
// kernels it lacks fall back to cpu.
import { readFileSync } from 'node:fs';
import '@backprop/autograd';
import { gradients } from '@backprop/autograd';
import * as T from '@backprop/tensor';
import type { DType, Tensor } from '@backprop/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../src/index.js';
import { opsB } from '../../tensor/test/ops-b-table.js';

interface Encoded {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
}
interface OpsBCase {
  name: string;
  op: string;
  options: any;
  inputs: Encoded[];
  output: Encoded;
  projection?: Encoded;
  grads?: (Encoded | null)[];
  tolerance: { rtol: number; atol: number };
}

const fixture: { cases: OpsBCase[] } = JSON.parse(
  readFileSync(new URL('../../tensor/test/fixtures/ops-b.json', import.meta.url), 'utf8'),
);
const ARRAYS = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array };
const decode = (e: Encoded): Tensor => T.tensor(ARRAYS[e.dtype].from(e.data.map(Number)), e.shape);
const OPS = opsB(T);

function expectClose(got: Tensor, want: Encoded, tol: { rtol: number; atol: number }, what: string): void {
  expect(got.shape, what).toEqual(want.shape);
  expect(got.dtype, what).toBe(want.dtype);
  const values = got.dataSync();
  want.data.map(Number).forEach((w, i) => {
    const g = Number(values[i]);
    if (!(Math.abs(g - w) <= tol.atol + tol.rtol * Math.abs(w))) expect.fail(`${what} element ${i}: got ${g}, want ${w}`);
  });
}

beforeAll(async () => {
  await useWasmBackend();
  T.setBackend('wasm');
});

afterAll(() => T.setBackend('cpu'));

describe('the ops-b golden cases match PyTorch with the wasm backend active', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      expect(T.getBackend()).toBe('wasm');
      const inputs = c.inputs.map((e) => (e.dtype.startsWith('float') && c.grads ? decode(e).requiresGrad_() : decode(e)));
      const out = OPS[c.op](inputs, c.options) as Tensor;
      expectClose(out, c.output, c.tolerance, 'value');
      if (!c.grads) return;
      const wanted = c.grads.flatMap((g, k) => (g === null ? [] : [k]));
      const got = gradients(T.sum(T.mul(out, decode(c.projection!))), wanted.map((k) => inputs[k]));
      got.forEach((g, j) => expectClose(g, c.grads![wanted[j]]!, c.tolerance, `gradient of input ${wanted[j]}`));
    });
  }
});
