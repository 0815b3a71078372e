import {
  DTypeError, ValueError, add, cast, div, fmtShape, isFloat, logSoftmax, mul, ne, neg, reshape, shapesEqual, sum, type Tensor,
} from '@backprop/tensor';
import { checkFloat, checkIsTensor } from './checks.js';
import { checkClassWeight, classLayout, type ClassLayout } from './class-targets.js';
import { classIndexProblem, negativePick, reduceByTargetWeight, type ClassIndexProblem, type NllLossOptions } from './nll-loss.js';
import { checkOptions, type OptionSpec } from './options.js';
import { REDUCTIONS, reduceLoss, type Reduction } from './reduction.js';

export const CROSS_ENTROPY_OPTIONS: OptionSpec = {
  reduction: REDUCTIONS,
  weight: 'tensor',
  ignoreIndex: 'integer',
  labelSmoothing: 'number',
};

export interface CrossEntropyOptions extends NllLossOptions {
  /** ε ∈ [0, 1]: the target mixes (1 − ε) of itself with ε spread evenly over the C classes (default 0). */
  labelSmoothing?: number;
}

/** The per-class weight shaped to broadcast along the class axis of the scores. */
function classAxisWeight(weight: Tensor, layout: ClassLayout, rank: number): Tensor {
  return reshape(weight, [layout.classes, ...new Array<number>(rank - layout.axis - 1).fill(1)]);
}

/** −Σ_c w_c·p_c·log q_c over the class axis, with the targets p given as probabilities. */
function probabilityTargetLoss(
  logProbs: Tensor,
  target: Tensor,
  layout: ClassLayout,
  weight: Tensor | undefined,
  epsilon: number,
  reduction: Reduction,
): Tensor {
  const smoothed = epsilon > 0 ? add(mul(target, 1 - epsilon), epsilon / layout.classes) : target;
  const weighted = weight ? mul(smoothed, classAxisWeight(weight, layout, logProbs.rank)) : smoothed;
  const elements = neg(sum(mul(logProbs, weighted), layout.axis));
  // PyTorch's mean divides by the number of positions N·d1·…, not by a sum of weights, for these targets.
  return reduction === 'mean' ? div(sum(elements), layout.outer * layout.inner) : reduceLoss(elements, reduction);
}

/**
 * Cross-entropy from unnormalized logits, as `F.cross_entropy`, with log q = logSoftmax(x) along the class
 * axis (log-sum-exp, so logits of ±1e4 are fine). Logits have shape [N, C], [N, C, d1, …] or [C]; the
 * target is either
 * - class indices: int32 of shape [N], [N, d1, …] or []. ℓₙ = −w[yₙ]·log q[n, yₙ], 0 where
 *   yₙ = `ignoreIndex` (default −100); `'mean'` divides by Σ w[yₙ] over the targets not ignored. With
 *   label smoothing ε: ℓₙ = (1 − ε)·ℓₙ − (ε/C)·Σ_c w_c·log q[n, c], with the same divisor;
 * - class probabilities: a float tensor of the logits' shape. ℓₙ = −Σ_c w_c·p'[n, c]·log q[n, c] with
 *   p' = (1 − ε)·p + ε/C; `'mean'` divides by the number of positions. `ignoreIndex` must stay negative.
 *
 * Defaults: no `weight` (shape [C]), `ignoreIndex` −100, `labelSmoothing` 0, `reduction` `'mean'`.
 *
 * @example
 * const logits = tensor([[2, 0.5, -1], [0, 1e4, 0]]);
 * crossEntropy(logits, tensor([0, 1], 'int32')).item(); // ≈ 0.1207
 * crossEntropy(logits, tensor([0, 1], 'int32'), { labelSmoothing: 0.1 });
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const loss = 'crossEntropy';
  checkOptions(loss, options, CROSS_ENTROPY_OPTIONS);
  const x = checkIsTensor(loss, 'input', input);
  checkFloat(loss, 'input', x);
  const y = checkIsTensor(loss, 'target', target);
  const epsilon = options.labelSmoothing ?? 0;
  if (!(epsilon >= 0 && epsilon <= 1)) throw new ValueError(loss, `labelSmoothing must be in [0, 1], got ${epsilon}`);
  const reduction = options.reduction ?? 'mean';
  const layout = classLayout(loss, x);
  const logProbs = logSoftmax(x, layout.axis);

  if (shapesEqual(y.shape, x.shape)) {
    if (!isFloat(y.dtype)) {
      throw new DTypeError(
        loss,
        `target is ${y.dtype} ${fmtShape(y.shape)}, the logits' shape, so it must hold class probabilities as a float ` +
          `tensor; class indices are int32 of shape ${fmtShape(layout.targetShape)}`,
      );
    }
    const ignoreIndex = options.ignoreIndex ?? -100;
    if (ignoreIndex >= 0) {
      throw new ValueError(loss, `ignoreIndex ${ignoreIndex} is not supported with class-probability targets; leave it negative`);
    }
    return probabilityTargetLoss(logProbs, y, layout, checkClassWeight(loss, options.weight, layout), epsilon, reduction);
  }
  return classIndexLoss(logProbs, classIndexProblem(loss, x, y, options), epsilon, reduction);
}

/** (1 − ε)·(−w[y]·log q_y) + (ε/C)·(−Σ_c w_c·log q_c) per position, the second term 0 where y is ignored. */
function classIndexLoss(logProbs: Tensor, problem: ClassIndexProblem, epsilon: number, reduction: Reduction): Tensor {
  const { layout, target, weight, ignoreIndex } = problem;
  const { elements: nll, divisor } = negativePick(logProbs, problem);
  if (epsilon === 0) return reduceByTargetWeight(nll, divisor, reduction);
  const weighted = weight ? mul(logProbs, classAxisWeight(weight, layout, logProbs.rank)) : logProbs;
  const kept = cast(ne(target, ignoreIndex), logProbs.dtype);
  const smooth = mul(neg(sum(weighted, layout.axis)), kept);
  return reduceByTargetWeight(add(mul(nll, 1 - epsilon), mul(smooth, epsilon / layout.classes)), divisor, reduction);
}
