import { runKernel } from '../backend.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import type { Tensor } from '../tensor.js';
import { narrow } from './indexing-slice.js';
import { checkTensor, requireFloat } from './operand.js';
import { reshape } from './shape-ops.js';

/**
 * One LSTM time step's pointwise part, fused into one kernel (PyTorch's `_thnn_fused_lstm_cell` without
 * biases): from the pre-activation gates `[N, 4H]` (x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh, gate order i, f, g, o)
 * and the previous cell `[N, H]`,
 *
 *     c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g),   h' = σ(o) ⊙ tanh(c')
 *
 * Returns `[h', c']`. The values equal the composed ops' (sigmoid, tanh, mul, add) bit for bit on cpu. Its
 * gradient is one backward kernel; when the backward pass is recorded (createGraph) the gradient is composed
 * of differentiable ops instead, so higher-order gradients work.
 *
 * @example
 * const [h, c] = lstmCell(randn([2, 12]), zeros([2, 3])); // h and c [2, 3]
 */
export function lstmCell(gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const op = 'lstmCell';
  checkTensor(op, gates);
  checkTensor(op, c);
  requireFloat(op, gates);
  if (c.dtype !== gates.dtype) throw new DTypeError(op, `expected c of the gates' dtype ${gates.dtype}, got ${c.dtype}`);
  if (gates.rank !== 2 || gates.shape[1] % 4 !== 0) {
    throw new ShapeError(op, `expected gates of shape [N, 4·H], got ${fmtShape(gates.shape)}`);
  }
  const [N, G] = gates.shape;
  const H = G / 4;
  if (c.rank !== 2 || c.shape[0] !== N || c.shape[1] !== H) {
    throw new ShapeError(op, `expected c of shape [${N}, ${H}] for gates ${fmtShape(gates.shape)}, got ${fmtShape(c.shape)}`);
  }
  // One flat output: h' [N·H], c' [N·H], then the activated gates [N, 4H] the gradient reads.
  const packed = recordOp(op, [gates, c], { hidden: H }, wrap(runKernel(op, [gates, c], { hidden: H })));
  const n = N * H;
  return [reshape(narrow(packed, 0, 0, n), [N, H]), reshape(narrow(packed, 0, n, n), [N, H])];
}
