import { arithmeticType, isFloat, promoteTypes, type DType } from '../dtype.js';
import { DTypeError } from '../errors.js';
import { scalar } from '../make.js';
import { Tensor } from '../tensor.js';
import { cast } from './cast.js';

export type Operand = Tensor | number;

/**
 * Turns two operands into tensors of one computation dtype. A plain number takes the tensor's dtype (as a
 * Python scalar does in PyTorch), except that a fractional number makes an integer tensor's result float32.
 */
export function coerceOperands(op: string, a: Operand, b: Operand): [Tensor, Tensor, DType] {
  if (typeof a === 'number' && typeof b === 'number') {
    return [scalar(a), scalar(b), 'float32'];
  }
  let ta: Tensor;
  let tb: Tensor;
  if (typeof a === 'number') {
    tb = checkTensor(op, b);
    ta = scalar(a, dtypeOfNumber(a, tb));
  } else {
    ta = checkTensor(op, a);
    tb = typeof b === 'number' ? scalar(b, dtypeOfNumber(b, ta)) : checkTensor(op, b);
  }
  // The common case, two operands of one arithmetic dtype, needs no promotion and no cast.
  const da = ta.dtype;
  if (da === tb.dtype && da !== 'bool') return [ta, tb, da];
  const dtype = arithmeticType(resultType(ta, tb));
  return [ta.dtype === dtype ? ta : cast(ta, dtype), tb.dtype === dtype ? tb : cast(tb, dtype), dtype];
}

/** The dtype a plain number takes beside `other` (module-level, not a closure: this runs for every op). */
function dtypeOfNumber(n: number, other: Tensor): DType {
  return isFloat(other.dtype) ? other.dtype : Number.isInteger(n) ? arithmeticType(other.dtype) : 'float32';
}

export function checkTensor(op: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) {
    throw new DTypeError(op, `expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  }
  return x;
}

export function requireFloat(op: string, x: Tensor): void {
  if (!isFloat(x.dtype)) throw new DTypeError(op, `expected a float32 or float64 tensor, got ${x.dtype}`);
}

/**
 * PyTorch's rule: a 0-d tensor does not raise the dtype of a dimensioned tensor of the same category
 * (float32 + 0-d float64 stays float32), but does across categories (int32 + 0-d float64 is float64).
 */
function resultType(a: Tensor, b: Tensor): DType {
  if (a.rank === 0 && b.rank > 0 && category(a) <= category(b)) return b.dtype;
  if (b.rank === 0 && a.rank > 0 && category(b) <= category(a)) return a.dtype;
  return promoteTypes(a.dtype, b.dtype);
}

function category(t: Tensor): number {
  return isFloat(t.dtype) ? 2 : t.dtype === 'bool' ? 0 : 1;
}
