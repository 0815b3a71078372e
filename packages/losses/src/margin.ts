import { ShapeError, ValueError, add, div, fmtShape, mul, relu, reshape, square, sub, sum, type Tensor } from '@backprop/tensor';
import { checkFloat, checkIsTensor, checkPair } from './checks.js';
import {
  checkClassIndices, checkClassWeight, classLayout, perClassConstant, pickTargetClass, targetWeights,
} from './class-targets.js';
import { checkOptions, type OptionSpec } from './options.js';
import { REDUCTIONS, reduceLoss, type ReductionOptions } from './reduction.js';

export const HINGE_OPTIONS: OptionSpec = { reduction: REDUCTIONS, margin: 'number' };
export const MULTI_MARGIN_OPTIONS: OptionSpec = { reduction: REDUCTIONS, p: 'integer', margin: 'number', weight: 'tensor' };

export interface HingeLossOptions extends ReductionOptions {
  /** The margin m (default 1). */
  margin?: number;
}

/**
 * The binary hinge loss of a linear SVM, for targets y ∈ {−1, 1}: ℓᵢ = max(0, m − yᵢ·xᵢ), reduced by
 * `reduction` (default `'mean'`); default margin m = 1. PyTorch has no function for exactly this (its
 * `hinge_embedding_loss` is a different loss); it equals `torch.relu(m - y * x).mean()`. Targets may be
 * float or int32, of the input's shape.
 *
 * @example
 * hingeLoss(tensor([2, 0.5, -1]), tensor([1, 1, 1])).item(); // (0 + 0.5 + 2)/3
 */
export function hingeLoss(input: Tensor, target: Tensor, options: HingeLossOptions = {}): Tensor {
  checkOptions('hingeLoss', options, HINGE_OPTIONS);
  const [x, y] = checkPair('hingeLoss', input, target, true);
  const bad = y.dataSync().findIndex((v) => v !== 1 && v !== -1);
  if (bad >= 0) throw new ValueError('hingeLoss', `target holds ${y.dataSync()[bad]} at flat index ${bad}; expected only −1 and 1`);
  return reduceLoss(relu(sub(options.margin ?? 1, mul(y, x))), options.reduction ?? 'mean');
}

export interface MultiMarginLossOptions extends ReductionOptions {
  /** 1 (default) or 2: the power of each margin violation. */
  p?: number;
  /** The margin m (default 1). */
  margin?: number;
  /** A weight per class, shape [C], applied by the target's class (default: none). */
  weight?: Tensor;
}

/**
 * Multi-class hinge loss, as `F.multi_margin_loss`, on scores x of shape [N, C] (or [C]) and int32 class
 * indices y of shape [N] (or []): ℓₙ = Σ_{c ≠ yₙ} w[yₙ]·max(0, m − x[n, yₙ] + x[n, c])ᵖ / C. Defaults
 * p = 1, m = 1, no weight, `reduction` `'mean'` (the mean over n).
 *
 * @example
 * multiMarginLoss(tensor([[0.1, 0.2, 0.4, 0.8]]), tensor([3], 'int32')).item(); // (0.3 + 0.4 + 0.6)/4
 */
export function multiMarginLoss(input: Tensor, target: Tensor, options: MultiMarginLossOptions = {}): Tensor {
  const loss = 'multiMarginLoss';
  checkOptions(loss, options, MULTI_MARGIN_OPTIONS);
  const x = checkIsTensor(loss, 'input', input);
  checkFloat(loss, 'input', x);
  if (x.rank > 2) throw new ShapeError(loss, `input has shape ${fmtShape(x.shape)}; expected scores of shape [N, C] or [C]`);
  const p = options.p ?? 1;
  if (p !== 1 && p !== 2) throw new ValueError(loss, `p must be 1 or 2, got ${p}`);
  const layout = classLayout(loss, x);
  const y = checkClassIndices(loss, x, target, layout, null);
  const weight = checkClassWeight(loss, options.weight, layout);
  const scoreOfTarget = reshape(pickTargetClass(x, y, layout, targetWeights(y, undefined, null)), x.rank === 2 ? [layout.outer, 1] : [1]);
  // (m − x_y) + x_c, in PyTorch's order of operations.
  const violation = relu(add(sub(options.margin ?? 1, scoreOfTarget), x));
  // The target's own class is left out of the sum; the target's weight scales the rest.
  const w = targetWeights(y, weight, null);
  const scale = perClassConstant(x, y, layout, (t, c, i) => (c === t ? 0 : w[i]));
  const elements = div(sum(mul(p === 2 ? square(violation) : violation, scale), layout.axis), layout.classes);
  return reduceLoss(elements, options.reduction ?? 'mean');
}
