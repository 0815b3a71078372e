import { runKernel } from '../backend.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import type { Tensor } from '../tensor.js';
import { narrow } from './indexing-slice.js';
import { checkSequenceInputs } from './sequence-checks.js';
import { reshape } from './shape-ops.js';

/** Options of `gruSequence`. */
export interface GruSequenceOptions {
  /** Step from the last time step to the first (the reverse direction of a bidirectional GRU); default false. */
  reverse?: boolean;
}

/**
 * A whole GRU layer's recurrence in one kernel, as PyTorch's `nn.GRU` computes it: from the input
 * projections of every step `xw` `[T, N, 3H]` (x_t·W_ihᵀ + b_ih, gate order r, z, n), the initial state
 * `h0` `[N, H]`, `W_hh` `[3H, H]` and `b_hh` `[3H]`, each step computes a = h_{t−1}·W_hhᵀ + b_hh and
 *
 *     r = σ(xw_r + a_r),   z = σ(xw_z + a_z),   n = tanh(xw_n + r ⊙ a_n),   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 *
 * Returns `[output, hN]`: every step's h `[T, N, H]` and the state after the last step taken. The
 * backward pass is one kernel that runs back through time and gives W_hh's gradient as one product over
 * all steps; when it is recorded (createGraph) it is composed of differentiable ops, so higher-order
 * gradients work. The GRU layer of @backprop/layers uses it where the backend has the kernel.
 *
 * @example
 * const [out, h] = gruSequence(randn([5, 2, 9]), zeros([2, 3]), randn([9, 3]), zeros([9])); // out [5, 2, 3], h [2, 3]
 */
export function gruSequence(xw: Tensor, h0: Tensor, weightHh: Tensor, biasHh: Tensor, options: GruSequenceOptions = {}): [Tensor, Tensor] {
  const op = 'gruSequence';
  const reverse = options.reverse ?? false;
  const { T, N, H } = checkSequenceInputs(op, xw, 3, [
    ['h0', h0, (n, h) => [n, h]], ['weightHh', weightHh, (_, h) => [3 * h, h]], ['biasHh', biasHh, (_, h) => [3 * h]],
  ], reverse);
  const inputs = [xw, h0, weightHh, biasHh];
  // The kernel's flat result: every step's h [T·N·H], then what the gradient reads, per step and row r, z,
  // n and a_n [T·N·4H]. The op's output is the states alone; the gates go to the gradient through its
  // attrs, so a backward pass neither zero-fills nor copies a gradient for them.
  const attrs = { steps: T, hidden: H, reverse };
  const all = wrap(runKernel(op, inputs, attrs));
  const n = N * H;
  const packed = recordOp(op, inputs, { ...attrs, gates: narrow(all, 0, T * n, 4 * T * n) }, narrow(all, 0, 0, T * n));
  const last = reverse ? 0 : T - 1;
  return [reshape(narrow(packed, 0, 0, T * n), [T, N, H]), reshape(narrow(packed, 0, last * n, n), [N, H])];
}
