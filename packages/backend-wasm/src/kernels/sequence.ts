import type { Kernel } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import { inArenaOrOnCpu, runOnCpu } from '../cpu-fallback.js';
import { isFloat32 } from '../resident.js';
import { ROW_JOB_SLOTS, fillRowJob, runRowTasks, taskStride, type RowKernels, type RowRunner } from '../threads/row-tasks.js';

/** The shape of a recurrent sequence kernel's call: steps, batch rows, hidden size and direction (1 = reverse). */
export interface SequenceGeometry {
  T: number;
  N: number;
  H: number;
  reverse: number;
}

/** How one of the whole-sequence recurrent kernels (LSTM, GRU) sizes its result and runs its loops. */
export interface SequenceKernelSpec {
  /** The input whose first axis is the batch (h0). */
  stateInput: number;
  /** Floats of the flat result. */
  count(g: SequenceGeometry): number;
  /** Runs the wasm loops, reading the inputs at `ptrs` and writing the result at `out` (arena offsets). */
  run(ptrs: number[], out: number, g: SequenceGeometry): void;
}

/**
 * A whole-sequence recurrent kernel (attrs `steps`, `hidden`, `reverse`) as the cpu kernel of the same
 * name: float32 inputs copied into the arena (or read where resident), `spec.run`'s loops, the flat result
 * copied out; other dtypes run on cpu.
 */
export function makeSequenceKernel(name: string, spec: SequenceKernelSpec, arena: Arena): Kernel {
  return (inputs, attrs) => {
    if (!inputs.every(isFloat32)) return runOnCpu(name, inputs, attrs);
    const g: SequenceGeometry = {
      T: attrs.steps as number, N: inputs[spec.stateInput].shape[0], H: attrs.hidden as number, reverse: attrs.reverse ? 1 : 0,
    };
    const count = spec.count(g);
    return inArenaOrOnCpu(arena, name, inputs, attrs, () => {
      const ptrs = inputs.map((t) => arena.input(t));
      const out = arena.output(count);
      spec.run(ptrs, out, g);
      return arena.result(out, count, [count]);
    });
  };
}

/** The row runner of a backend without threads: the whole batch as one task on the calling thread. */
export function localRowRunner(kernels: RowKernels, arena: Arena, scratch: number): RowRunner {
  const next = new Int32Array(1);
  const job = new Int32Array(ROW_JOB_SLOTS);
  return (loop, ptrs, T, N, H, reverse, stride) => {
    const each = taskStride(stride(N));
    fillRowJob(job, loop, ptrs, T, N, H, reverse, 1, arena.alloc(each), each);
    next[0] = 0;
    runRowTasks(kernels, next, job, scratch);
  };
}
