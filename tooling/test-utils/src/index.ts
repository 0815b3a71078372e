// Test helpers shared by the packages' suites: the JSON tensor encoding of tooling/fixtures/common.py,
// and tolerance comparisons that name the element that differs.
import { readFileSync } from 'node:fs';
import { Tensor, tensor, type DType } from '@backprop/tensor';
import { expect } from 'vitest';

/** A tensor as the fixture generators encode it (non-finite values as strings). */
export interface Encoded {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
}

export function decode(e: Encoded): Tensor {
  const data = e.data.map(Number);
  return e.dtype === 'float64' ? tensor(Float64Array.from(data), e.shape) : tensor(data, e.shape, e.dtype).reshape(e.shape);
}

/** Reads `fixtures/<name>` beside the calling test (`import.meta.url` of the test file). */
export function readFixture<T>(testUrl: string, name: string): { cases: T[] } {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, testUrl), 'utf8')) as { cases: T[] };
}

/** Expects equal shapes and |got − want| ≤ atol + rtol·|want| everywhere. */
export function expectClose(got: Tensor | null, want: Tensor, rtol = 1e-10, atol = 1e-12): void {
  expect(got).not.toBeNull();
  expect(got!.shape).toEqual(want.shape);
  for (let i = 0; i < want.size; i++) {
    const g = Number(got!.data[i]);
    const w = Number(want.data[i]);
    if (!(Math.abs(g - w) <= atol + rtol * Math.abs(w))) {
      expect.fail(`element ${i}: got ${g}, want ${w} (shape [${want.shape.join(', ')}])`);
    }
  }
}
