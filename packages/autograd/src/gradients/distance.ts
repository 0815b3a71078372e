import { abs, eq, mul, neg, pow, sign, sum, unsqueeze, where, zerosLike, div, sub, type Tensor } from '@backprop/tensor';
import { registerGradient, registerNonDifferentiable } from '../registry.js';

/**
 * cdist's gradient, as PyTorch's `_cdist_backward`: with diff = x1_i − x2_j and d = ‖diff‖_p, the
 * derivative of d in x1_i is sign(diff)·|diff|^(p−1)/d^(p−1) (diff/d for p = 2, sign(diff) for p = 1,
 * sign(diff) where |diff| = d for p = ∞, 0 for p = 0), and 0 wherever d = 0. x2_j gets the negative.
 */
export function registerDistanceGradients(): void {
  // Counting has no gradient in PyTorch either: backward through it is an error that names the op.
  registerNonDifferentiable('histc');
  registerNonDifferentiable('bincount');
  registerGradient('cdist', (g, { inputs: [x1, x2], output, attrs, needsGrad }) => {
    const p = attrs.p as number;
    const diff = sub(unsqueeze(x1, -2), unsqueeze(x2, -3));
    const d = unsqueeze(output, -1);
    const zero = eq(d, 0);
    const safeD = where(zero, 1, d);
    let term: Tensor;
    if (p === 0) term = zerosLike(diff);
    else if (p === 1) term = sign(diff);
    else if (p === 2) term = div(diff, safeD);
    else if (p === Infinity) term = mul(sign(diff), where(eq(abs(diff), d), 1, 0).astype(diff.dtype));
    else {
      const magnitude = abs(diff);
      // For p < 1 a zero difference would make |diff|^(p−1) infinite; its term is 0 (PyTorch's too).
      const safeMag = p < 1 ? where(eq(magnitude, 0), 1, magnitude) : magnitude;
      term = div(mul(sign(diff), pow(safeMag, p - 1)), pow(safeD, p - 1));
    }
    const weighted = mul(where(zero, 0, unsqueeze(g, -1)), term);
    return [needsGrad[0] ? sum(weighted, -2) : null, needsGrad[1] ? neg(sum(weighted, -3)) : null];
  });
}
