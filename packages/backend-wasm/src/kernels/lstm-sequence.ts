import type { Kernel } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import { ROW_LOOPS, type RowRunner } from '../threads/row-tasks.js';
import type { GemmRunner } from './matmul.js';
import { makeSequenceKernel } from './sequence.js';

/** What the LSTM sequence kernels ask the module besides their row loops (assembly/lstm-sequence.ts). */
export interface LstmSequenceExports {
  /** Floats of a task's scratch: W_hh packed, then `perRow` floats for each of `rows` rows. */
  lstmScratchFloats(H: number, rows: number, perRow: number): number;
}

/** The fused sequence kernels, registered on wasm so the LSTM layer runs each direction as one op there. */
export const LSTM_SEQUENCE_KERNELS = ['lstmSequence', 'lstmSequenceBackward'] as const;

/**
 * `lstmSequence` ([xw, h0, c0, W_hh] → every step's h, c and activated gates, flat) and
 * `lstmSequenceBackward` ([grad of the states, the states, the gates, h0, c0, W_hh] → grads of xw, h0, c0,
 * W_hh, flat), as the cpu
 * kernels: the wasm loops over all the steps, split by batch rows over the threads (`rows`), then the
 * backward's one large product, W_hh's gradient over all steps, through `gemm` (threaded too).
 */
export function makeLstmSequenceKernel(
  name: (typeof LSTM_SEQUENCE_KERNELS)[number], wasm: LstmSequenceExports, rows: RowRunner, gemm: GemmRunner, arena: Arena,
): Kernel {
  if (name === 'lstmSequence') {
    return makeSequenceKernel(name, {
      stateInput: 1,
      count: ({ T, N, H }) => 6 * T * N * H,
      run: ([xw, h0, c0, w], out, { T, N, H, reverse }) => rows(ROW_LOOPS.lstmForward, [xw, h0, c0, w, out], T, N, H, reverse, (r) => wasm.lstmScratchFloats(H, r, 4 * H)),
    }, arena);
  }
  return makeSequenceKernel(name, {
    stateInput: 3,
    count: ({ T, N, H }) => 4 * T * N * H + 2 * N * H + 4 * H * H,
    run: ([g, y, acts, h0, c0, w], out, { T, N, H, reverse }) => {
      const n = N * H;
      const hPrev = arena.alloc(T * n);
      rows(ROW_LOOPS.lstmBackward, [g, y, acts, h0, c0, w, out, hPrev], T, N, H, reverse, (r) => wasm.lstmScratchFloats(H, r, H));
      // grad W_hh [4H, H] = grad xwᵀ [4H, T·N] · the states the steps read [T·N, H].
      gemm(out, 1, 4 * H, hPrev, H, 1, out + (4 * T * n + 2 * n) * 4, 4 * H, H, T * N);
    },
  }, arena);
}
