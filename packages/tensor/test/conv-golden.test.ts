// Convolution, pooling and upsampling values against PyTorch. The fixture is written by
// tooling/fixtures/tensor/gen_conv.py; regenerate it rather than editing it. Gradients of the same cases
// are checked in @backprop/autograd's conv-golden-grads test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import type { DType, Tensor } from '../src/index.js';
import { convOps, convWithIndices, type ConvCase } from './conv-table.js';

interface Encoded {
  shape: number[];
  dtype: DType;
  data: number[];
}

const fixture: { cases: ConvCase<Encoded>[] } = JSON.parse(readFileSync(new URL('./fixtures/conv.json', import.meta.url), 'utf8'));

const decode = (e: Encoded): Tensor =>
  T.tensor({ float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array }[e.dtype].from(e.data), e.shape);

const OPS: Record<string, (xs: Tensor[], o: any) => Tensor> = convOps(T);
const WITH_INDICES: Record<string, (x: Tensor, o: any) => T.MaxPoolResult> = convWithIndices(T);

function expectClose(got: Tensor, want: Encoded, tol: { rtol: number; atol: number }): void {
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  let worst = 0;
  got.data.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - want.data[i]) - tol.rtol * Math.abs(want.data[i]));
  });
  expect(worst).toBeLessThanOrEqual(tol.atol);
}

describe('convolution and pooling match PyTorch', () => {
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
