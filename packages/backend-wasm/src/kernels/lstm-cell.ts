import type { Kernel } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import { inArenaOrOnCpu, runOnCpu } from '../cpu-fallback.js';
import { isFloat32 } from '../resident.js';

type Ptr = number;

/** The fused LSTM cell loops of assembly/lstm-cell.ts; pointers are byte offsets. */
export interface LstmCellExports {
  lstmCellForward(x: Ptr, c: Ptr, out: Ptr, N: number, H: number): void;
  lstmCellBackward(g: Ptr, y: Ptr, c: Ptr, out: Ptr, N: number, H: number): void;
}

/** The fused LSTM cell kernels, registered on wasm so the LSTM layer takes its fused step there. */
export const LSTM_CELL_KERNELS = ['lstmCell', 'lstmCellBackward'] as const;

/**
 * `lstmCell` ([gates, c] → [h' | c' | activated gates], flat) and `lstmCellBackward` ([grad, that output,
 * c] → [grad gates | grad c], flat) in one SIMD pass each, as the cpu kernels; float64 runs on cpu. The
 * float32 values are those of the wasm sigmoid/tanh/mul/add kernels the composed step would run.
 */
export function makeLstmCellKernel(name: (typeof LSTM_CELL_KERNELS)[number], wasm: LstmCellExports, arena: Arena): Kernel {
  const forward = name === 'lstmCell';
  return (inputs, attrs) => {
    if (!inputs.every(isFloat32)) return runOnCpu(name, inputs, attrs);
    const c = inputs[inputs.length - 1];
    const N = c.shape[0];
    const H = attrs.hidden as number;
    const count = (forward ? 6 : 5) * N * H;
    return inArenaOrOnCpu(arena, name, inputs, attrs, () => {
      const ptrs = inputs.map((t) => arena.input(t));
      const out = arena.output(count);
      if (forward) wasm.lstmCellForward(ptrs[0], ptrs[1], out, N, H);
      else wasm.lstmCellBackward(ptrs[0], ptrs[1], ptrs[2], out, N, H);
      return arena.result(out, count, [count]);
    });
  };
}
