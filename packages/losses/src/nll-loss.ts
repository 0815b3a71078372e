import { div, neg, sum, type Tensor } from '@backprop/tensor';
import { checkFloat, checkIsTensor } from './checks.js';
import {
  checkClassIndices, checkClassWeight, classLayout, pickTargetClass, pickUnweightedTargetClass, targetWeights, type ClassLayout,
} from './class-targets.js';
import { checkOptions, type OptionSpec } from './options.js';
import { REDUCTIONS, type Reduction, type ReductionOptions } from './reduction.js';

export const NLL_OPTIONS: OptionSpec = { reduction: REDUCTIONS, weight: 'tensor', ignoreIndex: 'integer' };

export interface NllLossOptions extends ReductionOptions {
  /** A weight per class, shape [C] (default: all 1). */
  weight?: Tensor;
  /** Targets equal to this contribute nothing, to the sum or to the mean's divisor (default −100). */
  ignoreIndex?: number;
}

/** A checked class-index problem: scores [N, C, d…], int32 targets [N, d…], and the weight of each target. */
export interface ClassIndexProblem {
  layout: ClassLayout;
  target: Tensor;
  weight: Tensor | undefined;
  ignoreIndex: number;
  /** w[target] per position, 0 where the target is ignored; `null` without class weights (see `unweightedKept`). */
  targetWeight: number[] | null;
}

export function classIndexProblem(loss: string, scores: Tensor, target: unknown, options: NllLossOptions): ClassIndexProblem {
  const layout = classLayout(loss, scores);
  const ignoreIndex = options.ignoreIndex ?? -100;
  const t = checkClassIndices(loss, scores, target, layout, ignoreIndex);
  const weight = checkClassWeight(loss, options.weight, layout);
  // Without class weights the targets' weights come from ops, so the targets are not read on the host.
  return { layout, target: t, weight, ignoreIndex, targetWeight: weight ? targetWeights(t, weight, ignoreIndex) : null };
}

/** −w[y]·x[y] per position (the weighted pick where there are class weights, ops only where there are none), and the divisor of the mean. */
export function negativePick(scores: Tensor, problem: ClassIndexProblem): { elements: Tensor; divisor: Tensor | number } {
  const { layout, target, ignoreIndex, targetWeight } = problem;
  if (targetWeight === null) {
    const { picked, kept } = pickUnweightedTargetClass(scores, target, layout, ignoreIndex);
    return { elements: neg(picked), divisor: sum(kept) };
  }
  return { elements: neg(pickTargetClass(scores, target, layout, targetWeight)), divisor: targetWeight.reduce((a, b) => a + b, 0) };
}

/**
 * Reduces per-position class-index losses as PyTorch does: `'mean'` divides by the summed weights of the
 * targets that are not ignored (their count when unweighted), so ignored positions do not dilute it.
 */
export function reduceByTargetWeight(elements: Tensor, divisor: Tensor | number, reduction: Reduction): Tensor {
  if (reduction === 'none') return elements;
  const total = sum(elements);
  return reduction === 'sum' ? total : div(total, divisor);
}

/**
 * Negative log-likelihood, as `F.nll_loss`, on log-probabilities x of shape [N, C], [N, C, d1, …] or [C]
 * and int32 class indices y of shape [N], [N, d1, …] or []: ℓₙ = −w[yₙ]·x[n, yₙ] (0 where
 * yₙ = ignoreIndex). `'mean'` (default) divides Σℓₙ by Σ w[yₙ] over the targets not ignored; defaults
 * `weight` all 1, `ignoreIndex` −100.
 *
 * @example
 * nllLoss(logSoftmax(logits, 1), tensor([2, 0], 'int32')); // = crossEntropy(logits, …)
 */
export function nllLoss(input: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  checkOptions('nllLoss', options, NLL_OPTIONS);
  const x = checkIsTensor('nllLoss', 'input', input);
  checkFloat('nllLoss', 'input', x);
  const problem = classIndexProblem('nllLoss', x, target, options);
  const { elements, divisor } = negativePick(x, problem);
  return reduceByTargetWeight(elements, divisor, options.reduction ?? 'mean');
}
