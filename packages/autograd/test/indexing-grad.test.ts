import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as T from '@backprop/tensor';
import { Generator, randn, tensor, type DType, type Tensor } from '@backprop/tensor';
import { grad, gradCheck, gradients } from '../src/index.js';

const gen = new Generator(7);
const r = (shape: number[]) => randn(shape, { generator: gen, dtype: 'float64' });
const ints = (values: number[], shape?: number[]) => tensor(Int32Array.from(values), shape ?? [values.length]);

function check(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]) {
  it(name, () => {
    const result = gradCheck(f, inputs);
    expect(result.ok, result.message).toBe(true);
  });
}

describe('gradCheck of joining and slicing ops', () => {
  check('concat of three on axis 1', (a, b, c) => T.concat([a, b, c], 1), [r([2, 1, 3]), r([2, 4, 3]), r([2, 2, 3])]);
  check('concat with an input that needs no gradient', (a) => T.concat([T.zeros([3, 2], { dtype: 'float64' }), a], -1), [r([3, 3])]);
  check('stack on axis -1', (a, b) => T.stack([a, b], -1), [r([3, 5]), r([3, 5])]);
  check('split with an unused piece', (x) => {
    const [a, , c] = T.split(x, [2, 1, 4], 1);
    return T.concat([c, a.mul(2)], 1);
  }, [r([3, 7])]);
  check('chunk, reassembled in reverse', (x) => T.concat(T.chunk(x, 3, 0).reverse(), 0), [r([5, 2])]);
  check('slice axis 0 (a view)', (x) => T.slice(x, 0, 1, 4), [r([5, 3])]);
  check('slice axis 1', (x) => T.slice(x, 1, 2, -1), [r([3, 7])]);
  check('slice step 3 whose last step runs past the end', (x) => T.slice(x, 0, 1, undefined, 3), [r([8, 2])]);
  check('slice step 2 on axis -1', (x) => T.slice(x, -1, -6, -1, 2), [r([2, 3, 7])]);
  check('narrow', (x) => T.narrow(x, 1, -3, 2), [r([3, 5])]);
  check('flip two axes', (x) => T.flip(x, [0, -1]), [r([3, 2, 5])]);
  check('tile', (x) => T.tile(x, [2, 1, 3]), [r([3, 2])]);
  check('repeatInterleave equal counts', (x) => T.repeatInterleave(x, 3, 0), [r([3, 2])]);
  check('repeatInterleave per element', (x) => T.repeatInterleave(x, [2, 0, 1], -1), [r([2, 3])]);
});

describe('gradCheck of index ops', () => {
  check('gather axis 0 with repeated indices', (x) => T.gather(x, 0, ints([0, 2, 2, 0, 0, 0], [2, 3])), [r([3, 3])]);
  check('gather axis -1 with a smaller index', (x) => T.gather(x, -1, ints([3, 0, 3, 1, 1, 1], [2, 1, 3])), [r([3, 2, 5])]);
  check('gather on a 0-d tensor', (x) => T.gather(x, 0, ints([0], [])), [r([])]);
  check('indexSelect with repeats', (x) => T.indexSelect(x, 1, ints([2, 0, 2, 2])), [r([2, 3, 3])]);
  check('indexSelect with a 0-d index', (x) => T.indexSelect(x, -1, ints([1], [])), [r([3, 2])]);
  check('scatterAdd into x and from src', (x, src) => T.scatterAdd(x, 0, ints([0, 2, 2, 0, 0, 2], [2, 3]), src), [r([3, 3]), r([2, 3])]);
  check('scatterAdd from a src larger than the index', (x, src) => T.scatterAdd(x, 1, ints([4, 0, 1, 1], [2, 2]), src), [r([2, 5]), r([3, 3])]);
});

describe('gradCheck of pad, where and maskedFill', () => {
  check('pad constant with a crop', (x) => T.pad(x, [-1, 2, 1, -2], 'constant', 0.5), [r([5, 4])]);
  check('pad constant on three axes', (x) => T.pad(x, [1, 0, 0, 2, 1, 1]), [r([2, 3, 2])]);
  check('pad reflect', (x) => T.pad(x, [2, 3, 1, 1], 'reflect'), [r([1, 3, 5])]);
  check('pad replicate', (x) => T.pad(x, [3, 1, 0, 2], 'replicate'), [r([2, 3, 3])]);
  check('pad circular', (x) => T.pad(x, [2, 3], 'circular'), [r([3, 3])]);
  const cond = randn([2, 3, 1], { generator: gen }).gt(0);
  check('where with three-way broadcasting', (a, b) => T.where(cond, a, b), [r([3, 5]), r([5])]);
  check('where with a scalar branch', (a) => T.where(cond, 2, a), [r([1, 3, 4])]);
  const mask = tensor([true, false, false, true, true]);
  check('maskedFill with a number', (x) => T.maskedFill(x, mask, -1), [r([3, 5])]);
  check('maskedFill with a 0-d tensor value', (x, v) => T.maskedFill(x, mask, v), [r([3, 5]), r([])]);
});

describe('gradients match PyTorch', () => {
  interface Encoded {
    tensor: { shape: number[]; dtype: DType; data: number[] };
  }
  interface Case {
    name: string;
    op: string;
    args: unknown[];
    weight?: Encoded;
    grads?: Encoded[];
  }
  // The tensor package's fixture carries torch's gradients of sum(out * weight) for each differentiable case.
  const fixtureUrl = new URL('../../tensor/test/fixtures/indexing.json', import.meta.url);
  const cases = (JSON.parse(readFileSync(fixtureUrl, 'utf8')).cases as Case[]).filter((c) => c.grads);
  const isEncoded = (a: unknown): a is Encoded => typeof a === 'object' && a !== null && 'tensor' in a;
  const decode = ({ tensor: e }: Encoded): Tensor =>
    tensor({ float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array }[e.dtype].from(e.data), e.shape);
  const ops = T as unknown as Record<string, (...args: unknown[]) => Tensor>;

  it('has gradient cases', () => expect(cases.length).toBeGreaterThan(25));
  for (const c of cases) {
    it(c.name, () => {
      const leaves: Tensor[] = [];
      const leaf = (e: Encoded): Tensor => {
        const t = decode(e);
        if (t.dtype !== 'float64') return t;
        leaves.push(t.requiresGrad_());
        return t;
      };
      const args = c.args.map((a) =>
        a === null ? undefined : isEncoded(a) ? leaf(a) : Array.isArray(a) && a.some(isEncoded) ? a.map(leaf) : a,
      );
      const loss = T.sum(T.mul(ops[c.op](...args), decode(c.weight!)));
      const got = gradients(loss, leaves);
      expect(got.length).toBe(c.grads!.length);
      got.forEach((g, i) => {
        const want = c.grads![i].tensor;
        expect(g.shape).toEqual(want.shape);
        g.toFlatArray().forEach((v, k) => expect(Math.abs(v - want.data[k]), `grad ${i} at ${k}`).toBeLessThan(1e-12));
      });
    });
  }
});

describe('double backward and non-differentiable outputs', () => {
  // Nonlinear in x, and every indexing rule appears on the path, so the second derivative runs through the
  // gradient rules' own gradients (scatterAdd ↔ gather, pad ↔ pad, flip, where, concat ↔ slice).
  const index = ints([0, 7, 3, 3, 1, 2, 6, 5, 4, 4, 0, 1], [3, 4]);
  const mask = tensor([[true, false, true, false]]);
  const f = (x: Tensor): Tensor => {
    const padded = T.gather(T.pad(x, [1, 2], 'reflect'), 1, index);
    const strided = T.concat([T.slice(x, 1, 0, undefined, 2), T.flip(T.narrow(x, 1, 0, 1), 1)], 1);
    const mixed = T.where(mask, padded, T.indexSelect(strided, 1, ints([3, 1, 2, 0])));
    return T.sum(T.mul(T.mul(mixed, strided), T.tile(T.slice(padded, 0, 0, 1), [3, 1])));
  };
  it('the gradient of the gradient matches finite differences', () => {
    const x = r([3, 5]);
    const first = gradCheck(f, [x]);
    expect(first.ok, first.message).toBe(true);
    const second = gradCheck((y) => grad(f)(y)[0], [x]);
    expect(second.ok, second.message).toBe(true);
    expect(second.maxAbsError).toBeLessThan(1e-5);
  });
  it('oneHot passes no gradient and blames the op that lost it', () => {
    const x = r([2, 3]).requiresGrad_();
    const target = T.oneHot(T.argmax(x, 1), 3, 'float64');
    T.sum(T.mul(target, x)).backward();
    expect(x.grad!.toArray()).toEqual(target.toArray());
    expect(() => T.sum(T.oneHot(T.argmax(x, 1), 3)).backward()).toThrow(/argmax/);
  });
});
