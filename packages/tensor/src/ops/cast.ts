import { runKernel } from '../backend.js';
import { DTYPES, type DType } from '../dtype.js';
import { ValueError } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import type { Tensor } from '../tensor.js';

/**
 * Converts to `dtype` (returns `x` itself when it already has it). Float to int truncates toward zero.
 *
 * @example
 * cast(tensor([1.7, -1.7]), 'int32').toArray(); // [1, -1]
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (!DTYPES.includes(dtype)) throw new ValueError('cast', `unknown dtype '${dtype}', expected one of ${DTYPES.join(', ')}`);
  if (x.dtype === dtype) return x;
  return recordOp('cast', [x], { dtype }, wrap(runKernel('cast', [x], { dtype })));
}
