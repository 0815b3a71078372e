import { add, cast, div, eq, exp, log, mul, sub, sum, type Tensor } from '@backprop/tensor';
import { checkPair } from './checks.js';
import { checkOptions, type OptionSpec } from './options.js';
import { reduceLoss, type Reduction } from './reduction.js';

/** `klDiv` also takes `'batchmean'`, the sum divided by the batch size. */
export type KlDivReduction = Reduction | 'batchmean';

export const KL_DIV_OPTIONS: OptionSpec = { reduction: ['mean', 'batchmean', 'sum', 'none'], logTarget: 'boolean' };

export interface KlDivOptions {
  /** `'mean'` (default, as PyTorch), `'batchmean'` (the true KL divergence per sample), `'sum'` or `'none'`. */
  reduction?: KlDivReduction;
  /** Whether the target is given as log-probabilities (default false). */
  logTarget?: boolean;
}

/** y·log y, taken as 0 at y = 0 (PyTorch's xlogy), so empty classes neither add NaN nor gradient. */
function yLogY(y: Tensor): Tensor {
  const zero = cast(eq(y, 0), y.dtype);
  return mul(y, log(add(y, zero)));
}

/**
 * Kullback–Leibler divergence, as `F.kl_div`, with the input x given as log-probabilities:
 * ℓᵢ = yᵢ·(log yᵢ − xᵢ) (0 where yᵢ = 0), or with `logTarget` ℓᵢ = e^(yᵢ)·(yᵢ − xᵢ). Reductions:
 * `'mean'` (default) averages over every element, which is not the KL divergence; `'batchmean'` divides
 * the sum by the batch size x.shape[0] and is; `'sum'`, `'none'`. Defaults: `reduction` `'mean'`,
 * `logTarget` false.
 *
 * @example
 * const q = logSoftmax(tensor([[1, 2, 3]]), 1);
 * klDiv(q, tensor([[0.2, 0.3, 0.5]]), { reduction: 'batchmean' }).item(); // KL(p ‖ q) ≈ 0.0780
 */
export function klDiv(input: Tensor, target: Tensor, options: KlDivOptions = {}): Tensor {
  checkOptions('klDiv', options, KL_DIV_OPTIONS);
  const [x, y] = checkPair('klDiv', input, target);
  const elements = options.logTarget ? mul(exp(y), sub(y, x)) : sub(yLogY(y), mul(y, x));
  const reduction = options.reduction ?? 'mean';
  if (reduction !== 'batchmean') return reduceLoss(elements, reduction);
  return x.rank === 0 ? sum(elements) : div(sum(elements), x.shape[0]);
}
