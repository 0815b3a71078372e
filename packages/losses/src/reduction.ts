import { mean, sum, type Tensor } from '@backprop/tensor';

/**
 * How a loss combines its per-element values, as `torch.nn.functional`: `'mean'` (the default) averages,
 * `'sum'` adds, `'none'` returns them unreduced.
 */
export type Reduction = 'mean' | 'sum' | 'none';

/** The reductions, for option checking. */
export const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

/** The option every loss takes. */
export interface ReductionOptions {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/** Applies `reduction` to per-element losses; the mean of no elements is NaN, as in PyTorch. */
export function reduceLoss(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? sum(loss) : mean(loss);
}
