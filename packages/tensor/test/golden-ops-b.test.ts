// avgPool1d, adaptive max pooling, interpolate, distances, searching and counting, and linear algebra
// against PyTorch. The fixture is written by tooling/fixtures/tensor/gen_ops_b.py; regenerate it rather
// than editing it. Gradients of the same cases are checked in @backprop/autograd's golden-ops-b-grads test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import type { DType, Tensor } from '../src/index.js';
import { opsB, withIndicesB, type OpsBCase } from './ops-b-table.js';

interface Encoded {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
}

const fixture: { cases: OpsBCase<Encoded>[] } = JSON.parse(readFileSync(new URL('./fixtures/ops-b.json', import.meta.url), 'utf8'));
const ARRAYS = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array };
const decode = (e: Encoded): Tensor => T.tensor(ARRAYS[e.dtype].from(e.data.map(Number)), e.shape);
const OPS = opsB(T);
const WITH_INDICES = withIndicesB(T);

function expectClose(got: Tensor, want: Encoded, tol: { rtol: number; atol: number }): void {
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  const values = got.dataSync();
  want.data.map(Number).forEach((w, i) => {
    const g = Number(values[i]);
    if (!(Math.abs(g - w) <= tol.atol + tol.rtol * Math.abs(w))) expect.fail(`element ${i}: got ${g}, want ${w}`);
  });
}

describe('pooling, interpolation, distances, counting and linear algebra match PyTorch', () => {
  it('covers every op', () => {
    expect(new Set(fixture.cases.map((c) => c.op))).toEqual(new Set(Object.keys(OPS)));
  });
  for (const c of fixture.cases) {
    it(c.name, () => {
      const inputs = c.inputs.map(decode);
      expectClose(OPS[c.op](inputs, c.options), c.output, c.tolerance);
      if (c.indices) {
        const { values, indices } = WITH_INDICES[c.op](inputs[0], c.options);
        expect(indices.dtype).toBe('int32');
        expect(indices.shape).toEqual(c.indices.shape);
        expect(indices.toFlatArray()).toEqual(c.indices.data);
        expectClose(values, c.output, c.tolerance);
      }
    });
  }
});
