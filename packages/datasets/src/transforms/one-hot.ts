import { Tensor, ValueError, type DType } from '@backprop/tensor';
import { allocFor } from '../rows.js';

/**
 * One-hot encodes integer class labels: shape [...labels.shape, numClasses], 1 at each label's class and 0
 * elsewhere, float32 by default (what cross-entropy and MSE losses take). `numClasses` defaults to the
 * largest label + 1.
 *
 * @example
 * oneHot(tensor([0, 2], 'int32'), 3).toArray(); // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(labels: Tensor | ArrayLike<number>, numClasses?: number, options: { dtype?: DType } = {}): Tensor {
  const values = (labels instanceof Tensor ? labels.dataSync() : labels) as ArrayLike<number>;
  const shape = labels instanceof Tensor ? labels.shape : [values.length];
  let max = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0) throw new ValueError('oneHot', `label ${v} at index ${i} is not a non-negative integer`);
    max = Math.max(max, v);
  }
  const c = numClasses ?? max + 1;
  if (!Number.isInteger(c) || c < 1) throw new ValueError('oneHot', `numClasses must be a positive integer, got ${c}`);
  if (max >= c) throw new ValueError('oneHot', `label ${max} does not fit numClasses ${c} (labels must be in 0..${c - 1})`);
  const dtype = options.dtype ?? 'float32';
  const out = allocFor(dtype, values.length * c);
  for (let i = 0; i < values.length; i++) out[i * c + values[i]] = 1;
  return new Tensor(out, [...shape, c], dtype);
}
