// The CPU fast paths (per-dtype binary loops, trailing-row broadcasts, direct reductions, fused activation
// gradients) against an independent oracle: the same formula evaluated element by element in float64 and
// rounded once to float32, which is what the generic strided loop computes. Equality is exact (Object.is),
// so a fast path that rounds differently, drops a NaN or flips the sign of a zero fails.
import { describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import type { DType, Tensor } from '../src/index.js';

const round = (dtype: DType) => (v: number): number => (dtype === 'float32' ? Math.fround(v) : v);

/** Values with the awkward cases mixed in: zeros of both signs, NaN, infinities, ties. */
function values(n: number, seed: number): number[] {
  const special = [0, -0, NaN, Infinity, -Infinity, 1, -1, 0.5, 2];
  const out: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out.push(i % 7 === 3 ? special[(i + seed) % special.length] : (s / 2147483648) * 6 - 3);
  }
  return out;
}

function make(shape: number[], dtype: DType, seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return T.tensor(values(n, seed), dtype).reshape(shape);
}

const OPS: Record<string, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: (x, y) => Math.pow(x, y),
  maximum: (x, y) => (x > y || x !== x ? x : y),
  minimum: (x, y) => (x < y || x !== x ? x : y),
  gt: (x, y) => (x > y ? 1 : 0),
  eq: (x, y) => (x === y ? 1 : 0),
};

/** The broadcast result computed the slow, obvious way: one multi-index per output element. */
function oracle(op: string, a: Tensor, b: Tensor, dtype: DType): number[] {
  const shape = T.broadcastShapes(op, a.shape, b.shape);
  const sa = T.broadcastStrides(a.shape, shape);
  const sb = T.broadcastStrides(b.shape, shape);
  const size = shape.reduce((p, d) => p * d, 1);
  const f = OPS[op];
  const r = op === 'gt' || op === 'eq' ? (v: number) => v : round(dtype);
  const out: number[] = [];
  for (let flat = 0; flat < size; flat++) {
    let rest = flat;
    let ia = 0;
    let ib = 0;
    for (let d = shape.length - 1; d >= 0; d--) {
      const i = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
      ia += i * sa[d];
      ib += i * sb[d];
    }
    out.push(r(f(a.data[ia], b.data[ib])));
  }
  return out;
}

function expectSame(actual: ArrayLike<number>, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      throw new Error(`element ${i}: got ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

const SHAPE_PAIRS: [string, number[], number[]][] = [
  ['same shape', [3, 5], [3, 5]],
  ['scalar right', [4, 6], []],
  ['scalar left', [], [4, 6]],
  ['one-element right', [4, 6], [1, 1]],
  ['bias row [N, C] + [C]', [7, 5], [5]],
  ['row [C] + [N, C]', [5], [7, 5]],
  ['row [1, C] + [N, C]', [1, 5], [7, 5]],
  ['trailing block [2, 3, 4] + [3, 4]', [2, 3, 4], [3, 4]],
  ['column [N, 1]', [6, 4], [6, 1]],
  ['outer [N, 1] × [1, C]', [6, 1], [1, 4]],
  ['mixed 3-D', [2, 1, 4], [3, 1]],
];

describe('binary fast paths match the element-by-element oracle exactly', () => {
  for (const dtype of ['float32', 'float64', 'int32'] as DType[]) {
    for (const [name, sa, sb] of SHAPE_PAIRS) {
      it(`${dtype}: ${name}`, () => {
        const a = dtype === 'int32' ? T.randint(-5, 5, sa, { generator: new T.Generator(1) }) : make(sa, dtype, 1);
        const b = dtype === 'int32' ? T.randint(1, 5, sb, { generator: new T.Generator(2) }) : make(sb, dtype, 2);
        for (const op of Object.keys(OPS)) {
          if (dtype === 'int32' && (op === 'div' || op === 'pow')) continue;
          const out = (T as unknown as Record<string, (x: Tensor, y: Tensor) => Tensor>)[op](a, b);
          expect(out.shape).toEqual(T.broadcastShapes(op, a.shape, b.shape));
          expectSame(out.data, oracle(op, a, b, dtype));
        }
      });
    }
  }

  it('a number operand takes the tensor dtype, and mixed dtypes still promote', () => {
    const x = make([3, 4], 'float32', 3);
    expectSame(T.sub(1, x).data, Array.from(x.data, (v) => Math.fround(1 - v)));
    expect(T.add(x, 2.5).dtype).toBe('float32');
    const i = T.tensor([1, 2, 3], 'int32');
    expect(T.add(i, 0.5).dtype).toBe('float32');
    expect(T.add(i, T.tensor([1, 2, 3], 'float64')).dtype).toBe('float64');
    expect(T.div(i, i).dtype).toBe('float32');
    expect(T.add(T.tensor([true, false]), T.tensor([true, true])).dtype).toBe('int32');
  });

  it('leaves its inputs untouched and returns a fresh buffer', () => {
    const a = make([4, 4], 'float32', 4);
    const b = make([4], 'float32', 5);
    const before = Array.from(a.data);
    const out = T.add(a, b);
    expect(out.data).not.toBe(a.data);
    expectSame(a.data, before);
  });
});

describe('reduction fast paths', () => {
  function sumOracle(x: Tensor, axes: number[], dtype: DType): number[] {
    // float64 accumulation in index order, rounded once to the output dtype.
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const size = kept.reduce((p, d) => p * d, 1);
    const acc = new Array<number>(size).fill(0);
    const strides = T.stridesOf(kept);
    for (let flat = 0; flat < x.size; flat++) {
      let rest = flat;
      let o = 0;
      for (let d = x.rank - 1; d >= 0; d--) {
        const i = rest % x.shape[d];
        rest = Math.floor(rest / x.shape[d]);
        if (!axes.includes(d)) o += i * strides[d];
      }
      acc[o] += x.data[flat];
    }
    return acc.map(round(dtype));
  }

  for (const dtype of ['float32', 'float64'] as DType[]) {
    it(`${dtype}: sum over everything, the last axis, the first axis and a middle axis`, () => {
      const x = T.randn([4, 5, 6], { generator: new T.Generator(9), dtype });
      for (const axes of [[0, 1, 2], [2], [1, 2], [0], [0, 1], [1], [0, 2]]) {
        expectSame(T.sum(x, axes).data, sumOracle(x, axes, dtype));
      }
      expectSame(T.sum(x).data, sumOracle(x, [0, 1, 2], dtype));
      expect(T.sum(x, -1, true).shape).toEqual([4, 5, 1]);
    });
  }

  it('max, min and prod over the last axis keep NaN and the PyTorch conventions', () => {
    const x = T.tensor([[1, NaN, 3], [-2, -5, 4], [0, -0, 0]]);
    expectSame(T.max(x, 1).data, [NaN, 4, 0]);
    expectSame(T.min(x, 1).data, [NaN, -5, 0]);
    expectSame(T.prod(x, 1).data, [NaN, 40, -0]);
    expectSame(T.max(x).data, [NaN]);
    expectSame(T.sum(T.tensor([[1, 2], [3, 4]], 'int32'), 1).data, [3, 7]);
    expect(T.sum(T.zeros([3, 0]), 1).toArray()).toEqual([0, 0, 0]);
  });
});

describe('fused activation gradient kernels equal the composed rules bit for bit', () => {
  for (const dtype of ['float32', 'float64'] as DType[]) {
    it(dtype, () => {
      const x = make([5, 7], dtype, 11);
      const g = make([5, 7], dtype, 12);
      const s = T.sigmoid(x);
      const t = T.tanh(x);
      const run = (name: string, v: Tensor): Tensor => T.wrap(T.runKernel(name, [g, v], {}));
      expectSame(run('sigmoidGrad', s).data, Array.from(T.mul(g, T.mul(s, T.sub(1, s))).data));
      expectSame(run('tanhGrad', t).data, Array.from(T.mul(g, T.sub(1, T.square(t))).data));
      expectSame(run('reluGrad', x).data, Array.from(T.mul(g, T.cast(T.gt(x, 0), dtype)).data));
      expect(run('reluGrad', x).dtype).toBe(dtype);
    });
  }
});
