import type { Kernel } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import { inArenaOrOnCpu, runOnCpu } from '../cpu-fallback.js';
import { isFloat32 } from '../resident.js';
import type { GemmRunner } from './matmul.js';

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
 * float64 runs on cpu.
 */
export function makeGruSequenceKernel(
  name: (typeof GRU_SEQUENCE_KERNELS)[number], wasm: GruSequenceExports, gemm: GemmRunner, arena: Arena, scratch: Ptr,
): Kernel {
  const forward = name === 'gruSequence';
  return (inputs, attrs) => {
    if (!inputs.every(isFloat32)) return runOnCpu(name, inputs, attrs);
    const T = attrs.steps as number;
    const H = attrs.hidden as number;
    const N = inputs[forward ? 1 : 2].shape[0];
    const n = N * H;
    const reverse = attrs.reverse ? 1 : 0;
    const count = forward ? 5 * T * n : 3 * T * n + n + 3 * H * H + 3 * H;
    return inArenaOrOnCpu(arena, name, inputs, attrs, () => {
      const ptrs = inputs.map((t) => arena.input(t));
      const out = arena.alloc(count);
      if (forward) {
        const a = arena.alloc(3 * n);
        wasm.gruSequenceForward(ptrs[0], ptrs[1], ptrs[2], ptrs[3], out, a, T, N, H, reverse, scratch, 0, N);
      } else {
        const dA = arena.alloc(3 * T * n);
        const hPrev = arena.alloc(T * n);
        const dh = arena.alloc(n);
        wasm.gruSequenceBackward(ptrs[0], ptrs[1], ptrs[2], ptrs[3], out, dA, hPrev, dh, T, N, H, reverse, scratch, 0, N);
        const dW = out + (3 * T * n + n) * 4;
        // grad W_hh [3H, H] = grad aᵀ [3H, T·N] · the states the steps read [T·N, H]; grad b_hh its column sums.
        gemm(dA, 1, 3 * H, hPrev, H, 1, dW, 3 * H, H, T * N);
        wasm.columnSums(dA, T * N, 3 * H, dW + 3 * H * H * 4);
      }
      return { data: arena.take(out, count), shape: [count], dtype: 'float32' };
    });
  };
}
