// Values of the core ops against PyTorch. The fixture is written by tooling/fixtures/tensor/gen_core.py
// (conventions in tooling/fixtures/README.md); regenerate it rather than editing it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import type { DType, Tensor } from '../src/index.js';
import { coreOps, type CoreValueCase } from './core-table.js';

interface Encoded {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
}
type ValueCase = CoreValueCase<Encoded>;

const fixture: { torch: string; cases: ValueCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/core.json', import.meta.url), 'utf8'),
);

// Non-finite values travel as the strings 'NaN', 'Infinity', '-Infinity', which Number() parses.
const values = (e: Encoded): number[] => e.data.map(Number);
const decode = (e: Encoded): Tensor => {
  const data = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array }[e.dtype].from(values(e));
  return T.tensor(data, e.shape);
};

const OPS = coreOps(T);

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

describe(`core ops match PyTorch ${fixture.torch}`, () => {
  it('the fixture covers every op the tests know, and nothing else', () => {
    expect(new Set(fixture.cases.map((c) => c.op))).toEqual(new Set(Object.keys(OPS)));
  });
  for (const c of fixture.cases) {
    it(c.name, () => {
      const out = OPS[c.op](c.inputs.map((x) => (typeof x === 'number' ? x : decode(x))), c.attrs);
      expect(out.dtype).toBe(c.expected.dtype);
      expect(out.shape).toEqual(c.expected.shape);
      const mismatch = firstMismatch(out.data, values(c.expected), c.rtol, c.atol);
      expect(mismatch).toBeNull();
    });
  }
});
