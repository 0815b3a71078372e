import { ValueError, abs, div, minimum, mul, square, sub, type Tensor } from '@backprop/tensor';
import { checkPair } from './checks.js';
import { checkOptions, type OptionSpec } from './options.js';
import { REDUCTIONS, reduceLoss, type ReductionOptions } from './reduction.js';

export const REDUCTION_ONLY: OptionSpec = { reduction: REDUCTIONS };
export const HUBER_OPTIONS: OptionSpec = { reduction: REDUCTIONS, delta: 'number' };
export const SMOOTH_L1_OPTIONS: OptionSpec = { reduction: REDUCTIONS, beta: 'number' };

/**
 * Mean squared error, as `F.mse_loss`: ℓᵢ = (xᵢ − yᵢ)², reduced by `reduction` (default `'mean'`).
 * Input and target are float tensors of one shape.
 *
 * @example
 * mseLoss(tensor([1, 2, 3]), tensor([1, 2, 5])).item(); // 4/3
 */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  checkOptions('mseLoss', options, REDUCTION_ONLY);
  const [x, y] = checkPair('mseLoss', input, target);
  return reduceLoss(square(sub(x, y)), options.reduction ?? 'mean');
}

/**
 * Mean absolute error, as `F.l1_loss`: ℓᵢ = |xᵢ − yᵢ|, reduced by `reduction` (default `'mean'`). Its
 * gradient at xᵢ = yᵢ is 0, as PyTorch's.
 *
 * @example
 * l1Loss(tensor([1, 2, 3]), tensor([1, 2, 5]), { reduction: 'sum' }).item(); // 2
 */
export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  checkOptions('l1Loss', options, REDUCTION_ONLY);
  const [x, y] = checkPair('l1Loss', input, target);
  return reduceLoss(abs(sub(x, y)), options.reduction ?? 'mean');
}

/**
 * Huber's elementwise loss with threshold δ: ½d² for |d| < δ, δ(|d| − ½δ) otherwise. Written as
 * c·(|d| − ½c) with c = min(|d|, δ), which is both branches at once, so no mask is needed.
 */
function huberElements(d: Tensor, delta: number): Tensor {
  const a = abs(d);
  const c = minimum(a, delta);
  return mul(c, sub(a, mul(c, 0.5)));
}

export interface HuberLossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear; must be positive (default 1). */
  delta?: number;
}

/**
 * Huber loss, as `F.huber_loss`: with d = x − y, ℓᵢ = ½d² if |d| < δ, else δ·(|d| − ½δ); defaults
 * δ = 1 and `reduction: 'mean'`.
 *
 * @example
 * huberLoss(tensor([0, 0]), tensor([0.5, 3]), { reduction: 'none' }).toArray(); // [0.125, 2.5]
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberLossOptions = {}): Tensor {
  checkOptions('huberLoss', options, HUBER_OPTIONS);
  const [x, y] = checkPair('huberLoss', input, target);
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new ValueError('huberLoss', `delta must be positive, got ${delta}`);
  return reduceLoss(huberElements(sub(x, y), delta), options.reduction ?? 'mean');
}

export interface SmoothL1LossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear; ≥ 0 (default 1); 0 gives the L1 loss. */
  beta?: number;
}

/**
 * Smooth L1 loss, as `F.smooth_l1_loss`: with d = x − y, ℓᵢ = ½d²/β if |d| < β, else |d| − ½β; defaults
 * β = 1 and `reduction: 'mean'`. β = 0 is the L1 loss. It equals Huber(δ = β)/β, which is how it is
 * computed.
 *
 * @example
 * smoothL1Loss(tensor([0, 0]), tensor([0.5, 3]), { reduction: 'none' }).toArray(); // [0.125, 2.5]
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1LossOptions = {}): Tensor {
  checkOptions('smoothL1Loss', options, SMOOTH_L1_OPTIONS);
  const [x, y] = checkPair('smoothL1Loss', input, target);
  const beta = options.beta ?? 1;
  if (!(beta >= 0)) throw new ValueError('smoothL1Loss', `beta must be non-negative, got ${beta}`);
  const d = sub(x, y);
  const elements = beta === 0 ? abs(d) : div(huberElements(d, beta), beta);
  return reduceLoss(elements, options.reduction ?? 'mean');
}
