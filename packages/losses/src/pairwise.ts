import {
  ShapeError, ValueError, abs, add, clamp, div, fmtShape, mul, pow, relu, sqrt, square, sub, sum, where, eq, zerosLike,
  minimum, type Tensor,
} from '@backprop/tensor';
import { checkFloat, checkIsTensor, checkPair } from './checks.js';
import { checkOptions, type OptionSpec } from './options.js';
import { REDUCTIONS, reduceLoss, type ReductionOptions } from './reduction.js';

export const TRIPLET_OPTIONS: OptionSpec = { reduction: REDUCTIONS, margin: 'number', p: 'number', eps: 'number', swap: 'boolean' };
export const MARGIN_RANKING_OPTIONS: OptionSpec = { reduction: REDUCTIONS, margin: 'number' };
export const COSINE_EMBEDDING_OPTIONS: OptionSpec = { reduction: REDUCTIONS, margin: 'number' };

/** Throws unless every value of `target` is −1 or 1 (read for validation only). */
function checkSigns(loss: string, target: Tensor): void {
  const values = target.dataSync();
  const bad = values.findIndex((v) => v !== 1 && v !== -1);
  if (bad >= 0) throw new ValueError(loss, `target holds ${values[bad]} at flat index ${bad}; expected only −1 and 1`);
}

/** ‖x‖_p along the last axis, as `torch.norm(x, p, -1)`. */
function pNorm(x: Tensor, p: number): Tensor {
  if (p === 2) return sqrt(sum(square(x), -1));
  if (p === 1) return sum(abs(x), -1);
  return pow(sum(pow(abs(x), p), -1), 1 / p);
}

export interface TripletMarginLossOptions extends ReductionOptions {
  /** The margin m (default 1). */
  margin?: number;
  /** The norm degree of the distance, > 0 (default 2). */
  p?: number;
  /** Added to the difference before the norm, as `F.pairwise_distance` (default 1e-6). */
  eps?: number;
  /** Use min(d(a, n), d(p, n)) as the negative distance (Balntas et al.'s distance swap; default false). */
  swap?: boolean;
}

/**
 * The triplet margin loss, as `F.triplet_margin_loss`, on anchors a, positives p and negatives n of shape
 * [N, D] (or unbatched [D]): ℓᵢ = max(d(aᵢ, pᵢ) − d(aᵢ, nᵢ) + m, 0) with d(x, y) = ‖x − y + eps‖_p (PyTorch's
 * `pairwise_distance`). With `swap`, d(aᵢ, nᵢ) is replaced by min(d(aᵢ, nᵢ), d(pᵢ, nᵢ)). Defaults: `margin` 1,
 * `p` 2, `eps` 1e-6, `swap` false, `reduction` `'mean'`.
 *
 * @example
 * const a = tensor([[0, 0]]), p = tensor([[0, 1]]), n = tensor([[3, 0]]);
 * tripletMarginLoss(a, p, n).item(); // max(1 − 3 + 1, 0) ≈ 0
 */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, options: TripletMarginLossOptions = {}): Tensor {
  const loss = 'tripletMarginLoss';
  checkOptions(loss, options, TRIPLET_OPTIONS);
  const [a, pos] = checkPair(loss, anchor, positive);
  const [, neg] = checkPair(loss, anchor, negative);
  if (a.rank !== 1 && a.rank !== 2) {
    throw new ShapeError(loss, `anchor has shape ${fmtShape(a.shape)}; expected embeddings of shape [N, D] or [D]`);
  }
  const { margin = 1, p = 2, eps = 1e-6, swap = false } = options;
  if (!(p > 0)) throw new ValueError(loss, `p must be positive, got ${p}`);
  const distance = (x: Tensor, y: Tensor) => pNorm(add(sub(x, y), eps), p);
  const dPositive = distance(a, pos);
  let dNegative = distance(a, neg);
  if (swap) dNegative = minimum(dNegative, distance(pos, neg));
  return reduceLoss(relu(add(sub(dPositive, dNegative), margin)), options.reduction ?? 'mean');
}

export interface MarginRankingLossOptions extends ReductionOptions {
  /** The margin m (default 0). */
  margin?: number;
}

/**
 * The margin ranking loss, as `F.margin_ranking_loss`: ℓᵢ = max(0, −yᵢ·(x1ᵢ − x2ᵢ) + m) for targets
 * y ∈ {−1, 1} saying which input should rank higher. Inputs and target share one shape (the target float
 * or int32). Defaults: `margin` 0, `reduction` `'mean'`.
 *
 * @example
 * marginRankingLoss(tensor([2, 0]), tensor([1, 1]), tensor([1, 1]), { margin: 0.5 }).item(); // (0 + 1.5)/2
 */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, options: MarginRankingLossOptions = {}): Tensor {
  const loss = 'marginRankingLoss';
  checkOptions(loss, options, MARGIN_RANKING_OPTIONS);
  const [x1, x2] = checkPair(loss, input1, input2);
  const [, y] = checkPair(loss, input1, target, true);
  checkSigns(loss, y);
  return reduceLoss(relu(add(mul(y, sub(x2, x1)), options.margin ?? 0)), options.reduction ?? 'mean');
}

export interface CosineEmbeddingLossOptions extends ReductionOptions {
  /** The margin m for dissimilar pairs, in [−1, 1] (default 0). */
  margin?: number;
}

/**
 * The cosine embedding loss, as `F.cosine_embedding_loss`, on inputs of shape [N, D] (or [D]) and targets
 * y ∈ {−1, 1} of shape [N] (or []): ℓᵢ = 1 − cos(x1ᵢ, x2ᵢ) where yᵢ = 1, max(0, cos(x1ᵢ, x2ᵢ) − m) where
 * yᵢ = −1, with cos = x1·x2 / √((‖x1‖² + 1e-12)(‖x2‖² + 1e-12)) as PyTorch computes it. Defaults: `margin` 0,
 * `reduction` `'mean'`.
 *
 * @example
 * cosineEmbeddingLoss(tensor([[1, 0]]), tensor([[1, 1]]), tensor([1])).item(); // 1 − 1/√2
 */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, options: CosineEmbeddingLossOptions = {}): Tensor {
  const loss = 'cosineEmbeddingLoss';
  checkOptions(loss, options, COSINE_EMBEDDING_OPTIONS);
  const [x1, x2] = checkPair(loss, input1, input2);
  if (x1.rank !== 1 && x1.rank !== 2) {
    throw new ShapeError(loss, `input1 has shape ${fmtShape(x1.shape)}; expected embeddings of shape [N, D] or [D]`);
  }
  const y = checkIsTensor(loss, 'target', target);
  const expected = x1.rank === 2 ? [x1.shape[0]] : [];
  if (y.rank !== expected.length || (y.rank === 1 && y.shape[0] !== expected[0])) {
    throw new ShapeError(loss, `target has shape ${fmtShape(y.shape)}; expected ${fmtShape(expected)} for inputs of shape ${fmtShape(x1.shape)}`);
  }
  if (y.dtype !== 'int32') checkFloat(loss, 'target', y);
  checkSigns(loss, y);
  const margin = options.margin ?? 0;
  if (!(margin >= -1 && margin <= 1)) throw new ValueError(loss, `margin must be in [−1, 1], got ${margin}`);
  const norms = mul(add(sum(square(x1), -1), 1e-12), add(sum(square(x2), -1), 1e-12));
  const cos = div(sum(mul(x1, x2), -1), sqrt(norms));
  const similar = eq(y, 1);
  // Each branch is computed everywhere and the other one zeroed, so neither leaks gradient.
  const zero = zerosLike(cos);
  const elements = add(where(similar, sub(1, cos), zero), where(similar, zero, clamp(sub(cos, margin), 0)));
  return reduceLoss(elements, options.reduction ?? 'mean');
}
