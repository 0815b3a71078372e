import { Tensor, TensorError, concat, type TypedArray } from '@backprop/tensor';

export { Tensor };

export function allocLike(t: Tensor, size: number): TypedArray {
  const Ctor = t.dataSync().constructor as new (n: number) => TypedArray;
  return new Ctor(size);
}

/**
 * Hands the values of `tensors` to `use`: at once where they read synchronously (host arrays, a wasm heap),
 * else after one asynchronous read each (a GPU cannot be read synchronously), returning a promise.
 */
export function withValues<R>(tensors: readonly Tensor[], use: (values: TypedArray[]) => R): R | Promise<R> {
  const now = tensors.map(readNow);
  if (now.every((v) => v !== null)) return use(now as TypedArray[]);
  return Promise.all(tensors.map((t) => t.read())).then(use);
}

/** The values of `t` if they can be read synchronously (host arrays, a wasm heap), else null (a GPU). */
function readNow(t: Tensor): TypedArray | null {
  if (t.storage.isHost) return t.dataSync();
  try {
    return t.dataSync();
  } catch (e) {
    // The tensor package says which devices read synchronously only by trying.
    if (e instanceof TensorError) return null;
    throw e;
  }
}

/** Host copies of `state`'s tensors (new arrays, so later in-place updates do not reach them), read as `withValues` reads. */
export function hostCopies(state: Map<string, Tensor> | Record<string, Tensor>): Map<string, Tensor> | Promise<Map<string, Tensor>> {
  const entries = state instanceof Map ? [...state.entries()] : Object.entries(state);
  return withValues(
    entries.map(([, t]) => t),
    (values) => new Map(entries.map(([k, t], i) => [k, new Tensor(values[i].slice(), t.shape, t.dtype)])),
  );
}

/** Concatenates tensors along axis 0 (they share the trailing shape), where they live. */
export function concatRows(parts: Tensor[]): Tensor {
  return concat(parts, 0);
}
