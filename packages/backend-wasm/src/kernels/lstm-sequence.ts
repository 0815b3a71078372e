import type { Kernel } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import { inArenaOrOnCpu, runOnCpu } from '../cpu-fallback.js';
import { isFloat32 } from '../resident.js';
import type { GemmRunner } from './matmul.js';

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
 * the backend has threads). float64 runs on cpu.
 */
export function makeLstmSequenceKernel(
  name: (typeof LSTM_SEQUENCE_KERNELS)[number], wasm: LstmSequenceExports, gemm: GemmRunner, arena: Arena, scratch: Ptr,
): Kernel {
  const forward = name === 'lstmSequence';
  return (inputs, attrs) => {
    if (!inputs.every(isFloat32)) return runOnCpu(name, inputs, attrs);
    const T = attrs.steps as number;
    const H = attrs.hidden as number;
    const N = inputs[forward ? 1 : 2].shape[0];
    const n = N * H;
    const reverse = attrs.reverse ? 1 : 0;
    const count = forward ? 6 * T * n : 4 * T * n + 2 * n + 4 * H * H;
    return inArenaOrOnCpu(arena, name, inputs, attrs, () => {
      const ptrs = inputs.map((t) => arena.input(t));
      const out = arena.alloc(count);
      if (forward) {
        const gates = arena.alloc(4 * n);
        wasm.lstmSequenceForward(ptrs[0], ptrs[1], ptrs[2], ptrs[3], out, gates, T, N, H, reverse, scratch, 0, N);
      } else {
        const gh = arena.alloc(n);
        const hPrev = arena.alloc(T * n);
        wasm.lstmSequenceBackward(ptrs[0], ptrs[1], ptrs[2], ptrs[3], ptrs[4], out, gh, hPrev, T, N, H, reverse, scratch, 0, N);
        // grad W_hh [4H, H] = grad xwᵀ [4H, T·N] · the states the steps read [T·N, H].
        gemm(out, 1, 4 * H, hPrev, H, 1, out + (4 * T * n + 2 * n) * 4, 4 * H, H, T * N);
      }
      return { data: arena.take(out, count), shape: [count], dtype: 'float32' };
    });
  };
}
