import type { Kernel } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import type { GemmRunner } from './matmul.js';
import { makeSequenceKernel } from './sequence.js';

type Ptr = number;

/** The whole-sequence LSTM of assembly/lstm-sequence.ts; pointers are byte offsets. */
export interface LstmSequenceExports {
  lstmSequenceForward(xw: Ptr, h0: Ptr, c0: Ptr, w: Ptr, out: Ptr, gates: Ptr, T: number, N: number, H: number, reverse: number, scratch: Ptr, r0: number, r1: number): void;
  lstmSequenceBackward(
    g: Ptr, y: Ptr, h0: Ptr, c0: Ptr, w: Ptr, out: Ptr, gh: Ptr, hPrev: Ptr, T: number, N: number, H: number, reverse: number, scratch: Ptr, r0: number, r1: number,
  ): void;
}

/** The fused sequence kernels, registered on wasm so the LSTM layer runs each direction as one op there. */
export const LSTM_SEQUENCE_KERNELS = ['lstmSequence', 'lstmSequenceBackward'] as const;

/**
 * `lstmSequence` ([xw, h0, c0, W_hh] → every step's h, c and activated gates, flat) and
 * `lstmSequenceBackward` ([grad, that output, h0, c0, W_hh] → grads of xw, h0, c0, W_hh, flat), as the cpu
 * kernels, each one wasm call over all the steps on one thread (`scratch` is its GEMM packing space);
 * then the backward's one large product, W_hh's gradient over all steps, through `gemm` (threaded where
 * the backend has threads).
 */
export function makeLstmSequenceKernel(
  name: (typeof LSTM_SEQUENCE_KERNELS)[number], wasm: LstmSequenceExports, gemm: GemmRunner, arena: Arena, scratch: Ptr,
): Kernel {
  if (name === 'lstmSequence') {
    return makeSequenceKernel(name, {
      stateInput: 1,
      count: ({ T, N, H }) => 6 * T * N * H,
      run: ([xw, h0, c0, w], out, { T, N, H, reverse }) => {
        wasm.lstmSequenceForward(xw, h0, c0, w, out, arena.alloc(4 * N * H), T, N, H, reverse, scratch, 0, N);
      },
    }, arena);
  }
  return makeSequenceKernel(name, {
    stateInput: 2,
    count: ({ T, N, H }) => 4 * T * N * H + 2 * N * H + 4 * H * H,
    run: ([g, y, h0, c0, w], out, { T, N, H, reverse }) => {
      const n = N * H;
      const hPrev = arena.alloc(T * n);
      wasm.lstmSequenceBackward(g, y, h0, c0, w, out, arena.alloc(n), hPrev, T, N, H, reverse, scratch, 0, N);
      // grad W_hh [4H, H] = grad xwᵀ [4H, T·N] · the states the steps read [T·N, H].
      gemm(out, 1, 4 * H, hPrev, H, 1, out + (4 * T * n + 2 * n) * 4, 4 * H, H, T * N);
    },
  }, arena);
}
