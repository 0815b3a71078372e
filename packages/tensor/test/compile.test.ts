import { describe, expect, it } from 'vitest';
import { Generator, addInPlace_, compile, rand, randn, tensor, zeros, type Tensor } from '../src/index.js';

const gen = (seed: number) => new Generator(seed);

// Two elementwise chains around a reduction. tanh calls out of the loop, so it is never fused: the second
// chain fuses after it.
function chains(x: Tensor, y: Tensor): { a: Tensor; b: Tensor; total: Tensor } {
  const a = x.mul(y).add(1).relu().mul(x);
  const total = a.sum();
  const b = x.sub(y).tanh().square().neg().abs().sqrt();
  return { a, b, total };
}

describe('compile: replay', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`fuses elementwise chains and gives eager mode's bits (${dtype})`, () => {
      const f = compile(chains);
      for (let i = 0; i < 3; i++) {
        const x = randn([5, 7], { generator: gen(i), dtype });
        const y = randn([5, 7], { generator: gen(10 + i), dtype });
        const want = chains(x, y);
        const got = f(x, y);
        expect(f.lastCall).toBe(i === 0 ? 'traced' : 'replayed');
        for (const k of ['a', 'b', 'total'] as const) {
          expect(got[k].dtype).toBe(dtype);
          expect(got[k].shape).toEqual(want[k].shape);
          expect(got[k].dataSync()).toEqual(want[k].dataSync());
        }
      }
      // 11 kernels: mul add relu mul, sum, sub tanh, square neg abs sqrt; two chains of four fuse.
      expect(f.plan).toEqual({ kernels: 11, steps: 5, fusedLoops: 2, fusedKernels: 8, reusedBuffers: 0, heldResults: 0 });
    });
  }

  it('without fusion replays every kernel', () => {
    const f = compile(chains, { fuse: false });
    const x = randn([4], { generator: gen(1) });
    f(x, x.add(1));
    const got = f(x, x.add(1));
    expect(got.a.dataSync()).toEqual(chains(x, x.add(1)).a.dataSync());
    expect(f.plan).toMatchObject({ kernels: 11, steps: 11, fusedLoops: 0 });
  });

  it('lends a fused loop the buffer of one whose value is dead', () => {
    const fn = (x: Tensor) => {
      const s = x.mul(2).add(1).relu().sum();
      return x.mul(3).sub(1).abs().sum().add(s);
    };
    const f = compile(fn);
    for (let i = 0; i < 4; i++) {
      const x = randn([64], { generator: gen(i) });
      expect(f(x).dataSync()).toEqual(fn(x).dataSync());
    }
    expect(f.plan!.reusedBuffers).toBe(1);
  });

  it('traces again for a new shape or backend-relevant signature, and replays each', () => {
    const fn = (x: Tensor) => x.mul(x).add(2);
    const f = compile(fn);
    const shapes = [[3], [3], [2, 2], [3], [2, 2]];
    const calls = shapes.map((s) => {
      const x = rand(s, { generator: gen(s.length) });
      expect(f(x).dataSync()).toEqual(fn(x).dataSync());
      return f.lastCall;
    });
    expect(calls).toEqual(['traced', 'replayed', 'traced', 'replayed', 'replayed']);
    expect(f.calls).toEqual({ traced: 2, replayed: 3, eager: 0 });
  });

  it('reads outside tensors afresh and repeats in-place accumulation', () => {
    const w = tensor([1, 2, 3]);
    const acc = zeros([3]);
    const f = compile((x: Tensor) => {
      addInPlace_(acc, x.mul(w));
      return [acc, x];
    });
    const x = tensor([1, 1, 1]);
    f(x);
    addInPlace_(w, tensor([1, 1, 1])); // w is now [2, 3, 4]
    const [a, same] = f(x);
    expect(f.lastCall).toBe('replayed');
    expect(a.toArray()).toEqual([3, 5, 7]);
    expect(acc.toArray()).toEqual([3, 5, 7]);
    expect(same).toBe(x);
  });

  it('keeps constants made inside the function, and views of arguments', () => {
    const fn = (x: Tensor) => x.slice(0, 1, 3).add(tensor([10, 20])).mul(0.5);
    const f = compile(fn);
    const x1 = tensor([1, 2, 3, 4]);
    const x2 = tensor([5, 6, 7, 8]);
    f(x1);
    expect(f(x2).toArray()).toEqual([8, 13.5]);
    expect(f.lastCall).toBe('replayed');
  });
});

describe('compile: refusals', () => {
  it('a host read of a traced value runs every call eagerly, with the reason', () => {
    const fn = (x: Tensor) => (x.sum().item() > 0 ? x.mul(2) : x.neg());
    const f = compile(fn);
    expect(f(tensor([1, 2])).toArray()).toEqual([2, 4]);
    expect(f.lastCall).toBe('eager');
    expect(f.reason).toMatch(/reads the result of kernel 'sum' on the host/);
    expect(f(tensor([-1, -2])).toArray()).toEqual([1, 2]);
    expect(f.calls).toEqual({ traced: 0, replayed: 0, eager: 2 });
  });

  it('random draws run every call eagerly', () => {
    const f = compile((x: Tensor) => x.add(rand([2], { generator: gen(0) })));
    f(tensor([0, 0]));
    expect(f.reason).toMatch(/random numbers/);
  });

  it('a compiled function called inside another trace runs eagerly there', () => {
    const inner = compile((x: Tensor) => x.mul(2).add(1));
    const outer = compile((x: Tensor) => inner(x).relu());
    const x = tensor([-3, 1]);
    outer(x);
    expect(inner.lastCall).toBe('eager');
    expect(outer(x).toArray()).toEqual([0, 3]);
    expect(outer.lastCall).toBe('replayed');
  });
});
