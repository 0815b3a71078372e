import { runKernel } from '../backend.js';
import { arithmeticType, promoteTypes } from '../dtype.js';
import { ShapeError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import { broadcastShapes, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { checkTensor } from './operand.js';
import { expand, reshape } from './shape-ops.js';

/**
 * Matrix product with PyTorch's rules: 1-D operands are promoted to a row/column and the added axis is
 * dropped again; leading (batch) axes broadcast. `transA`/`transB` multiply by the transpose of the
 * last two axes without materializing it (autograd's backward uses them).
 *
 * @example matmul(ones([2, 3]), ones([3, 4])).shape; // [2, 4]
 */
export function matmul(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  checkTensor('matmul', a);
  checkTensor('matmul', b);
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError('matmul', `both operands need at least 1 dimension, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  const dtype = arithmeticType(promoteTypes(a.dtype, b.dtype));
  let A = cast(a, dtype);
  let B = cast(b, dtype);
  const aVec = A.rank === 1;
  const bVec = B.rank === 1;
  if (aVec) A = reshape(A, transA ? [A.size, 1] : [1, A.size]);
  if (bVec) B = reshape(B, transB ? [1, B.size] : [B.size, 1]);
  const [aRows, aCols] = A.shape.slice(-2);
  const [bRows, bCols] = B.shape.slice(-2);
  const M = transA ? aCols : aRows;
  const K = transA ? aRows : aCols;
  const Kb = transB ? bCols : bRows;
  const N = transB ? bRows : bCols;
  if (K !== Kb) {
    throw new ShapeError(
      'matmul',
      `inner dimensions differ: ${fmtShape(a.shape)}${transA ? 'ᵀ' : ''} @ ${fmtShape(b.shape)}${transB ? 'ᵀ' : ''} multiplies ${K} columns by ${Kb} rows`,
    );
  }
  const batchShape = broadcastShapes('matmul', A.shape.slice(0, -2), B.shape.slice(0, -2));
  const batch = sizeOf(batchShape);
  // A side whose batch axes are all broadcast is passed once and shared; otherwise it is materialized.
  const fit = (t: Tensor): Tensor => {
    const own = sizeOf(t.shape.slice(0, -2));
    if (own === batch || own === 1) return t;
    return expand(t, [...batchShape, ...t.shape.slice(-2)]);
  };
  A = fit(A);
  B = fit(B);
  let outShape = [...batchShape, M, N];
  const attrs = { M, N, K, batch, transA, transB, outShape, dtype };
  let out = recordOp('matmul', [A, B], { transA, transB }, wrap(runKernel('matmul', [A, B], attrs)));
  if (aVec || bVec) {
    outShape = [...batchShape, ...(aVec ? [] : [M]), ...(bVec ? [] : [N])];
    out = reshape(out, outShape);
  }
  return out;
}
