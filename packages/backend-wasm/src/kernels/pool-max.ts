import type { Kernel, KernelInput, TensorData } from '@backprop/tensor';

/**
 * The maxima that the last `maxPool2dIndices` call found along with its argmax (assembly/pool.ts writes
 * both), kept for the value pick that follows it. @backprop/tensor's max pooling runs
 * `gatherPlanes(x, indices)` right after computing `indices` from `x`, passing `{ argmax: true }`: nothing
 * runs in between, so the gather of those very arrays is the maxima already found, bit for bit, and
 * copying x in and gathering again would redo the work (it took 3–5% of a LeNet-5 training step).
 */
export class ArgmaxValues {
  private x: unknown = null;
  private indices: unknown = null;
  private values: Float32Array | null = null;

  /** Keeps the maxima of the argmax `indices` of `x` (one slot: the previous call's are dropped). */
  remember(x: TensorData, indices: Int32Array, values: Float32Array): void {
    this.x = identity(x);
    this.indices = indices;
    this.values = values;
  }

  /** The kept maxima if `x` and `indices` are the arrays they came from (then forgotten), else null. */
  claim(x: TensorData, indices: TensorData): Float32Array | null {
    const values = this.values;
    const hit = values !== null && this.x === identity(x) && this.indices === indices.data;
    this.x = this.indices = this.values = null;
    return hit ? values : null;
  }
}

/**
 * What tells the argmax's input apart: its host array, or for a tensor in the heap (a compiled replay's
 * held intermediate) its storage, whose `.data` would be a fresh copy at every read.
 */
function identity(t: TensorData): unknown {
  const storage = (t as KernelInput).storage;
  return storage !== undefined && !storage.isHost ? storage : t.data;
}

/**
 * `gatherPlanes` on wasm: with `{ argmax: true }` (max pooling's value pick) and the arrays the last
 * argmax came from, the maxima it kept; otherwise `fallback` (the cpu loop over the heap).
 */
export function makeGatherPlanesKernel(kept: ArgmaxValues, fallback: Kernel): Kernel {
  return (inputs, attrs) => {
    const [x, indices] = inputs;
    const values = attrs.argmax === true && x.dtype === 'float32' ? kept.claim(x, indices) : null;
    if (values) return { data: values, shape: indices.shape, dtype: 'float32' };
    return fallback(inputs, attrs);
  };
}
