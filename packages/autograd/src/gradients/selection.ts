import {
  add, argmax, argmin, cast, cumprod, cumsum, div, eq, expand, eye, flip, isGradEnabled, logicalAnd, logicalOr, mul, ones,
  prod, reshape, scatterAdd, sub, sum, transpose, triu, unsqueeze, where, zeros, zerosLike, type Tensor,
} from '@backprop/tensor';
import { registerGradient } from '../registry.js';

/** Σ_{j ≥ i} t_j along `axis`: the adjoint of a running sum. */
const reverseCumsum = (t: Tensor, axis: number): Tensor => flip(cumsum(flip(t, [axis]), axis), [axis]);

/**
 * ∂L/∂x_k = Σ_{i ≥ k} g_i·Π_{j ≤ i, j ≠ k} x_j, per line along `axis`. Before a line's first zero z this is
 * reverseCumsum(g·y)/x (y is 0 from z on, so those terms vanish as they should). At z it is
 * Π_{j < z} x_j · Σ_{i ≥ z} g_i·Π_{z < j ≤ i} x_j, and after z it is 0 (every product holds x_z). O(n), and
 * nothing is read back to the host; but its masks make its own derivative wrong at zeros, so it serves
 * only a backward pass that is not itself recorded.
 */
function cumprodGrad(g: Tensor, x: Tensor, y: Tensor, axis: number): Tensor {
  const isZero = eq(x, 0);
  const zerosSoFar = cumsum(cast(isZero, 'int32'), axis);
  const before = eq(zerosSoFar, 0);
  const firstZero = logicalAnd(isZero, eq(zerosSoFar, 1));
  const gBefore = where(before, div(reverseCumsum(mul(g, y), axis), where(before, x, 1)), 0);
  const prodBefore = prod(where(before, x, 1), axis, true);
  const afterFirst = cumprod(where(logicalOr(before, firstZero), 1, x), axis);
  const atFirst = mul(prodBefore, sum(where(before, 0, mul(g, afterFirst)), axis, true));
  return add(gBefore, where(firstZero, atFirst, 0));
}

/**
 * The same gradient for a recorded backward pass (higher derivatives): each product leaving out x_k is a
 * running product of x with x_k replaced by 1, an n × n table per line (the axis moved last), masked to
 * i ≥ k and summed over i. Polynomial in x everywhere, so its own derivatives are right at zeros too.
 */
function cumprodGradTable(g: Tensor, x: Tensor, axis: number): Tensor {
  const last = x.rank - 1;
  const xm = transpose(x, axis, last);
  const gm = transpose(g, axis, last);
  const n = x.shape[axis];
  const table = [...xm.shape, n];
  table[table.length - 2] = n;
  // Rows k, columns j: x_j with x_k replaced by 1.
  const leaveOneOut = where(cast(eye(n), 'bool'), 1, expand(unsqueeze(xm, -2), table));
  const upper = cast(triu(ones([n, n], { dtype: 'int32' })), 'bool');
  const gk = sum(where(upper, mul(cumprod(leaveOneOut, -1), unsqueeze(gm, -2)), 0), -1);
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
  registerGradient('cumprod', (g, { inputs: [x], output, attrs }) => {
    const axis = attrs.axis as number;
    return [isGradEnabled() ? cumprodGradTable(g, x, axis) : cumprodGrad(g, x, output, axis)];
  });
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
