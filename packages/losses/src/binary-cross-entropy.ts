import {
  ValueError, add, div, log, log1p, maximum, mul, neg, softplus, sub, type Tensor,
} from '@backprop/tensor';
import { checkBroadcastWeight, checkPair } from './checks.js';
import { lazyOp } from './lazy-op.js';
import { checkOptions, type OptionSpec } from './options.js';
import { REDUCTIONS, reduceLoss, type ReductionOptions } from './reduction.js';

export const BCE_OPTIONS: OptionSpec = { reduction: REDUCTIONS, weight: 'tensor' };
export const BCE_WITH_LOGITS_OPTIONS: OptionSpec = { reduction: REDUCTIONS, weight: 'tensor', posWeight: 'tensor' };

/** PyTorch clamps the logarithms at −100, so that a probability of exactly 0 or 1 gives a finite loss. */
const LOG_FLOOR = -100;
/** PyTorch's floor for x(1 − x) in the gradient, which keeps it finite at x = 0 or 1; it is a float32 1e-12. */
const GRAD_EPSILON = Math.fround(1e-12);

const clampedLog = (x: Tensor): Tensor => maximum(log(x), LOG_FLOOR);
const clampedLog1m = (x: Tensor): Tensor => maximum(log1p(neg(x)), LOG_FLOOR);

// A fused op rather than a composition: composed, the clamp would send 0·(1/0) = NaN into the gradient
// wherever a saturated float32 sigmoid gives exactly 0 or 1. The gradients are PyTorch's formulas.
const bceElements = lazyOp({
  name: 'losses.binaryCrossEntropy',
  // ℓ = (y − 1)·max(log(1 − x), −100) − y·max(log x, −100)
  forward: ([x, y]) => sub(mul(sub(y, 1), clampedLog1m(x)), mul(y, clampedLog(x))),
  backward: (g, { inputs: [x, y], needsGrad }) => [
    // ∂ℓ/∂x = (x − y) / max(x(1 − x), 1e-12)
    needsGrad[0] ? mul(g, div(sub(x, y), maximum(mul(x, sub(1, x)), GRAD_EPSILON))) : null,
    // ∂ℓ/∂y = max(log(1 − x), −100) − max(log x, −100): the derivative of the clamped ℓ, so ±100 rather
    // than PyTorch 1.13's ±∞ at x = 0 or 1.
    needsGrad[1] ? mul(g, sub(clampedLog1m(x), clampedLog(x))) : null,
  ],
});

export interface BinaryCrossEntropyOptions extends ReductionOptions {
  /** A rescaling weight, broadcast to the input's shape (default: none). */
  weight?: Tensor;
}

/**
 * Binary cross-entropy between probabilities x ∈ [0, 1] and targets y, as `F.binary_cross_entropy`:
 * ℓᵢ = −wᵢ·(yᵢ·max(log xᵢ, −100) + (1 − yᵢ)·max(log(1 − xᵢ), −100)), reduced by `reduction`
 * (default `'mean'`). The clamp at −100 keeps ℓ finite at x = 0 or 1; the gradient
 * w·(x − y)/max(x(1 − x), 1e-12) stays finite there too, and so does the target's gradient
 * w·(max(log(1 − x), −100) − max(log x, −100)) (PyTorch 1.13 gives ±∞ for it there). Prefer {@link binaryCrossEntropyWithLogits} on
 * logits: it is exact where the sigmoid saturates.
 *
 * @example
 * binaryCrossEntropy(tensor([0.9, 0.2]), tensor([1, 0])).item(); // −(log 0.9 + log 0.8)/2 ≈ 0.1643
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BinaryCrossEntropyOptions = {}): Tensor {
  checkOptions('binaryCrossEntropy', options, BCE_OPTIONS);
  const [x, y] = checkPair('binaryCrossEntropy', input, target);
  const weight = checkBroadcastWeight('binaryCrossEntropy', 'weight', options.weight, x);
  const outside = x.dataSync().findIndex((v) => !(v >= 0 && v <= 1));
  if (outside >= 0) {
    throw new ValueError(
      'binaryCrossEntropy',
      `input holds ${x.dataSync()[outside]} at flat index ${outside}; expected probabilities in [0, 1] (for logits use binaryCrossEntropyWithLogits)`,
    );
  }
  const elements = bceElements([x, y], {});
  return reduceLoss(weight ? mul(elements, weight) : elements, options.reduction ?? 'mean');
}

export interface BinaryCrossEntropyWithLogitsOptions extends BinaryCrossEntropyOptions {
  /** Weight of the positive term, broadcast along the last (class) axis, e.g. #negatives/#positives (default: none). */
  posWeight?: Tensor;
}

/**
 * Binary cross-entropy on logits, as `F.binary_cross_entropy_with_logits`, computed stably:
 * ℓᵢ = wᵢ·((1 − yᵢ)·xᵢ + lᵢ·softplus(−xᵢ)) with lᵢ = 1 + (p − 1)·yᵢ for `posWeight` p (else lᵢ = 1) and
 * softplus(z) = max(z, 0) + log(1 + e^(−|z|)); without p this is max(x, 0) − x·y + log(1 + e^(−|x|)).
 * Reduced by `reduction` (default `'mean'`). Finite and exact for logits of any size (±1e4 included); the
 * gradient is w·(l·σ(x) − p·y).
 *
 * @example
 * binaryCrossEntropyWithLogits(tensor([1e4, -1e4]), tensor([1, 1]), { reduction: 'none' }).toArray(); // [0, 10000]
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  options: BinaryCrossEntropyWithLogitsOptions = {},
): Tensor {
  const loss = 'binaryCrossEntropyWithLogits';
  checkOptions(loss, options, BCE_WITH_LOGITS_OPTIONS);
  const [x, y] = checkPair(loss, input, target);
  const weight = checkBroadcastWeight(loss, 'weight', options.weight, x);
  const posWeight = checkBroadcastWeight(loss, 'posWeight', options.posWeight, x);
  // An infinite threshold makes softplus exact everywhere (its kernel already uses the stable form), and
  // its gradient σ(z) is right at z = 0, where max(z, 0) + log1p(e^(−|z|)) composed would give 0.
  const negLogSigmoid = softplus(neg(x), 1, Infinity);
  const scale = posWeight ? add(mul(sub(posWeight, 1), y), 1) : null;
  const elements = add(mul(sub(1, y), x), scale ? mul(scale, negLogSigmoid) : negLogSigmoid);
  return reduceLoss(weight ? mul(elements, weight) : elements, options.reduction ?? 'mean');
}
