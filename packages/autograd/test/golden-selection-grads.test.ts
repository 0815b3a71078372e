// Gradients of the sorting, scan, norm, einsum and structure ops against PyTorch: each case holds torch's
// gradient of (op(inputs) * w).sum() with respect to every float input, in float64 (of the values, for ops
// that also return indices). The fixture is written by tooling/fixtures/tensor/gen_selection.py; regenerate,
// don't edit.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as T from '@backprop/tensor';
import type { Tensor } from '@backprop/tensor';
import { decode, type Encoded } from '@backprop/test-utils';
import { gradients } from '../src/index.js';
import { selectionOps, type SelectionGradCase } from '../../tensor/test/selection-table.js';

type Attrs = Record<string, any>;
type GradCase = SelectionGradCase<Encoded>;

const fixture: { torch: string; cases: GradCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/selection-grads.json', import.meta.url), 'utf8'),
);

// The differentiable ops of the fixture, called through the value tests' table; for those that also return
// indices (sort, topk, cummax, cummin) the values are the differentiable result.
const GRAD_OPS = ['sort', 'topk', 'cumsum', 'cumprod', 'cummax', 'cummin', 'max', 'min', 'amax', 'amin', 'vectorNorm', 'matrixNorm', 'norm', 'linalgNorm', 'einsum', 'roll', 'outer', 'diag', 'diagonal', 'tril', 'triu', 'floor', 'ceil', 'round'];
const TABLE = selectionOps(T);
const OPS: Record<string, (xs: Tensor[], a: Attrs) => Tensor> = Object.fromEntries(
  GRAD_OPS.map((name) => [name, (xs: Tensor[], a: Attrs) => {
    const out = TABLE[name](xs, a);
    return out instanceof T.Tensor ? out : out.values;
  }]),
);

/** The first element outside |got − want| ≤ atol + rtol·|want| (NaN matches NaN), or null. */
function firstMismatch(got: ArrayLike<number>, want: number[], rtol: number, atol: number): string | null {
  for (let i = 0; i < want.length; i++) {
    const g = Number(got[i]);
    const w = want[i];
    const same = Number.isNaN(w) ? Number.isNaN(g) : g === w || Math.abs(g - w) <= atol + rtol * Math.abs(w);
    if (!same) return `element ${i}: got ${g}, PyTorch ${w} (difference ${Math.abs(g - w)})`;
  }
  return null;
}

describe(`gradients of sorting, scans, norms, einsum and structure ops match PyTorch ${fixture.torch}`, () => {
  it('the fixture covers every op the tests know, and nothing else', () => {
    expect(new Set(fixture.cases.map((c) => c.op))).toEqual(new Set(Object.keys(OPS)));
  });
  for (const c of fixture.cases) {
    it(c.name, () => {
      const inputs = c.inputs.map((x) => decode(x).requiresGrad_());
      const out = OPS[c.op](inputs, c.attrs);
      expect(out.shape).toEqual(c.weight.shape);
      const found = gradients(T.sum(T.mul(out, decode(c.weight))), inputs);
      const wanted = c.grads.filter((g): g is Encoded => g !== null);
      expect(found).toHaveLength(wanted.length);
      found.forEach((g, i) => {
        expect(g.dtype).toBe('float64');
        expect(g.shape).toEqual(wanted[i].shape);
        const mismatch = firstMismatch(g.dataSync(), Array.from(decode(wanted[i]).dataSync()), c.rtol, c.atol);
        expect(mismatch, `gradient of input ${i}`).toBeNull();
      });
    });
  }
});
