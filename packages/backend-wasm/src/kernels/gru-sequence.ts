import type { Kernel } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import { ROW_LOOPS, type RowRunner } from '../threads/row-tasks.js';
import type { GemmRunner } from './matmul.js';
import { makeSequenceKernel } from './sequence.js';

/** What the GRU sequence kernels ask the module besides their row loops (assembly/gru-sequence.ts). */
export interface GruSequenceExports {
  /** Floats of a task's scratch: W_hh packed, then `perRow` floats for each of `rows` rows. */
  gruScratchFloats(H: number, rows: number, perRow: number): number;
  /** out[c] = Σ_r x[r, c]: b_hh's gradient, the column sums of grad a. */
  columnSums(x: number, rows: number, cols: number, out: number): void;
}

/** The fused sequence kernels, registered on wasm so the GRU layer runs each direction as one op there. */
export const GRU_SEQUENCE_KERNELS = ['gruSequence', 'gruSequenceBackward'] as const;

/**
 * `gruSequence` ([xw, h0, W_hh, b_hh] → every step's h and saved gates, flat) and `gruSequenceBackward`
 * ([grad of the states, the states, the saved gates, h0, W_hh] → grads of xw, h0, W_hh, b_hh, flat), as
 * the cpu kernels: the wasm loops
 * over all the steps, split by batch rows over the threads (`rows`), then the backward's one large
 * product, W_hh's gradient over all steps, through `gemm` (threaded too).
 */
export function makeGruSequenceKernel(
  name: (typeof GRU_SEQUENCE_KERNELS)[number], wasm: GruSequenceExports, rows: RowRunner, gemm: GemmRunner, arena: Arena,
): Kernel {
  if (name === 'gruSequence') {
    return makeSequenceKernel(name, {
      stateInput: 1,
      count: ({ T, N, H }) => 5 * T * N * H,
      run: ([xw, h0, w, bias], out, { T, N, H, reverse }) => rows(ROW_LOOPS.gruForward, [xw, h0, w, bias, out], T, N, H, reverse, (r) => wasm.gruScratchFloats(H, r, 3 * H)),
    }, arena);
  }
  return makeSequenceKernel(name, {
    stateInput: 3,
    count: ({ T, N, H }) => 3 * T * N * H + N * H + 3 * H * H + 3 * H,
    run: ([g, y, saved, h0, w], out, { T, N, H, reverse }) => {
      const n = N * H;
      const dA = arena.alloc(3 * T * n);
      const hPrev = arena.alloc(T * n);
      rows(ROW_LOOPS.gruBackward, [g, y, saved, h0, w, out, dA, hPrev], T, N, H, reverse, (r) => wasm.gruScratchFloats(H, r, H));
      const dW = out + (3 * T * n + n) * 4;
      // grad W_hh [3H, H] = grad aᵀ [3H, T·N] · the states the steps read [T·N, H]; grad b_hh its column sums.
      gemm(dA, 1, 3 * H, hPrev, H, 1, dW, 3 * H, H, T * N);
      wasm.columnSums(dA, T * N, 3 * H, dW + 3 * H * H * 4);
    },
  }, arena);
}
