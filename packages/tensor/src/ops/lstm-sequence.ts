import { runKernel } from '../backend.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import type { Tensor } from '../tensor.js';
import { narrow } from './indexing-slice.js';
import { checkSequenceInputs } from './sequence-checks.js';
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
  const reverse = options.reverse ?? false;
  const { T, N, H } = checkSequenceInputs(op, xw, 4, [
    ['h0', h0, (n, h) => [n, h]], ['c0', c0, (n, h) => [n, h]], ['weightHh', weightHh, (_, h) => [4 * h, h]],
  ], reverse);
  const inputs = [xw, h0, c0, weightHh];
  // The kernel's flat result: every step's h [T·N·H], every step's c [T·N·H], every step's activated gates
  // [T·N·4H]. The op's output is the states alone; the gates go to the gradient through its attrs, so a
  // backward pass neither zero-fills nor copies a gradient for them.
  const attrs = { steps: T, hidden: H, reverse };
  const all = wrap(runKernel(op, inputs, attrs));
  const n = N * H;
  const packed = recordOp(op, inputs, { ...attrs, gates: narrow(all, 0, 2 * T * n, 4 * T * n) }, narrow(all, 0, 0, 2 * T * n));
  const last = reverse ? 0 : T - 1;
  return [
    reshape(narrow(packed, 0, 0, T * n), [T, N, H]),
    reshape(narrow(packed, 0, last * n, n), [N, H]),
    reshape(narrow(packed, 0, (T + last) * n, n), [N, H]),
  ];
}
