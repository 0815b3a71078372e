import { Tensor, allocLike } from './tensor-utils.js';
import { TrainingError } from './errors.js';
import type { ArrayData } from './types.js';

/**
 * Copies rows `indices[start..end)` of `t` (rows along axis 0) into a new tensor: on the host for a host
 * tensor (a batch that the model's first kernel uploads), by `indexSelect` where a device tensor lives.
 *
 * @example
 * takeRows(tensor([[1, 2], [3, 4], [5, 6]]), [2, 0, 1], 0, 2).toArray(); // [[5, 6], [1, 2]]
 */
export function takeRows(t: Tensor, indices: ArrayLike<number>, start: number, end: number): Tensor {
  const rowSize = t.shape.length === 0 ? 1 : t.size / t.shape[0];
  const n = end - start;
  if (!t.storage.isHost) return t.indexSelect(0, new Tensor(Int32Array.from({ length: n }, (_, i) => indices[start + i]), [n], 'int32'));
  const out = allocLike(t, n * rowSize);
  const src = t.dataSync();
  for (let i = 0; i < n; i++) {
    const r = indices[start + i];
    if (rowSize === 1) out[i] = src[r];
    else out.set(src.subarray(r * rowSize, (r + 1) * rowSize) as never, i * rowSize);
  }
  return new Tensor(out, [n, ...t.shape.slice(1)], t.dtype);
}

export function checkArrayData(where: string, data: ArrayData): number {
  if (!(data?.x instanceof Tensor) || !(data?.y instanceof Tensor)) {
    throw new TrainingError(`${where}: expected { x: Tensor, y: Tensor }`);
  }
  if (data.x.rank === 0 || data.y.rank === 0) throw new TrainingError(`${where}: x and y need a sample axis (rank ≥ 1)`);
  if (data.x.shape[0] !== data.y.shape[0]) {
    throw new TrainingError(
      `${where}: x has ${data.x.shape[0]} samples (shape [${data.x.shape.join(', ')}]) but y has ${data.y.shape[0]} (shape [${data.y.shape.join(', ')}])`,
    );
  }
  return data.x.shape[0];
}

/** Splits off the last `fraction` of samples (before any shuffling), as Keras' `validationSplit`. */
export function splitTail(data: ArrayData, fraction: number): { train: ArrayData; validation: ArrayData } {
  if (!(fraction > 0 && fraction < 1)) throw new TrainingError(`validationSplit must be in (0, 1), got ${fraction}`);
  const n = data.x.shape[0];
  const nVal = Math.max(1, Math.round(n * fraction));
  const all = Array.from({ length: n }, (_, i) => i);
  return {
    train: { x: takeRows(data.x, all, 0, n - nVal), y: takeRows(data.y, all, 0, n - nVal) },
    validation: { x: takeRows(data.x, all, n - nVal, n), y: takeRows(data.y, all, n - nVal, n) },
  };
}
