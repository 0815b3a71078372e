import { runKernel } from '../backend.js';
import { promoteTypes } from '../dtype.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { scalar, wrap } from '../make.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { checkTensor, coerceOperands, type Operand } from './operand.js';

/**
 * Elementwise `cond ? a : b`, as `torch.where(condition, input, other)`. The three operands broadcast
 * together; `cond` must be bool; a plain number takes the other operand's dtype, as in PyTorch.
 * Gradients flow to `a` where `cond` holds and to `b` elsewhere.
 *
 * @example
 * const x = tensor([-1, 2, -3]);
 * where(x.gt(0), x, 0).toArray(); // [0, 2, 0]
 */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  checkTensor('where', cond);
  if (cond.dtype !== 'bool') {
    throw new DTypeError('where', `condition must be a bool tensor, got ${cond.dtype} (compare with gt/eq/… to get one)`);
  }
  let ta: Tensor;
  let tb: Tensor;
  if (a instanceof Tensor && b instanceof Tensor) {
    // Two tensors keep a bool result bool (coerceOperands computes arithmetic, which would make it int32).
    const dtype = promoteTypes(a.dtype, b.dtype);
    ta = cast(a, dtype);
    tb = cast(b, dtype);
  } else {
    [ta, tb] = coerceOperands('where', a, b);
  }
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, ta.shape), tb.shape);
  const attrs = { shape, dtype: ta.dtype };
  return recordOp('where', [cond, ta, tb], attrs, wrap(runKernel('where', [cond, ta, tb], attrs)));
}

/**
 * `value` where `mask` is true, `x` elsewhere, as `torch.Tensor.masked_fill`. The mask (bool) broadcasts to
 * `x`'s shape, and the result keeps `x`'s shape and dtype. A 0-d tensor `value` receives gradients too.
 *
 * @example
 * maskedFill(tensor([1, 2, 3]), tensor([true, false, true]), -1).toArray(); // [-1, 2, -1]
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number | Tensor): Tensor {
  checkTensor('maskedFill', x);
  checkTensor('maskedFill', mask);
  if (mask.dtype !== 'bool') throw new DTypeError('maskedFill', `mask must be a bool tensor, got ${mask.dtype}`);
  if (!shapesEqual(broadcastShapes('maskedFill', mask.shape, x.shape), x.shape)) {
    throw new ShapeError('maskedFill', `mask of shape ${fmtShape(mask.shape)} does not broadcast to the input's shape ${fmtShape(x.shape)}`);
  }
  if (value instanceof Tensor && value.rank !== 0) {
    throw new ShapeError('maskedFill', `value must be a number or a 0-d tensor, got shape ${fmtShape(value.shape)}`);
  }
  // The fill value takes x's dtype (an int tensor filled with 1.5 gets 1), as masked_fill does.
  return where(mask, typeof value === 'number' ? scalar(value, x.dtype) : cast(value, x.dtype), x);
}
