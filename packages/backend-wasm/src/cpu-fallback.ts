import { runCpuKernel, type KernelAttrs, type TensorData } from '@backprop/tensor';
import type { Arena } from './arena.js';
import { residentBlock } from './resident.js';

/**
 * Runs `kernelName` on the `cpu` backend. Used for what the wasm kernels do not handle (float64 and integer dtypes, broadcasts that do not
 * reduce to rows × columns) and when the wasm memory cannot grow for a call.
 */
export function runOnCpu(kernelName: string, inputs: readonly TensorData[], attrs: KernelAttrs): TensorData {
  // A resident input is read back once here: the cpu kernel may read `.data` more than once, and on a
  // resident tensor each read is a copy. (In-place kernels never send resident targets here.)
  let host = inputs;
  if (inputs.some((t) => residentBlock(t) !== null)) {
    host = inputs.map((t) => (residentBlock(t) ? { data: t.data, shape: t.shape, dtype: t.dtype } : t));
  }
  return runCpuKernel(kernelName, host, attrs);
}

/** True for the RangeError WebAssembly.Memory.grow throws when the memory cannot grow that far. */
function isOutOfMemory(err: unknown): boolean {
  return err instanceof RangeError;
}

/**
 * Runs `compute` on an emptied arena; when the wasm memory cannot grow as far as the call needs, runs the
 * cpu kernel of the same name on the same inputs instead. Every wasm kernel's body goes through here.
 */
export function inArenaOrOnCpu(
  arena: Arena, kernelName: string, inputs: readonly TensorData[], attrs: KernelAttrs, compute: () => TensorData,
): TensorData {
  try {
    arena.reset();
    return compute();
  } catch (err) {
    if (isOutOfMemory(err)) return runOnCpu(kernelName, inputs, attrs);
    throw err;
  }
}
