// Values of the indexing and joining ops against PyTorch 1.13 in float64. The fixture is written by
// tooling/fixtures/tensor/gen_indexing.py; regenerate it rather than editing it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import type { DType, Tensor } from '../src/index.js';

interface Encoded {
  tensor: { shape: number[]; dtype: DType; data: number[] };
}
interface Case {
  name: string;
  op: string;
  args: unknown[];
  out: Encoded | Encoded[];
}

const fixture: { cases: Case[] } = JSON.parse(readFileSync(new URL('./fixtures/indexing.json', import.meta.url), 'utf8'));

const isEncoded = (a: unknown): a is Encoded => typeof a === 'object' && a !== null && 'tensor' in a;
const decodeTensor = ({ tensor: e }: Encoded): Tensor =>
  T.tensor({ float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array }[e.dtype].from(e.data), e.shape);
// Arguments go to the JS function in the order they were given to torch; None becomes an omitted argument.
const decodeArg = (a: unknown): unknown =>
  a === null ? undefined : isEncoded(a) ? decodeTensor(a) : Array.isArray(a) && a.some(isEncoded) ? a.map(decodeArg) : a;

function expectTensor(actual: Tensor, expected: Encoded, name: string): void {
  const e = expected.tensor;
  expect(actual.shape, name).toEqual(e.shape);
  // oneHot returns float32 by design where torch returns int64; every other op keeps the input's dtype.
  if (e.dtype !== 'int32') expect(actual.dtype, name).toBe(e.dtype);
  const got = actual.toFlatArray();
  e.data.forEach((v, i) => expect(Math.abs(got[i] - v), `${name} at ${i}: ${got[i]} vs ${v}`).toBeLessThan(1e-12));
}

describe('indexing ops match PyTorch', () => {
  const ops = T as unknown as Record<string, (...args: unknown[]) => Tensor | Tensor[]>;
  for (const c of fixture.cases) {
    it(c.name, () => {
      const out = ops[c.op](...c.args.map(decodeArg));
      if (Array.isArray(c.out)) {
        const pieces = out as Tensor[];
        expect(pieces.length).toBe(c.out.length);
        c.out.forEach((e, i) => expectTensor(pieces[i], e, `${c.name} piece ${i}`));
      } else {
        expectTensor(out as Tensor, c.out, c.name);
      }
    });
  }
  it('covers every op of the module', () => {
    const covered = new Set(fixture.cases.map((c) => c.op));
    for (const op of ['where', 'concat', 'stack', 'split', 'chunk', 'slice', 'narrow', 'gather', 'indexSelect', 'scatterAdd', 'pad', 'oneHot', 'tile', 'repeatInterleave', 'flip', 'maskedFill']) {
      expect(covered.has(op), op).toBe(true);
    }
  });
});
