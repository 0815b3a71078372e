import { runCpuKernel, type Kernel } from '@backprop/tensor';
import { residentBlock, type ResidentMemory } from '../resident.js';

/**
 * Kernels that only move values (slices, permutes, concatenation, gathers and their scatters, broadcasts,
 * max pooling's value pick) gain nothing from SIMD once their operands would have to be copied in and out
 * (bench/elementwise.mjs measured the pooling pick at 0.9–1.3× the cpu loop), so they run the cpu
 * backend's loop; so do the comparisons, `where` and `cast` that the losses use (masks of targets), which
 * have no wasm loop. Registered on wasm, they read a resident input where it lives in the heap instead of
 * having `runKernel` copy it out first.
 */
export const HEAP_READ_KERNELS = [
  'slice', 'permute', 'concat', 'gather', 'scatterAdd', 'expand', 'gatherPlanes', 'cast', 'eq', 'ne', 'where',
];

/** The cpu loop of `name` over views of the heap for resident inputs; the result is a host array. */
export function makeHeapReadKernel(name: string, memory: ResidentMemory): Kernel {
  return (inputs, attrs) => {
    if (!inputs.some((t) => residentBlock(t) !== null)) return runCpuKernel(name, inputs, attrs);
    const onHeap = inputs.map((t) => {
      const block = residentBlock(t);
      return block ? { data: memory.view(block), shape: t.shape, dtype: t.dtype } : t;
    });
    const out = runCpuKernel(name, onHeap, attrs);
    // A loop may hand its input back unchanged (a slice of everything): never return a view of the heap.
    return out.data.buffer === memory.buffer ? { ...out, data: out.data.slice() } : out;
  };
}
