// Values of the sorting, scan, norm, einsum, logic and structure ops against PyTorch. The fixture is written
// by tooling/fixtures/tensor/gen_selection.py (conventions in tooling/fixtures/README.md); regenerate it
// rather than editing it. Ops with several results are compared result by result.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import type { DType, Tensor } from '../src/index.js';
import { selectionOps, type SelectionValueCase } from './selection-table.js';

interface Encoded {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
}
type Attrs = Record<string, any>;
type Result = Tensor | Tensor[] | Record<string, Tensor | undefined>;
type ValueCase = SelectionValueCase<Encoded>;

const fixture: { torch: string; cases: ValueCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/selection.json', import.meta.url), 'utf8'),
);

const decode = (e: Encoded): Tensor => {
  const data = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array }[e.dtype].from(e.data.map(Number));
  return T.tensor(data, e.shape);
};
const OPS: Record<string, (xs: Tensor[], a: Attrs) => Result> = selectionOps(T);

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
