import { describe, expect, it } from 'vitest';
import { Tensor, argmax, matmul, mul, ones, scaleInPlace_, sum, tensor, Generator, randn } from '@backprop/tensor';
import {
  AutogradError, defineOp, grad, gradCheck, gradients, hessian, hvp, jacobian, jvp, noGrad, valueAndGrad,
} from '../src/index.js';

describe('backward', () => {
  it('fills .grad of leaves and accumulates across calls until zeroed', () => {
    const w = tensor([1, 2, 3]).requiresGrad_();
    const x = tensor([4, 5, 6]);
    sum(mul(w, x)).backward();
    expect(w.grad?.toArray()).toEqual([4, 5, 6]);
    sum(mul(w, x)).backward();
    expect(w.grad?.toArray()).toEqual([8, 10, 12]);
    w.grad = null;
    sum(mul(w, w)).backward();
    expect((w.grad as Tensor | null)?.toArray()).toEqual([2, 4, 6]);
  });
  it('gives each leaf its own .grad buffer', () => {
    const a = tensor([1]).requiresGrad_();
    const b = tensor([2]).requiresGrad_();
    a.add(b).sum().backward();
    expect(a.grad).not.toBe(b.grad);
    expect(a.grad?.dataSync()).not.toBe(b.grad?.dataSync());
  });
  it('lets a leaf keep, without a copy, a gradient a rule made for it alone, and copies any other', () => {
    // As PyTorch's AccumulateGrad steals a gradient nothing else holds.
    let made: Tensor | null = null;
    const fresh = defineOp({ name: 'test.freshGrad', forward: ([x]) => x.mul(2), backward: (g) => [(made = g.mul(2))] });
    const w = tensor([1, 2]).requiresGrad_();
    fresh([w]).sum().backward();
    const first = made;
    expect(w.grad).toBe(first);
    // A second pass adds into that buffer in place.
    fresh([w]).sum().backward();
    expect(w.grad).toBe(first);
    expect(w.grad!.toArray()).toEqual([4, 4]);
    // A tensor the rule kept from before (a constant) is never taken: scaling the .grad leaves it alone.
    const constant = tensor([5, 5]);
    const kept = defineOp({ name: 'test.constantGrad', forward: ([x]) => x.mul(1), backward: () => [constant] });
    const v = tensor([1, 2]).requiresGrad_();
    kept([v]).sum().backward();
    expect(v.grad).not.toBe(constant);
    scaleInPlace_(v.grad!, 0);
    kept([v]).sum().backward();
    expect(constant.toArray()).toEqual([5, 5]);
    expect(v.grad!.toArray()).toEqual([5, 5]);
    // One result given to two inputs, or the incoming gradient passed on: each leaf gets its own copy.
    const a = tensor([1, 2]).requiresGrad_();
    const b = tensor([[3, 4]]).requiresGrad_();
    const shared = defineOp({ name: 'test.sharedGrad', forward: ([x, y]) => x.add(y.reshape([2])), backward: (g) => { const h = g.mul(3); return [h, h.reshape([1, 2])]; } });
    shared([a, b]).sum().backward();
    expect(a.grad!.storage).not.toBe(b.grad!.storage);
    const passed = defineOp({ name: 'test.passGrad', forward: ([x]) => x.mul(1), backward: (g) => [g] });
    const c = tensor([1, 2]).requiresGrad_();
    const upstream = tensor([7, 8]);
    passed([c]).backward(upstream);
    expect(c.grad!.storage).not.toBe(upstream.storage);
  });
  it('requires a gradient argument for non-scalar outputs', () => {
    const w = tensor([1, 2]).requiresGrad_();
    expect(() => w.mul(2).backward()).toThrow(/non-scalar output needs the gradient/);
    w.mul(2).backward(tensor([1, 10]));
    expect(w.grad?.toArray()).toEqual([2, 20]);
  });
  it('releases the graph unless retainGraph is set', () => {
    const w = tensor([1, 2]).requiresGrad_();
    const loss = w.mul(w).sum();
    loss.backward();
    expect(() => loss.backward()).toThrow(/already released by an earlier backward\(\)/);
    const loss2 = w.mul(w).sum();
    loss2.backward(undefined, { retainGraph: true });
    expect(() => loss2.backward()).not.toThrow();
  });
  it('does not record inside noGrad and detach cuts the graph', () => {
    const w = tensor([1, 2]).requiresGrad_();
    const y = noGrad(() => w.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(w.mul(2).detach().requiresGrad).toBe(false);
    expect(() => y.sum().backward()).toThrow(AutogradError);
  });
  it('names a non-differentiable op when a gradient is asked through it', () => {
    const x = tensor([[1, 5], [3, 2]]).requiresGrad_();
    expect(() => argmax(x, 1).sum().backward()).toThrow(/'argmax', which is not differentiable/);
    expect(() => x.gt(2).sum().backward()).toThrow(/not differentiable/);
  });
  it('handles a deep graph without overflowing the stack', () => {
    const w = tensor([1]).requiresGrad_();
    let y: Tensor = w;
    for (let i = 0; i < 20000; i++) y = y.mul(1);
    y.sum().backward();
    expect(w.grad?.item()).toBe(1);
  });
  it('sums gradients of a tensor used several times (diamond graphs)', () => {
    const x = tensor([3], 'float64').requiresGrad_();
    const a = x.mul(x);
    const b = x.mul(2);
    a.add(b).mul(a).sum().backward(); // f = (x²+2x)x² → f' = 4x³+6x² = 108+54
    expect(x.grad?.item()).toBeCloseTo(162, 10);
  });
});

describe('functional transforms', () => {
  it('grad and valueAndGrad of several inputs', () => {
    const f = (x: Tensor, y: Tensor) => x.mul(y).sum();
    const { value, grads } = valueAndGrad(f)(tensor([1, 2]), tensor([3, 4]));
    expect(value.item()).toBe(11);
    expect(grads.map((t) => t.toArray())).toEqual([[3, 4], [1, 2]]);
  });
  it('grad(grad(f)) gives second derivatives', () => {
    const f = (x: Tensor) => x.pow(3).sum();
    const d2 = grad((x: Tensor) => grad(f)(x)[0].sum());
    expect(d2(tensor([2], 'float64'))[0].item()).toBeCloseTo(12, 10);
    const d3 = grad((x: Tensor) => grad((y: Tensor) => grad(f)(y)[0].sum())(x)[0].sum());
    expect(d3(tensor([2], 'float64'))[0].item()).toBeCloseTo(6, 10);
  });
  it('second derivatives of tanh, sigmoid, softmax and matmul pass gradCheck', () => {
    const gen = new Generator(5);
    const x = randn([3, 4], { generator: gen, dtype: 'float64' });
    const w = randn([4, 2], { generator: gen, dtype: 'float64' });
    const inner = (a: Tensor, b: Tensor) => matmul(a, b).tanh().softmax(-1).mul(matmul(a, b).sigmoid()).sum();
    const r = gradCheck((a, b) => grad(inner)(a, b)[0], [x, w]);
    expect(r.ok, r.message).toBe(true);
  });
  it('hessian, hvp and jacobian of small functions', () => {
    const f = (x: Tensor) => x.mul(x).mul(x).sum(); // H = diag(6x)
    const x = tensor([1, 2], 'float64');
    expect(hessian(f, x).toArray()).toEqual([[6, 0], [0, 12]]);
    expect(hvp(f, x, tensor([1, 1], 'float64')).toArray()).toEqual([6, 12]);
    const J = jacobian((z) => z.mul(tensor([2, 3], 'float64')), x);
    expect(J.toArray()).toEqual([[2, 0], [0, 3]]);
  });
  it('jvp is forward-mode: J times the tangent', () => {
    const A = tensor([[1, 2], [3, 4], [5, 6]], 'float64');
    const { value, jvp: d } = jvp((x) => matmul(A, x).tanh(), [tensor([0.1, -0.2], 'float64')], [tensor([1, 0.5], 'float64')]);
    const J = jacobian((x) => matmul(A, x).tanh(), tensor([0.1, -0.2], 'float64'));
    const expected = matmul(J, tensor([1, 0.5], 'float64'));
    expect(value.shape).toEqual([3]);
    d.toFlatArray().forEach((v, i) => expect(v).toBeCloseTo(expected.dataSync()[i], 12));
  });
  it('gradients() returns zeros for an unused input', () => {
    const a = tensor([1]).requiresGrad_();
    const b = tensor([2]).requiresGrad_();
    const [ga, gb] = gradients(a.mul(3).sum(), [a, b]);
    expect(ga.item()).toBe(3);
    expect(gb.item()).toBe(0);
  });
});

describe('defineOp', () => {
  const swishBeta = defineOp<{ beta: number }>({
    name: 'test.swish',
    forward: ([x, beta]) => x.mul(x.mul(beta).sigmoid()),
    backward: (g, { inputs: [x, beta] }) => {
      const s = x.mul(beta).sigmoid();
      const ds = s.mul(s.neg().add(1));
      return [g.mul(s.add(x.mul(beta).mul(ds))), g.mul(x.mul(x).mul(ds)).sum().reshape(beta.shape)];
    },
  });
  it('passes gradCheck and composes with built-in ops', () => {
    const gen = new Generator(1);
    const r = gradCheck((x, b) => swishBeta([x.tanh(), b]).mul(2).sum(), [randn([3, 4], { generator: gen, dtype: 'float64' }), tensor([1.3], 'float64')]);
    expect(r.ok, r.message).toBe(true);
  });
  it('works under grad(grad(...)) since its backward uses differentiable ops', () => {
    const r = gradCheck((x) => grad((y: Tensor) => swishBeta([y, tensor([0.7], 'float64')]).sum())(x)[0], [tensor([0.3, -1.2], 'float64')]);
    expect(r.ok, r.message).toBe(true);
  });
  it('refuses to register the same name twice', () => {
    expect(() => defineOp({ name: 'test.swish', forward: ([x]) => x, backward: (g) => [g] })).toThrow(/already has a gradient rule/);
  });
  it('reports an op without a gradient rule by name', async () => {
    const { recordOp } = await import('@backprop/tensor');
    const x = tensor([1]).requiresGrad_();
    const y = recordOp('test.unregistered', [x], {}, new Tensor(new Float32Array([2]), [1], 'float32'));
    expect(() => y.sum().backward()).toThrow(/no gradient is registered for op 'test.unregistered'/);
  });
});

describe('gradCheck itself', () => {
  it('catches a wrong gradient and names the element', () => {
    const wrong = defineOp({ name: 'test.wrongSquare', forward: ([x]) => x.mul(x), backward: (g, { inputs: [x] }) => [g.mul(x)] });
    const r = gradCheck((x) => wrong([x]).sum(), [tensor([[1, 2], [3, 4]], 'float64')]);
    expect(r.ok).toBe(false);
    expect(r.worst?.position).toEqual([1, 1]);
    expect(r.message).toMatch(/FAILED: worst element is input 0 at \[1, 1\]: analytic 4, numeric 7\.99/);
  });
  it('passes integer inputs through unchecked', () => {
    const r = gradCheck((x, k) => x.mul(k.astype('float64')).sum(), [tensor([1.5], 'float64'), tensor([3], 'int32')]);
    expect(r.ok).toBe(true);
    expect(ones([1]).size).toBe(1);
  });
});

describe('gradients at awkward points match PyTorch', () => {
  const g64 = (f: (x: Tensor) => Tensor, x: number[]) => {
    const t = tensor(x, 'float64').requiresGrad_();
    return gradients(f(t), [t])[0].toFlatArray();
  };
  it('prod with one zero and with two zeros', async () => {
    const { prod } = await import('@backprop/tensor');
    expect(g64((x) => prod(x), [2, 0, 3, 0.5])).toEqual([0, 3, 0, 0]);
    expect(g64((x) => prod(x), [0, 1.5, 0, 2])).toEqual([0, 0, 0, 0]);
    expect(g64((x) => prod(x.reshape([2, 3]), 1).sum(), [2, 0, 3, 1, 2, 4])).toEqual([0, 6, 0, 8, 4, 2]);
  });
  it('hardTanh passes no gradient at its bounds, clamp does', async () => {
    const { hardTanh, clamp } = await import('@backprop/tensor');
    expect(g64((x) => hardTanh(x).sum(), [-1, 0, 1])).toEqual([0, 1, 0]);
    expect(g64((x) => clamp(x, -1, 1).sum(), [-1, 0, 1])).toEqual([1, 1, 1]);
  });
  it('pow with a zero exponent at a zero base', () => {
    const b = tensor([0, 2, 0.5], 'float64');
    expect(g64((x) => x.pow(b).sum(), [0, 0, 2])[0]).toBe(0);
  });
  it('std of a constant is 0 with gradient 0', async () => {
    const { std } = await import('@backprop/tensor');
    expect(g64((x) => std(x), [1, 1, 1])).toEqual([0, 0, 0]);
  });
});
