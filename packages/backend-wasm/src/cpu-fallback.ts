import { getBackend, runKernel, setBackend, type KernelAttrs, type TensorData } from '@backprop/tensor';

/**
 * Runs `kernelName` on the `cpu` backend. The registry has no call for "the cpu kernel of this name", so
 * the active backend is switched to `cpu` for the one call and restored afterwards, even on a throw.
 * Used for what the wasm kernels do not handle (float64 and integer dtypes, broadcasts that do not
 * reduce to rows × columns) and when the wasm memory cannot grow for a call.
 */
export function runOnCpu(kernelName: string, inputs: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const previous = getBackend();
  setBackend('cpu');
  try {
    return runKernel(kernelName, inputs, attrs);
  } finally {
    setBackend(previous);
  }
}

/** True for the RangeError WebAssembly.Memory.grow throws when the memory cannot grow that far. */
export function isOutOfMemory(err: unknown): boolean {
  return err instanceof RangeError;
}
