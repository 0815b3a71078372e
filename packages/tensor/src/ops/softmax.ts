import { runKernel } from '../backend.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { checkTensor } from './operand.js';
import { floatType } from '../dtype.js';

function softmaxLike(op: 'softmax' | 'logSoftmax', x: Tensor, axis: number): Tensor {
  checkTensor(op, x);
  const ax = normalizeAxis(op, axis, x.rank);
  const input = cast(x, floatType(x.dtype));
  return recordOp(op, [input], { axis: ax }, wrap(runKernel(op, [input], { axis: ax })));
}

/**
 * exp(x) / Σ exp(x) along `axis`, shifted by the max so that large logits do not overflow.
 * @example softmax(tensor([1000, 1000])).toArray(); // [0.5, 0.5]
 */
export const softmax = (x: Tensor, axis = -1): Tensor => softmaxLike('softmax', x, axis);

/** x − logΣexp(x) along `axis`, computed stably. */
export const logSoftmax = (x: Tensor, axis = -1): Tensor => softmaxLike('logSoftmax', x, axis);
