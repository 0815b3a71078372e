import { runKernel } from '../backend.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import { broadcastShapes, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { commonFloat } from './conv-geometry.js';
import { clamp, div, mul, sqrt, sub, add } from './elementwise.js';
import { sum } from './reduce.js';
import { expand, transpose } from './shape-ops.js';
import { concat } from './indexing-join.js';
import { matmul } from './matmul.js';
import { onesLike } from '../creation.js';

/**
 * How `cdist` computes Euclidean distances: PyTorch's `compute_mode` values.
 * @example cdist(x, y, 2, 'donot_use_mm_for_euclid_dist');
 */
export type CdistComputeMode = 'use_mm_for_euclid_dist_if_necessary' | 'use_mm_for_euclid_dist' | 'donot_use_mm_for_euclid_dist';

const MM_MODES: Record<CdistComputeMode, (P: number, R: number) => boolean> = {
  use_mm_for_euclid_dist_if_necessary: (P, R) => P > 25 || R > 25,
  use_mm_for_euclid_dist: () => true,
  donot_use_mm_for_euclid_dist: () => false,
};

/** PyTorch's `_euclidean_dist`: one matmul of [−2a, ‖a‖², 1] with [b, 1, ‖b‖²], clamped at 1e-30, square-rooted. */
function euclideanByMatmul(a: Tensor, b: Tensor): Tensor {
  const aNorm = sum(mul(a, a), -1, true);
  const bNorm = sum(mul(b, b), -1, true);
  const left = concat([mul(a, -2), aNorm, onesLike(aNorm)], -1);
  const right = concat([b, onesLike(bNorm), bNorm], -1);
  return sqrt(clamp(matmul(left, transpose(right, -2, -1)), 1e-30));
}

/**
 * The p-norm distance between every row of `x1` [..., P, M] and every row of `x2` [..., R, M], as PyTorch's
 * `torch.cdist`: a result [..., P, R] over the broadcast batch axes. `p` is any number ≥ 0 or `Infinity`
 * (the largest difference). For p = 2, `computeMode` chooses as PyTorch's `compute_mode`: the default
 * uses the matmul form √max(‖a‖² + ‖b‖² − 2a·b, 1e-30) when P or R exceeds 25 (faster, less accurate for
 * close points), 'use_mm_for_euclid_dist' always, 'donot_use_mm_for_euclid_dist' never (the differences are
 * summed directly). The direct form's gradient is 0 where a distance is 0, as PyTorch's.
 *
 * @example
 * cdist(tensor([[0, 0], [1, 1]]), tensor([[3, 4]])).toArray(); // [[5], [3.605…]]
 * cdist(x, y, 1); // Manhattan distances
 */
export function cdist(x1: Tensor, x2: Tensor, p = 2, computeMode: CdistComputeMode = 'use_mm_for_euclid_dist_if_necessary'): Tensor {
  const op = 'cdist';
  const [a, b] = commonFloat(op, [x1, x2]) as Tensor[];
  if (a.rank < 2 || b.rank < 2) throw new ShapeError(op, `x1 and x2 must have rank ≥ 2 ([..., P, M] and [..., R, M]), got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const M = a.shape[a.rank - 1];
  if (b.shape[b.rank - 1] !== M) {
    throw new ShapeError(op, `x1 ${fmtShape(a.shape)} and x2 ${fmtShape(b.shape)} must have the same size of the last axis (the features)`);
  }
  if (!(p >= 0)) throw new ValueError(op, `p must be a number ≥ 0 or Infinity, got ${p}`);
  const batch = broadcastShapes(op, a.shape.slice(0, -2), b.shape.slice(0, -2));
  const [P, R] = [a.shape[a.rank - 2], b.shape[b.rank - 2]];
  if (!(computeMode in MM_MODES)) {
    throw new ValueError(op, `computeMode must be one of ${Object.keys(MM_MODES).join(', ')}, got '${String(computeMode)}'`);
  }
  const ae = expand(a, [...batch, P, M]);
  const be = expand(b, [...batch, R, M]);
  if (p === 2 && MM_MODES[computeMode](P, R)) return euclideanByMatmul(ae, be);
  const out = wrap(runKernel(op, [ae, be], { p, shape: [...batch, P, R] }));
  return recordOp(op, [ae, be], { p }, out);
}

/**
 * The cosine similarity of `x1` and `x2` along `dim` (default 1), broadcasting them together, as PyTorch
 * 1.13's `F.cosine_similarity`: Σ x1·x2 / √(max(‖x1‖², eps²) · max(‖x2‖², eps²)). As in PyTorch, the
 * clamping of the squared norms is not differentiated (the gradient treats it as the identity).
 *
 * @example
 * cosineSimilarity(tensor([[1, 0], [1, 1]]), tensor([[0, 1], [2, 2]])).toArray(); // [0, 1]
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, dim = 1, eps = 1e-8): Tensor {
  const op = 'cosineSimilarity';
  const [a, b] = commonFloat(op, [x1, x2]) as Tensor[];
  const shape = broadcastShapes(op, a.shape, b.shape);
  const axis = normalizeAxis(op, dim, shape.length);
  const ae = expand(a, shape);
  const be = expand(b, shape);
  const clampedNorm = (x: Tensor): Tensor => {
    const n = sum(mul(x, x), axis);
    // PyTorch clamps in place under no_grad: the value is clamped, the gradient passes as if it were not.
    return add(n, sub(clamp(n, eps * eps), n).detach());
  };
  return div(sum(mul(ae, be), axis), sqrt(mul(clampedNorm(ae), clampedNorm(be))));
}
