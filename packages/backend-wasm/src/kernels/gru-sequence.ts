import type { Kernel } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import type { GemmRunner } from './matmul.js';
import { makeSequenceKernel } from './sequence.js';

type Ptr = number;

/** The whole-sequence GRU of assembly/gru-sequence.ts; pointers are byte offsets. */
export interface GruSequenceExports {
  gruSequenceForward(xw: Ptr, h0: Ptr, w: Ptr, bias: Ptr, out: Ptr, a: Ptr, T: number, N: number, H: number, reverse: number, scratch: Ptr, r0: number, r1: number): void;
  gruSequenceBackward(
    g: Ptr, y: Ptr, h0: Ptr, w: Ptr, out: Ptr, dA: Ptr, hPrev: Ptr, dh: Ptr, T: number, N: number, H: number, reverse: number, scratch: Ptr, r0: number, r1: number,
  ): void;
  columnSums(x: Ptr, rows: number, cols: number, out: Ptr): void;
}

/** The fused sequence kernels, registered on wasm so the GRU layer runs each direction as one op there. */
export const GRU_SEQUENCE_KERNELS = ['gruSequence', 'gruSequenceBackward'] as const;

/**
 * `gruSequence` ([xw, h0, W_hh, b_hh] → every step's h and saved gates, flat) and `gruSequenceBackward`
 * ([grad, that output, h0, W_hh] → grads of xw, h0, W_hh, b_hh, flat), as the cpu kernels, each one wasm
 * call over all the steps on one thread (`scratch` is its GEMM packing space); then the backward's one
 * large product, W_hh's gradient over all steps, through `gemm` (threaded where the backend has threads).
 */
export function makeGruSequenceKernel(
  name: (typeof GRU_SEQUENCE_KERNELS)[number], wasm: GruSequenceExports, gemm: GemmRunner, arena: Arena, scratch: Ptr,
): Kernel {
  if (name === 'gruSequence') {
    return makeSequenceKernel(name, {
      stateInput: 1,
      count: ({ T, N, H }) => 5 * T * N * H,
      run: ([xw, h0, w, bias], out, { T, N, H, reverse }) => {
        wasm.gruSequenceForward(xw, h0, w, bias, out, arena.alloc(3 * N * H), T, N, H, reverse, scratch, 0, N);
      },
    }, arena);
  }
  return makeSequenceKernel(name, {
    stateInput: 2,
    count: ({ T, N, H }) => 3 * T * N * H + N * H + 3 * H * H + 3 * H,
    run: ([g, y, h0, w], out, { T, N, H, reverse }) => {
      const n = N * H;
      const dA = arena.alloc(3 * T * n);
      const hPrev = arena.alloc(T * n);
      wasm.gruSequenceBackward(g, y, h0, w, out, dA, hPrev, arena.alloc(n), T, N, H, reverse, scratch, 0, N);
      const dW = out + (3 * T * n + n) * 4;
      // grad W_hh [3H, H] = grad aᵀ [3H, T·N] · the states the steps read [T·N, H]; grad b_hh its column sums.
      gemm(dA, 1, 3 * H, hPrev, H, 1, dW, 3 * H, H, T * N);
      wasm.columnSums(dA, T * N, 3 * H, dW + 3 * H * H * 4);
    },
  }, arena);
}
