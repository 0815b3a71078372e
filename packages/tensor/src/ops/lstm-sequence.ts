import { runKernel } from '../backend.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import type { Tensor } from '../tensor.js';
import { narrow } from './indexing-slice.js';
import { checkTensor, requireFloat } from './operand.js';
import { reshape } from './shape-ops.js';

/** Options of `lstmSequence`. */
export interface LstmSequenceOptions {
  /** Step from the last time step to the first (the reverse direction of a bidirectional LSTM); default false. */
  reverse?: boolean;
}

/**
 * A whole LSTM layer's recurrence in one kernel (as cuDNN's and oneDNN's fused RNN primitives): from the
 * input projections of every step `xw` `[T, N, 4H]` (x_t·W_ihᵀ with both biases added, gate order i, f, g,
 * o), the initial state `h0`, `c0` `[N, H]` and `W_hh` `[4H, H]`, each step computes
 *
 *     gates = xw_t + h_{t−1}·W_hhᵀ,   c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g),   h_t = σ(o) ⊙ tanh(c_t)
 *
 * Returns `[output, hN, cN]`: every step's h `[T, N, H]` and the state after the last step taken. The
 * backward pass is one kernel too: it runs back through time and gives W_hh's gradient as one product over
 * all steps. When the backward pass is recorded (createGraph) it is composed of differentiable ops, so
 * higher-order gradients work. The LSTM layer of @backprop/layers uses it where the backend has the kernel.
 *
 * @example
 * const [out, h, c] = lstmSequence(randn([5, 2, 12]), zeros([2, 3]), zeros([2, 3]), randn([12, 3]));
 * // out [5, 2, 3], h and c [2, 3]
 */
export function lstmSequence(xw: Tensor, h0: Tensor, c0: Tensor, weightHh: Tensor, options: LstmSequenceOptions = {}): [Tensor, Tensor, Tensor] {
  const op = 'lstmSequence';
  const inputs = [xw, h0, c0, weightHh];
  for (const t of inputs) checkTensor(op, t);
  requireFloat(op, xw);
  const names = ['h0', 'c0', 'weightHh'];
  inputs.slice(1).forEach((t, i) => {
    if (t.dtype !== xw.dtype) throw new DTypeError(op, `expected ${names[i]} of xw's dtype ${xw.dtype}, got ${t.dtype}`);
  });
  if (xw.rank !== 3 || xw.shape[2] % 4 !== 0 || xw.shape[0] === 0) {
    throw new ShapeError(op, `expected xw of shape [T ≥ 1, N, 4·H], got ${fmtShape(xw.shape)}`);
  }
  const [T, N, G] = xw.shape;
  const H = G / 4;
  for (const [name, t, shape] of [['h0', h0, [N, H]], ['c0', c0, [N, H]], ['weightHh', weightHh, [G, H]]] as const) {
    if (t.rank !== 2 || t.shape[0] !== shape[0] || t.shape[1] !== shape[1]) {
      throw new ShapeError(op, `expected ${name} of shape ${fmtShape(shape)} for xw ${fmtShape(xw.shape)}, got ${fmtShape(t.shape)}`);
    }
  }
  const reverse = options.reverse ?? false;
  if (typeof reverse !== 'boolean') throw new ValueError(op, `expected reverse to be a boolean, got ${String(reverse)}`);
  // One flat output: every step's h [T·N·H], every step's c [T·N·H], every step's activated gates [T·N·4H].
  const attrs = { steps: T, hidden: H, reverse };
  const packed = recordOp(op, inputs, attrs, wrap(runKernel(op, inputs, attrs)));
  const n = N * H;
  const last = reverse ? 0 : T - 1;
  return [
    reshape(narrow(packed, 0, 0, T * n), [T, N, H]),
    reshape(narrow(packed, 0, last * n, n), [N, H]),
    reshape(narrow(packed, 0, (T + last) * n, n), [N, H]),
  ];
}
