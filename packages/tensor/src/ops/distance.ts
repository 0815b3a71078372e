import { runKernel } from '../backend.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import { broadcastShapes, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { commonFloat } from './conv-geometry.js';
import { clamp, div, mul, sqrt, sub, add } from './elementwise.js';
import { sum } from './reduce.js';
import { expand } from './shape-ops.js';

/**
 * The p-norm distance between every row of `x1` [..., P, M] and every row of `x2` [..., R, M], as PyTorch's
 * `torch.cdist`: a result [..., P, R] over the broadcast batch axes. `p` is any number ≥ 0 or `Infinity`
 * (the largest difference). The distances are summed directly, as PyTorch's
 * `compute_mode='donot_use_mm_for_euclid_dist'` (PyTorch's default switches to a matmul form above 25
 * rows, which is faster and less accurate). The gradient is 0 where a distance is 0, as PyTorch's.
 *
 * @example
 * cdist(tensor([[0, 0], [1, 1]]), tensor([[3, 4]])).toArray(); // [[5], [3.605…]]
 * cdist(x, y, 1); // Manhattan distances
 */
export function cdist(x1: Tensor, x2: Tensor, p = 2): Tensor {
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
  const ae = expand(a, [...batch, P, M]);
  const be = expand(b, [...batch, R, M]);
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
