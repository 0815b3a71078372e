import {
  add, any, argmax, argmin, cast, cumprod, cumsum, div, eq, expand, eye, flip, mul, reshape, scatterAdd, sub, sum,
  transpose, triu, unsqueeze, where, zeros, zerosLike, ones, type Tensor,
} from '@backprop/tensor';
import { registerGradient } from '../registry.js';

/** Σ_{j ≥ i} t_j along `axis`: the adjoint of a running sum. */
const reverseCumsum = (t: Tensor, axis: number): Tensor => flip(cumsum(flip(t, [axis]), axis), [axis]);

/**
 * ∂L/∂x_k = Σ_{i ≥ k} g_i·Π_{j ≤ i, j ≠ k} x_j. Without zeros that is reverseCumsum(g·y)/x. With a zero
 * the division fails, so each product leaving out x_k is a running product of x with x_k replaced by 1:
 * an n × n table per line (the axis moved last), masked to i ≥ k and summed over i.
 */
function cumprodGrad(g: Tensor, x: Tensor, output: Tensor, axis: number): Tensor {
  if (!any(eq(x, 0)).item()) return div(reverseCumsum(mul(g, output), axis), x);
  const last = x.rank - 1;
  const xm = transpose(x, axis, last);
  const gm = transpose(g, axis, last);
  const n = x.shape[axis];
  const table = [...xm.shape, n];
  table[table.length - 2] = n;
  // rows k, columns j: x_j with x_k replaced by 1.
  const leaveOneOut = where(cast(eye(n), 'bool'), ones([], { dtype: x.dtype }), expand(unsqueeze(xm, -2), table));
  const products = cumprod(leaveOneOut, -1);
  const upper = cast(triu(ones([n, n], { dtype: 'int32' })), 'bool');
  const gk = sum(where(upper, mul(products, unsqueeze(gm, -2)), 0), -1);
  return transpose(gk, axis, last);
}

/** max/min along one axis: the whole gradient goes to the position argmax/argmin picks. */
function selectedGrad(pick: typeof argmax, g: Tensor, x: Tensor, axis: number): Tensor {
  const index = pick(x.detach(), axis, true);
  const kept = x.shape.map((d, k) => (k === axis ? 1 : d));
  return scatterAdd(zeros(x.shape, { dtype: g.dtype }), axis, index, reshape(g, kept));
}

export function registerSelectionGradients(): void {
  registerGradient('cumsum', (g, { attrs }) => [reverseCumsum(g, attrs.axis as number)]);
  registerGradient('cumprod', (g, { inputs: [x], output, attrs }) => [cumprodGrad(g, x, output, attrs.axis as number)]);
  registerGradient('maxAlongAxis', (g, { inputs: [x], attrs }) => [selectedGrad(argmax, g, x, (attrs.axes as number[])[0])]);
  registerGradient('minAlongAxis', (g, { inputs: [x], attrs }) => [selectedGrad(argmin, g, x, (attrs.axes as number[])[0])]);
  registerGradient('normRoot', (g, { inputs: [s], output, attrs }) => {
    // d s^(1/p)/ds = s^(1/p)/(p·s), taken as 0 where s = 0 (PyTorch's norm gradient at a zero vector).
    const zero = cast(eq(s, 0), s.dtype);
    const d = div(output, mul(add(s, zero), attrs.p as number));
    return [mul(mul(g, d), sub(1, zero))];
  });
  // Piecewise constant: PyTorch gives them a zero gradient rather than refusing to differentiate.
  for (const op of ['floor', 'ceil', 'round']) registerGradient(op, (g) => [zerosLike(g)]);
}
