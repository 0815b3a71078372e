// Values of the sorting, scan, norm, einsum, logic and structure ops against PyTorch. The fixture is written
// by tooling/fixtures/tensor/gen_selection.py (conventions in tooling/fixtures/README.md); regenerate it
// rather than editing it. Ops with several results are compared result by result.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import type { DType, Tensor } from '../src/index.js';

interface Encoded {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
}
type Attrs = Record<string, any>;
type Result = Tensor | Tensor[] | Record<string, Tensor | undefined>;
type Expected = Encoded | Encoded[] | Record<string, Encoded>;
interface ValueCase {
  name: string;
  op: string;
  attrs: Attrs;
  inputs: Encoded[];
  expected: Expected;
  rtol: number;
  atol: number;
}

const fixture: { torch: string; cases: ValueCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/selection.json', import.meta.url), 'utf8'),
);

const decode = (e: Encoded): Tensor => {
  const data = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array }[e.dtype].from(e.data.map(Number));
  return T.tensor(data, e.shape);
};
// ±Infinity in attrs travel as strings.
const num = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));
const ordOf = (v: unknown): any => (v === 'fro' || v === 'nuc' ? v : num(v));

// Each fixture op as a call of the JS API; attrs are named after its parameters.
type Op = (xs: Tensor[], a: Attrs) => Result;
const OPS: Record<string, Op> = {
  sort: ([x], a) => T.sort(x, a.axis, a.descending, a.stable) as unknown as Result,
  argsort: ([x], a) => T.argsort(x, a.axis, a.descending, a.stable),
  topk: ([x], a) => T.topk(x, a.k, a.axis, a.largest) as unknown as Result,
  cumsum: ([x], a) => T.cumsum(x, a.axis),
  cumprod: ([x], a) => T.cumprod(x, a.axis),
  cummax: ([x], a) => T.cummax(x, a.axis) as unknown as Result,
  cummin: ([x], a) => T.cummin(x, a.axis) as unknown as Result,
  max: ([x], a) => T.max(x, a.axes, a.keepDims),
  min: ([x], a) => T.min(x, a.axes, a.keepDims),
  amax: ([x], a) => T.amax(x, a.axes, a.keepDims),
  amin: ([x], a) => T.amin(x, a.axes, a.keepDims),
  vectorNorm: ([x], a) => T.vectorNorm(x, num(a.ord), a.axes, a.keepDims),
  matrixNorm: ([x], a) => T.matrixNorm(x, ordOf(a.ord), a.axes, a.keepDims),
  norm: ([x], a) => T.norm(x, ordOf(a.p), a.axes, a.keepDims),
  linalgNorm: ([x], a) => T.linalg.norm(x, ordOf(a.ord), a.axes, a.keepDims),
  einsum: (xs, a) => T.einsum(a.equation, ...xs),
  nonzero: ([x], a) => T.nonzero(x, a),
  unique: ([x], a) => T.unique(x, a) as unknown as Result,
  any: ([x], a) => T.any(x, a.axes, a.keepDims),
  all: ([x], a) => T.all(x, a.axes, a.keepDims),
  isnan: ([x]) => T.isnan(x),
  isinf: ([x]) => T.isinf(x),
  isfinite: ([x]) => T.isfinite(x),
  logicalAnd: ([x, y]) => T.logicalAnd(x, y),
  logicalOr: ([x, y]) => T.logicalOr(x, y),
  logicalXor: ([x, y]) => T.logicalXor(x, y),
  logicalNot: ([x]) => T.logicalNot(x),
  roll: ([x], a) => T.roll(x, a.shifts, a.axes),
  meshgrid: (xs, a) => T.meshgrid(xs, a.indexing),
  outer: ([x, y]) => T.outer(x, y),
  diag: ([x], a) => T.diag(x, a.offset),
  diagonal: ([x], a) => T.diagonal(x, a.offset, a.dim1, a.dim2),
  tril: ([x], a) => T.tril(x, a.diagonal),
  triu: ([x], a) => T.triu(x, a.diagonal),
  floor: ([x]) => T.floor(x),
  ceil: ([x]) => T.ceil(x),
  round: ([x]) => T.round(x),
};

function expectMatches(got: Tensor | undefined, want: Encoded, c: ValueCase, what: string): void {
  expect(got, what).toBeDefined();
  expect(got!.dtype, `${what} dtype`).toBe(want.dtype);
  expect(got!.shape, `${what} shape`).toEqual(want.shape);
  const g = got!.dataSync();
  want.data.map(Number).forEach((w, i) => {
    const v = Number(g[i]);
    const same = Number.isNaN(w) ? Number.isNaN(v) : v === w || Math.abs(v - w) <= c.atol + c.rtol * Math.abs(w);
    if (!same) expect.fail(`${what} element ${i}: got ${v}, PyTorch ${w}`);
  });
}

describe(`sorting, scans, norms, einsum, logic and structure ops match PyTorch ${fixture.torch}`, () => {
  it('the fixture covers every op the tests know, and nothing else', () => {
    expect(new Set(fixture.cases.map((c) => c.op))).toEqual(new Set(Object.keys(OPS)));
  });
  for (const c of fixture.cases) {
    it(c.name, () => {
      const out = OPS[c.op](c.inputs.map(decode), c.attrs);
      const e = c.expected;
      if (Array.isArray(e)) {
        const outs = out as Tensor[];
        expect(outs).toHaveLength(e.length);
        e.forEach((w, i) => expectMatches(outs[i], w, c, `result ${i}`));
      } else if ('dtype' in e) {
        expectMatches(out as Tensor, e as Encoded, c, 'result');
      } else {
        const outs = out as Record<string, Tensor | undefined>;
        expect(Object.keys(outs).filter((k) => outs[k] !== undefined).sort()).toEqual(Object.keys(e).sort());
        for (const [k, w] of Object.entries(e)) expectMatches(outs[k], w, c, k);
      }
    });
  }
});
