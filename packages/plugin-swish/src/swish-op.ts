import { defineOp } from '@backprop/autograd';
import { DTypeError, Tensor, broadcastShapes, isFloat, scalar, sigmoid, sumToShape } from '@backprop/tensor';

/** The name the op is recorded under: it appears in errors and graphs, and is namespaced so a core op never clashes with it. */
export const SWISH_OP = 'plugin-swish.swish';

// swish(x, β) = x·σ(βx). With s = σ(βx) and s' = s(1 − s):
//   ∂/∂x = s + βx·s'        ∂/∂β = x²·s'
// Both are written with tensor ops on the recorded inputs (not the output, which loses s where x = 0), so
// under createGraph they are recorded too and grad(grad(swish)) works. Each is summed back to its input's
// shape, undoing the broadcast of a per-feature β.
const swishOp = defineOp({
  name: SWISH_OP,
  forward: ([x, beta]) => x.mul(sigmoid(beta.mul(x))),
  backward: (g, { inputs: [x, beta], needsGrad }) => {
    const bx = beta.mul(x);
    const s = sigmoid(bx);
    const ds = s.mul(s.neg().add(1));
    const gx = needsGrad[0] ? sumToShape(g.mul(s.add(bx.mul(ds))), x.shape) : null;
    const gBeta = needsGrad[1] ? sumToShape(g.mul(x.mul(x).mul(ds)), beta.shape) : null;
    return [gx, gBeta];
  },
});

/**
 * Swish with a learnable slope (Ramachandran et al., 2017, "Searching for Activation Functions"):
 * swish(x, β) = x·σ(βx), elementwise, with `beta` broadcast against `x` (a number, a scalar tensor, or
 * one β per feature). β = 1 is SiLU; β → ∞ approaches ReLU; β = 0 gives x/2.
 *
 * Differentiable in both arguments, to any order: its gradient is a hand-written rule built from tensor ops.
 *
 * @example
 * const x = tensor([-1, 0, 2]).requiresGrad_();
 * const beta = tensor([1.5]).requiresGrad_();
 * swish(x, beta).sum().backward();   // x.grad and beta.grad are filled
 * swish(x, 1).toArray();             // SiLU: [-0.2689…, 0, 1.7616…]
 */
export function swish(x: Tensor, beta: Tensor | number): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`swish: x must be a Tensor, got ${typeof x}`);
  if (!isFloat(x.dtype)) throw new DTypeError('swish', `x must be a float tensor, got ${x.dtype}`);
  const b = typeof beta === 'number' ? scalar(beta, x.dtype) : beta;
  if (!(b instanceof Tensor)) throw new TypeError(`swish: beta must be a number or a Tensor, got ${typeof beta}`);
  if (!isFloat(b.dtype)) throw new DTypeError('swish', `beta must be a float tensor, got ${b.dtype}`);
  broadcastShapes('swish', x.shape, b.shape); // throws a ShapeError naming swish and both shapes
  return swishOp([x, b]);
}
