import { runCpuKernel, type KernelAttrs, type TensorData } from '@backprop/tensor';
import type { Arena } from './arena.js';

/**
 * Runs `kernelName` on the `cpu` backend. Used for what the wasm kernels do not handle (float64 and integer dtypes, broadcasts that do not
 * reduce to rows × columns) and when the wasm memory cannot grow for a call.
 */
export function runOnCpu(kernelName: string, inputs: readonly TensorData[], attrs: KernelAttrs): TensorData {
  return runCpuKernel(kernelName, inputs, attrs);
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
