import { Tensor, mul, reshape, sum, tensor, zeros } from '@backprop/tensor';
import { AutogradError } from './errors.js';
import { enableGrad, gradients, grad } from './functional.js';

const leaf = (x: Tensor): Tensor => (x.requiresGrad ? x : x.detach().requiresGrad_());

/**
 * Forward-mode directional derivative: the value of `f` at `inputs` and J·tangents. Built on the double
 * backward trick: the vector-Jacobian product is linear in its cotangent u, so differentiating uᵀJ with
 * respect to u along `tangents` gives J·tangents.
 *
 * @example
 * const { jvp: d } = jvp((x) => x.mul(x), [tensor([3], 'float64')], [tensor([1], 'float64')]); // 6
 */
export function jvp(f: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], tangents: Tensor[]): { value: Tensor; jvp: Tensor } {
  if (inputs.length !== tangents.length) {
    throw new AutogradError(`jvp: got ${inputs.length} inputs but ${tangents.length} tangents`);
  }
  const xs = inputs.map(leaf);
  const value = enableGrad(() => f(...xs));
  if (!value.requiresGrad) return { value, jvp: zeros(value.shape, { dtype: value.dtype }) };
  const u = zeros(value.shape, { dtype: value.dtype }).requiresGrad_();
  const vjps = enableGrad(() => gradients(value, xs, { gradOutput: u, createGraph: true }));
  const inner = enableGrad(() => vjps.reduce((acc, v, i) => acc.add(sum(mul(v, tangents[i]))), sum(mul(u, 0))));
  const [out] = gradients(inner, [u]);
  return { value, jvp: out };
}

/**
 * The Jacobian of `f` at `x`: shape [...outputShape, ...inputShape]. One reverse pass per output element,
 * so meant for small functions.
 */
export function jacobian(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  const xl = leaf(x);
  const y = enableGrad(() => f(xl));
  const rows: Tensor[] = [];
  for (let i = 0; i < y.size; i++) {
    const e = basisTensor(y, i);
    rows.push(y.requiresGrad ? gradients(y, [xl], { gradOutput: e, retainGraph: true })[0] : zeros(x.shape, { dtype: x.dtype }));
  }
  return reshape(stack0(rows, x), [...y.shape, ...x.shape]);
}

/** The Hessian of a scalar `f` at `x`: the Jacobian of its gradient, shape [...x.shape, ...x.shape]. */
export function hessian(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  return jacobian((z) => grad(f)(z)[0], x);
}

/** Hessian-vector product H·v of a scalar `f` at `x`, without forming H. */
export function hvp(f: (x: Tensor) => Tensor, x: Tensor, v: Tensor): Tensor {
  const xl = leaf(x);
  const g = enableGrad(() => gradients(f(xl), [xl], { createGraph: true })[0]);
  return gradients(enableGrad(() => sum(mul(g, v))), [xl])[0];
}

/** Stacks equally shaped tensors along a new first axis (a copy: a Jacobian is a value, not a graph). */
function stack0(rows: Tensor[], like: Tensor): Tensor {
  const size = like.size;
  const data = like.dtype === 'float64' ? new Float64Array(rows.length * size) : new Float32Array(rows.length * size);
  rows.forEach((r, i) => data.set(r.dataSync() as never, i * size));
  return tensor(data, [rows.length, ...like.shape]);
}

/** The tensor of `like`'s shape and dtype that is 1 at flat index `i` and 0 elsewhere (a seed for one row). */
function basisTensor(like: Tensor, i: number): Tensor {
  const values = like.dtype === 'float64' ? new Float64Array(like.size) : new Float32Array(like.size);
  values[i] = 1;
  return new Tensor(values, like.shape, like.dtype);
}
