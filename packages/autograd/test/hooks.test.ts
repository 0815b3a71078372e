import { Generator, randn, tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { gradients, registerHook } from '../src/index.js';

describe('registerHook', () => {
  it('sees a leaf\'s gradient and may replace what lands in .grad', () => {
    const w = tensor([1, 2, 3]).requiresGrad_();
    const seen: number[][] = [];
    const handle = registerHook(w, (g) => void seen.push(g.toFlatArray()));
    registerHook(w, (g) => g.clamp(-1, 1));
    w.mul(10).sum().backward();
    expect(seen).toEqual([[10, 10, 10]]);
    expect(w.grad!.toFlatArray()).toEqual([1, 1, 1]);
    handle.remove();
    w.grad = null;
    w.mul(-5).sum().backward();
    expect(seen.length).toBe(1);
    expect(w.grad!.toFlatArray()).toEqual([-1, -1, -1]);
  });

  it('on an intermediate tensor, gets its full gradient (all uses summed) and changes everything upstream', () => {
    const x = tensor([1, 2]).requiresGrad_();
    const y = x.mul(3);
    let seen: number[] = [];
    registerHook(y, (g) => {
      seen = g.toFlatArray();
      return g.mul(0.5);
    });
    y.add(y.square()).sum().backward(); // d/dy = 1 + 2y = [7, 13]
    expect(seen).toEqual([7, 13]);
    expect(x.grad!.toFlatArray()).toEqual([10.5, 19.5]);
  });

  it('a gradient a hook kept is not changed by later accumulation', () => {
    const w = randn([2], { generator: new Generator(0) }).requiresGrad_();
    let kept = w;
    const handle = registerHook(w, (g) => void (kept = g));
    w.mul(2).add(w.mul(3)).sum().backward();
    handle.remove();
    const before = kept.toFlatArray();
    w.mul(4).sum().backward();
    expect(kept.toFlatArray()).toEqual(before);
    expect(w.grad!.toFlatArray().map(Math.round)).toEqual([9, 9]);
  });

  it('works with gradients() and rejects bad hooks and tensors that need no gradient', () => {
    const x = tensor([2]).requiresGrad_();
    registerHook(x, (g) => g.mul(2));
    expect(gradients(x.square(), [x])[0]!.toFlatArray()).toEqual([8]);
    expect(() => registerHook(tensor([1]), () => undefined)).toThrow(/does not require a gradient/);
    const z = tensor([1, 2]).requiresGrad_();
    registerHook(z, () => tensor([1]));
    expect(() => z.sum().backward()).toThrow(/returned a tensor of shape \[1\]; return nothing or a gradient of shape \[2\]/);
  });
});
