import type { DeviceTensorData, TensorData } from './backend.js';
import { allocData, type DType } from './dtype.js';
import { Tensor } from './tensor.js';

/** Wraps a kernel's result as a tensor (a no-op when the kernel already returned one). */
export function wrap(result: TensorData | DeviceTensorData): Tensor {
  if (result instanceof Tensor) return result;
  return new Tensor('storage' in result ? result.storage : result.data, result.shape, result.dtype);
}

/** A 0-d tensor holding `value`. */
export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  const data = allocData(dtype, 1);
  data[0] = dtype === 'bool' ? (value ? 1 : 0) : value;
  return new Tensor(data, [], dtype);
}
