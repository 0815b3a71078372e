import {
  ShapeError, ValueError, add, clamp, div, exp, fmtShape, gt, log, mul, shapesEqual, square, sub, unsqueeze, where,
  zerosLike, type Tensor,
} from '@backprop/tensor';
import { checkFloat, checkIsTensor, checkPair } from './checks.js';
import { checkOptions, type OptionSpec } from './options.js';
import { REDUCTIONS, reduceLoss, type ReductionOptions } from './reduction.js';

export const POISSON_NLL_OPTIONS: OptionSpec = { reduction: REDUCTIONS, logInput: 'boolean', full: 'boolean', eps: 'number' };
export const GAUSSIAN_NLL_OPTIONS: OptionSpec = { reduction: REDUCTIONS, full: 'boolean', eps: 'number' };

export interface PoissonNllLossOptions extends ReductionOptions {
  /** Whether the input is the log of the rate (default true) or the rate itself. */
  logInput?: boolean;
  /** Add Stirling's approximation of log(y!) (where y > 1), making it the full negative log-likelihood (default false). */
  full?: boolean;
  /** Added to the rate inside the log when `logInput` is false, so a zero rate is finite (default 1e-8). */
  eps?: number;
}

/**
 * The Poisson negative log-likelihood, as `F.poisson_nll_loss`, of counts y under rates λ:
 * ℓᵢ = e^(xᵢ) − yᵢ·xᵢ with `logInput` (x = log λ, the default), or ℓᵢ = xᵢ − yᵢ·log(xᵢ + eps) with x = λ.
 * With `full`, Stirling's term yᵢ·log yᵢ − yᵢ + ½·log(2π·yᵢ) is added where yᵢ > 1 (log(y!) is 0 for y ≤ 1).
 * Defaults: `logInput` true, `full` false, `eps` 1e-8, `reduction` `'mean'`. Input and target share one shape.
 *
 * @example
 * poissonNllLoss(tensor([0, Math.log(2)]), tensor([1, 3])).item(); // ((1 − 0) + (2 − 3·log 2))/2
 */
export function poissonNllLoss(input: Tensor, target: Tensor, options: PoissonNllLossOptions = {}): Tensor {
  const loss = 'poissonNllLoss';
  checkOptions(loss, options, POISSON_NLL_OPTIONS);
  const [x, y] = checkPair(loss, input, target);
  const { logInput = true, full = false, eps = 1e-8 } = options;
  let elements = logInput ? sub(exp(x), mul(y, x)) : sub(x, mul(y, log(add(x, eps))));
  if (full) {
    const counted = gt(y, 1);
    // y ≤ 1 is replaced by 1 before the logs, so masked positions carry neither NaN values nor NaN gradients.
    const safe = where(counted, y, 1);
    const stirling = add(sub(mul(safe, log(safe)), safe), mul(log(mul(safe, 2 * Math.PI)), 0.5));
    elements = add(elements, where(counted, stirling, zerosLike(stirling)));
  }
  return reduceLoss(elements, options.reduction ?? 'mean');
}

export interface GaussianNllLossOptions extends ReductionOptions {
  /** Add the constant ½·log(2π) (default false). */
  full?: boolean;
  /** Variances below it are raised to it in the forward pass; the gradient passes through unchanged (default 1e-6). */
  eps?: number;
}

/**
 * The Gaussian negative log-likelihood, as `F.gaussian_nll_loss`, of targets y under means x and variances σ²:
 * ℓᵢ = ½·(log max(σ²ᵢ, eps) + (xᵢ − yᵢ)² / max(σ²ᵢ, eps)), plus ½·log(2π) with `full`. The clamp is PyTorch's: made
 * without gradient tracking, so the gradient is that of the formula at the clamped variance, passed to σ² as is.
 * `var` has the input's shape, or that shape with the last axis 1 (one variance per row) or dropped. Variances
 * must be non-negative. Defaults: `full` false, `eps` 1e-6, `reduction` `'mean'`.
 *
 * @example
 * gaussianNllLoss(tensor([0, 1]), tensor([1, 1]), tensor([1, 4])).item(); // (½·1 + ½·log 4)/2
 */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, options: GaussianNllLossOptions = {}): Tensor {
  const loss = 'gaussianNllLoss';
  checkOptions(loss, options, GAUSSIAN_NLL_OPTIONS);
  const [x, y] = checkPair(loss, input, target);
  let v = checkIsTensor(loss, 'var', variance);
  checkFloat(loss, 'var', v);
  const leading = x.shape.slice(0, -1);
  if (!shapesEqual(v.shape, x.shape)) {
    if (x.rank > 0 && shapesEqual(v.shape, leading)) v = unsqueeze(v, -1);
    else if (!(x.rank > 0 && v.rank === x.rank && shapesEqual(v.shape.slice(0, -1), leading) && v.shape[v.rank - 1] === 1)) {
      throw new ShapeError(
        loss,
        `var has shape ${fmtShape(v.shape)}; expected the input's shape ${fmtShape(x.shape)}, or it with the last axis 1 or dropped`,
      );
    }
  }
  const eps = options.eps ?? 1e-6;
  if (!(eps > 0)) throw new ValueError(loss, `eps must be positive, got ${eps}`);
  if (v.dataSync().some((value) => value < 0)) throw new ValueError(loss, 'var has a negative entry; variances must be ≥ 0');
  // v + (max(v, eps) − v) with the correction detached: the value of the clamp and the gradient of the identity.
  const clamped = add(v, sub(clamp(v, eps), v).detach());
  let elements = mul(add(log(clamped), div(square(sub(x, y)), clamped)), 0.5);
  if (options.full) elements = add(elements, 0.5 * Math.log(2 * Math.PI));
  return reduceLoss(elements, options.reduction ?? 'mean');
}
