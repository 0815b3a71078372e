// The PyTorch golden cases of the indexing and joining ops (packages/tensor/test/fixtures/indexing.json,
// written by tooling/fixtures/tensor/gen_indexing.py) with webgpu active: every tensor argument in a GPU
// buffer (indices too), results read with `await t.read()`. The cases are float64 and run in float32; the
// ops move values without arithmetic (but scatterAdd's sums), so the results are the float32 roundings of
// PyTorch's, within `FLOAT32`.
import * as T from '@backprop/tensor';
import type { Tensor } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeGpu, expectGolden, onWebGpu, readFixture, type Encoded } from './golden.js';
import { startWebGpu } from './helpers.js';

interface Wrapped {
  tensor: Encoded;
}
interface Case {
  name: string;
  op: string;
  args: unknown[];
  out: Wrapped | Wrapped[];
}

const fixture = readFixture<Case>('../../tensor/test/fixtures/indexing.json');
const isWrapped = (a: unknown): a is Wrapped => typeof a === 'object' && a !== null && 'tensor' in a;
// Arguments go to the JS function in the order they were given to torch; None becomes an omitted argument.
const decodeArg = (a: unknown): unknown =>
  a === null ? undefined : isWrapped(a) ? decodeGpu(a.tensor) : Array.isArray(a) && a.some(isWrapped) ? a.map(decodeArg) : a;
// oneHot returns float32 by design where torch returns int64 (int32 in the fixture); the values compare.
const expectedOf = (c: Case, e: Encoded): Encoded => (c.op === 'oneHot' ? { ...e, dtype: 'float32' } : e);
const EXACT = { rtol: 0, atol: 0 };
// oneHot with numClasses -1 infers the class count from the largest index, a value the host must know:
// given indices on the GPU it throws, saying to pass numClasses; host indices work (then upload).
const infersClasses = (c: Case): boolean => c.op === 'oneHot' && c.args[1] === -1;

beforeAll(startWebGpu);

describe('indexing ops match PyTorch on webgpu', () => {
  const ops = T as unknown as Record<string, (...args: unknown[]) => Tensor | Tensor[]>;
  for (const c of fixture.cases.filter(infersClasses)) {
    it(`${c.name}: refuses indices on the GPU, infers the classes of host indices`, async () => {
      const onDevice = c.args.map(decodeArg);
      expect(() => onWebGpu(() => ops[c.op](...onDevice))).toThrow(/oneHot: the indices live on 'webgpu': pass numClasses/);
      const [indices, ...rest] = c.args.map(decodeArg);
      const host = await (indices as Tensor).read();
      const out = onWebGpu(() => ops[c.op](T.tensor(host, (indices as Tensor).shape), ...rest)) as Tensor;
      await expectGolden(out, expectedOf(c, (c.out as Wrapped).tensor), EXACT, 'result');
    });
  }
  for (const c of fixture.cases.filter((k) => !infersClasses(k))) {
    it(c.name, async () => {
      const args = c.args.map(decodeArg);
      const out = onWebGpu(() => ops[c.op](...args));
      if (Array.isArray(c.out)) {
        const pieces = out as Tensor[];
        expect(pieces).toHaveLength(c.out.length);
        for (const [i, e] of c.out.entries()) await expectGolden(pieces[i], e.tensor, EXACT, `piece ${i}`);
      } else {
        await expectGolden(out as Tensor, expectedOf(c, c.out.tensor), EXACT, 'result');
      }
    });
  }
});
