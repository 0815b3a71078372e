import { runKernel } from '../backend.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, requireFloat } from './operand.js';

/**
 * `bias + op(a)·op(b)` in one kernel, as `torch.addmm`: a and b are 2-D (op transposes where `transA` /
 * `transB`), `bias` is `[N]` (added to every row) or `[M, N]`, all of one float dtype. The values equal
 * `add(matmul(a, b, transA, transB), bias)` bit for bit; a backend adds the bias where the product is
 * made (the wasm backend before the result leaves its memory). `linear` of @backprop/layers uses it.
 *
 * @example
 * addmm(zeros([4]), ones([2, 3]), ones([4, 3]), false, true).shape; // [2, 4]
 */
export function addmm(bias: Tensor, a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  const op = 'addmm';
  for (const t of [bias, a, b]) checkTensor(op, t);
  requireFloat(op, a);
  if (b.dtype !== a.dtype || bias.dtype !== a.dtype) {
    throw new DTypeError(op, `expected a, b and bias of one float dtype, got ${a.dtype}, ${b.dtype} and ${bias.dtype}`);
  }
  if (a.rank !== 2 || b.rank !== 2) throw new ShapeError(op, `expected 2-D a and b, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const [M, K] = transA ? [a.shape[1], a.shape[0]] : a.shape;
  const [Kb, N] = transB ? [b.shape[1], b.shape[0]] : b.shape;
  if (K !== Kb) {
    throw new ShapeError(op, `inner dimensions differ: ${fmtShape(a.shape)}${transA ? 'ᵀ' : ''} @ ${fmtShape(b.shape)}${transB ? 'ᵀ' : ''} multiplies ${K} columns by ${Kb} rows`);
  }
  const rowBias = bias.rank === 1 && bias.shape[0] === N;
  if (!rowBias && !(bias.rank === 2 && bias.shape[0] === M && bias.shape[1] === N)) {
    throw new ShapeError(op, `expected bias of shape [${N}] or [${M}, ${N}] for the [${M}, ${N}] product, got ${fmtShape(bias.shape)}`);
  }
  const attrs = { M, N, K, batch: 1, transA, transB, outShape: [M, N], dtype: a.dtype };
  return recordOp(op, [bias, a, b], { transA, transB }, wrap(runKernel(op, [bias, a, b], attrs)));
}
