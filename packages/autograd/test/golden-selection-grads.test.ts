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
import type { SelectionGradCase } from '../../tensor/test/selection-table.js';

type Attrs = Record<string, any>;
type GradCase = SelectionGradCase<Encoded>;

const fixture: { torch: string; cases: GradCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/selection-grads.json', import.meta.url), 'utf8'),
);

// ±Infinity in attrs travel as strings.
const num = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));
const ordOf = (v: unknown): any => (v === 'fro' || v === 'nuc' ? v : num(v));

// Each fixture op as a call of the JS API, giving the differentiable result; attrs are named after its parameters.
type Op = (xs: Tensor[], a: Attrs) => Tensor;
const OPS: Record<string, Op> = {
  sort: ([x], a) => T.sort(x, a.axis, a.descending, a.stable).values,
  topk: ([x], a) => T.topk(x, a.k, a.axis, a.largest).values,
  cumsum: ([x], a) => T.cumsum(x, a.axis),
  cumprod: ([x], a) => T.cumprod(x, a.axis),
  cummax: ([x], a) => T.cummax(x, a.axis).values,
  cummin: ([x], a) => T.cummin(x, a.axis).values,
  max: ([x], a) => T.max(x, a.axes, a.keepDims),
  min: ([x], a) => T.min(x, a.axes, a.keepDims),
  amax: ([x], a) => T.amax(x, a.axes, a.keepDims),
  amin: ([x], a) => T.amin(x, a.axes, a.keepDims),
  vectorNorm: ([x], a) => T.vectorNorm(x, num(a.ord), a.axes, a.keepDims),
  matrixNorm: ([x], a) => T.matrixNorm(x, ordOf(a.ord), a.axes, a.keepDims),
  norm: ([x], a) => T.norm(x, ordOf(a.p), a.axes, a.keepDims),
  linalgNorm: ([x], a) => T.linalg.norm(x, ordOf(a.ord), a.axes, a.keepDims),
  einsum: (xs, a) => T.einsum(a.equation, ...xs),
  roll: ([x], a) => T.roll(x, a.shifts, a.axes),
  outer: ([x, y]) => T.outer(x, y),
  diag: ([x], a) => T.diag(x, a.offset),
  diagonal: ([x], a) => T.diagonal(x, a.offset, a.dim1, a.dim2),
  tril: ([x], a) => T.tril(x, a.diagonal),
  triu: ([x], a) => T.triu(x, a.diagonal),
  floor: ([x]) => T.floor(x),
  ceil: ([x]) => T.ceil(x),
  round: ([x]) => T.round(x),
};

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
