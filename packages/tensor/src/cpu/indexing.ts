import { registerCopyKernels } from './indexing-copy.js';
import { registerGatherKernels } from './indexing-gather.js';
import { registerWhereKernels } from './indexing-where.js';

/** Kernels of the indexing and joining ops; the ops above them validate shapes, dtypes and index ranges. */
export function registerIndexingKernels(): void {
  registerWhereKernels();
  registerCopyKernels();
  registerGatherKernels();
}
