import { Generator, randn, tensor, type Tensor } from '@backprop/tensor';
import { noGrad } from '@backprop/autograd';
import { describe, expect, it } from 'vitest';
import { Bilinear, Linear, MultiheadAttention, ReLU, Sequential, type AnyModule } from '../src/index.js';

const g = (seed = 0) => ({ generator: new Generator(seed), dtype: 'float64' as const });

describe('module hooks', () => {
  it('forward pre-hooks see the inputs and may replace them; remove() unregisters', () => {
    const relu = new ReLU();
    const seen: unknown[][] = [];
    const h1 = relu.registerForwardPreHook((_m, inputs) => void seen.push(inputs));
    const h2 = relu.registerForwardPreHook((_m, [x]) => [(x as Tensor).neg()]);
    expect(relu.call(tensor([1, -2])).toFlatArray()).toEqual([0, 2]);
    expect(seen.length).toBe(1);
    h1.remove();
    h2.remove();
    expect(relu.call(tensor([1, -2])).toFlatArray()).toEqual([1, 0]);
    relu.registerForwardPreHook(() => 3 as unknown as unknown[]);
    expect(() => relu.call(tensor([1]))).toThrow(/must return nothing or the new argument list/);
  });

  it('a full backward hook gets this call\'s input and output gradients', () => {
    const fc = new Linear(3, 2, g());
    const x = randn([4, 3], g(1)).requiresGrad_();
    const w = randn([4, 2], g(2));
    let got: [(Tensor | null)[], (Tensor | null)[]] = [[], []];
    fc.registerFullBackwardHook((_m, gIn, gOut) => void (got = [gIn, gOut]));
    fc.call(x).mul(w).sum().backward();
    expect(got[1][0]!.toFlatArray()).toEqual(w.toFlatArray());
    // dL/dx = w·W
    expect(got[0][0]!.toFlatArray()).toEqual(w.matmul(fc.weight.detach()).toFlatArray());
    expect(x.grad!.toFlatArray()).toEqual(got[0][0]!.toFlatArray());
  });

  it('may replace the input gradient, which is what flows upstream', () => {
    const first = new Linear(2, 2, g());
    const second = new Linear(2, 1, g(3));
    second.registerFullBackwardHook((_m, [gIn]) => [gIn!.mul(0)]);
    const model = new Sequential(first, second);
    model.call(randn([3, 2], g(4))).sum().backward();
    expect(first.weight.grad!.abs().sum().item()).toBe(0);
    expect(second.weight.grad!.abs().sum().item()).toBeGreaterThan(0);
  });

  it('without an input that needs a gradient, the hook runs with null input gradients', () => {
    const fc = new Linear(2, 2, g());
    const calls: [(Tensor | null)[], (Tensor | null)[]][] = [];
    fc.registerFullBackwardHook((_m, gIn, gOut) => void calls.push([gIn, gOut]));
    fc.call(randn([3, 2], g(1))).sum().backward();
    expect(calls.length).toBe(1);
    expect(calls[0][0]).toEqual([null]);
    expect(calls[0][1][0]!.shape).toEqual([3, 2]);
    noGrad(() => fc.call(randn([3, 2], g(1))));
    expect(calls.length).toBe(1);
  });

  it('modules with several inputs and outputs: gradients of each, and replacing is refused', () => {
    const bl: AnyModule = new Bilinear(2, 3, 1, g());
    let n = 0;
    const handle = bl.registerFullBackwardHook((_m, gIn) => void (n = gIn.filter((t) => t !== null).length));
    const a = randn([2, 2], g(1)).requiresGrad_();
    const b = randn([2, 3], g(2)).requiresGrad_();
    (bl.call(a, b) as Tensor).sum().backward();
    expect(n).toBe(2);
    handle.remove();
    const mha = new MultiheadAttention(4, 2, g());
    let outputs = 0;
    mha.registerFullBackwardHook((_m, _gIn, gOut) => void (outputs = gOut.length));
    const x = randn([3, 1, 4], g(5)).requiresGrad_();
    mha.call(x, x, x)[0].sum().backward();
    expect(outputs).toBe(2); // attention output and weights; only the first received a gradient
    bl.registerFullBackwardHook(() => [null, null]);
    expect(() => (bl.call(a, b) as Tensor).sum().backward()).toThrow(/only for a module with one tensor input/);
  });
});
